! A simulation loop in Fortran that records its run in MLflow.
! Run with MLFLOW_TRACKING_URI=http://host:port. Prints the run id. With
! MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING=true the run also gets the machine's system metrics.
program train
  use, intrinsic :: iso_fortran_env, only: int64, real64
  use mlflowcpp
  implicit none
  type(mlflow_client) :: client
  type(mlflow_run) :: run
  type(mlflow_status) :: status
  character(len=MLFLOW_ID_LEN) :: experiment_id, run_id
  real(real64) :: residual
  integer :: step

  call mlflow_client_init(client)
  call mlflow_get_or_create_experiment(client, "fortran-example", experiment_id)
  call mlflow_start_run(client, run, experiment_id=experiment_id, run_name="fortran-train")
  run_id = mlflow_run_id(run)
  call mlflow_log_param(client, run_id, "solver", "jacobi")
  call mlflow_set_tag(client, run_id, "language", "fortran")
  residual = 1.0_real64
  do step = 1, 10
    residual = residual / 2
    call mlflow_log_metric(client, run_id, "residual", residual, step=int(step, int64))
  end do

  ! A refused call reported through `status` instead of stopping the program. With asynchronous
  ! logging (MLFLOW_ENABLE_ASYNC_LOGGING=true) the call only queues: the refusal comes with the flush.
  call mlflow_log_param(client, run_id, "solver", "gauss-seidel", status)
  if (status%code == MLFLOW_OK) call mlflow_flush(client, status)
  if (status%code /= MLFLOW_ERROR_SERVER .or. status%error_code /= "INVALID_PARAMETER_VALUE") then
    error stop "expected the server to refuse changing a logged param"
  end if

  call mlflow_end_run(run)
  call mlflow_client_free(client)
  print "(a)", trim(run_id)
end program train
