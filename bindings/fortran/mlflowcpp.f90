! MLflow tracking from Fortran: a thin module over the C API (mlflowcpp_c.h).
!
! Every routine takes an optional `status`. When it is given, failures are
! reported there (status%code /= 0, with the MLflow error code and a message)
! and the program goes on; when it is omitted, a failure stops the program with
! the message (`error stop`), like an MPI call without ierr under MPI_ERRORS_ARE_FATAL.
!
! Example:
!   use mlflowcpp
!   type(mlflow_client) :: client
!   character(len=MLFLOW_ID_LEN) :: experiment_id, run_id
!   call mlflow_client_init(client)                  ! MLFLOW_TRACKING_URI
!   call mlflow_get_or_create_experiment(client, "heat-equation", experiment_id)
!   call mlflow_create_run(client, experiment_id, "dt=1e-3", run_id)
!   call mlflow_log_param(client, run_id, "dt", "1e-3")
!   do step = 1, 100
!     call mlflow_log_metric(client, run_id, "residual", residual, step=int(step, int64))
!   end do
!   call mlflow_set_terminated(client, run_id)
!   call mlflow_client_free(client)
!
! The fluent lifecycle, with system metrics (system/cpu_utilization_percentage, ...):
!   type(mlflow_run) :: run
!   call mlflow_start_run(client, run, experiment_id=experiment_id, log_system_metrics=.true.)
!   call mlflow_log_metric(client, mlflow_run_id(run), "residual", residual)
!   call mlflow_end_run(run)                         ! stops the sampling, ends the run FINISHED
module mlflowcpp
  use, intrinsic :: iso_c_binding
  use, intrinsic :: iso_fortran_env, only: int64
  implicit none
  private

  integer, parameter, public :: MLFLOW_ID_LEN = 64

  ! Values of mlflow_status%code (the C API's statuses).
  integer, parameter, public :: MLFLOW_OK = 0
  integer, parameter, public :: MLFLOW_ERROR_SERVER = 1
  integer, parameter, public :: MLFLOW_ERROR_TRANSPORT = 2
  integer, parameter, public :: MLFLOW_ERROR_INVALID_ARGUMENT = 3
  integer, parameter, public :: MLFLOW_ERROR_BUFFER_TOO_SMALL = 4
  integer, parameter, public :: MLFLOW_ERROR_INTERNAL = 5

  type, public :: mlflow_client
    private
    type(c_ptr) :: handle = c_null_ptr
  end type mlflow_client

  ! A run started by mlflow_start_run, until mlflow_end_run.
  type, public :: mlflow_run
    private
    type(c_ptr) :: handle = c_null_ptr
  end type mlflow_run

  type, public :: mlflow_status
    integer :: code = MLFLOW_OK
    integer :: http_status = 0
    character(len=64) :: error_code = ""
    character(len=1024) :: message = ""
  end type mlflow_status

  public :: mlflow_version, mlflow_client_init, mlflow_client_free, mlflow_set_async_logging, mlflow_flush
  public :: mlflow_create_experiment, mlflow_get_or_create_experiment
  public :: mlflow_create_run, mlflow_set_terminated
  public :: mlflow_start_run, mlflow_run_id, mlflow_end_run
  public :: mlflow_log_metric, mlflow_log_param, mlflow_set_tag, mlflow_log_artifact
  public :: mlflow_log_model_metric, mlflow_create_logged_model, mlflow_finalize_logged_model

  ! The C API's mlflowcpp_error, field for field.
  type, bind(c) :: c_error
    integer(c_int) :: status
    integer(c_int) :: http_status
    character(kind=c_char) :: error_code(64)
    character(kind=c_char) :: message(1024)
    integer(c_size_t) :: required_size
  end type c_error

  ! The C API's mlflowcpp_run_options, field for field.
  type, bind(c) :: c_run_options
    type(c_ptr) :: experiment_id = c_null_ptr
    type(c_ptr) :: run_name = c_null_ptr
    type(c_ptr) :: parent_run_id = c_null_ptr
    integer(c_int) :: log_system_metrics = -1
  end type c_run_options

  ! The shape of the C API's (client, run, key, value) calls.
  abstract interface
    function c_run_key_value(client, run_id, key, value, error) bind(c) result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*), key(*), value(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_run_key_value
  end interface

  interface
    function c_version() bind(c, name="mlflowcpp_version") result(text)
      import :: c_ptr
      type(c_ptr) :: text
    end function c_version

    function c_client_new(tracking_uri, client, error) bind(c, name="mlflowcpp_client_new") result(code)
      import :: c_ptr, c_int, c_error
      type(c_ptr), value :: tracking_uri
      type(c_ptr) :: client
      type(c_error) :: error
      integer(c_int) :: code
    end function c_client_new

    subroutine c_client_free(client) bind(c, name="mlflowcpp_client_free")
      import :: c_ptr
      type(c_ptr), value :: client
    end subroutine c_client_free

    function c_create_experiment(client, name, artifact_location, id, id_size, error) &
        bind(c, name="mlflowcpp_create_experiment") result(code)
      import :: c_ptr, c_char, c_size_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: name(*)
      type(c_ptr), value :: artifact_location
      character(kind=c_char) :: id(*)
      integer(c_size_t), value :: id_size
      type(c_error) :: error
      integer(c_int) :: code
    end function c_create_experiment

    function c_get_or_create_experiment(client, name, id, id_size, error) &
        bind(c, name="mlflowcpp_get_or_create_experiment") result(code)
      import :: c_ptr, c_char, c_size_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: name(*)
      character(kind=c_char) :: id(*)
      integer(c_size_t), value :: id_size
      type(c_error) :: error
      integer(c_int) :: code
    end function c_get_or_create_experiment

    function c_create_run(client, experiment_id, run_name, run_id, run_id_size, error) &
        bind(c, name="mlflowcpp_create_run") result(code)
      import :: c_ptr, c_char, c_size_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: experiment_id(*)
      type(c_ptr), value :: run_name
      character(kind=c_char) :: run_id(*)
      integer(c_size_t), value :: run_id_size
      type(c_error) :: error
      integer(c_int) :: code
    end function c_create_run

    function c_set_terminated(client, run_id, run_status, error) bind(c, name="mlflowcpp_set_terminated") &
        result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*)
      character(kind=c_char) :: run_status(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_set_terminated

    function c_start_run(client, options, run, error) bind(c, name="mlflowcpp_start_run") result(code)
      import :: c_ptr, c_int, c_error, c_run_options
      type(c_ptr), value :: client
      type(c_run_options) :: options
      type(c_ptr) :: run
      type(c_error) :: error
      integer(c_int) :: code
    end function c_start_run

    function c_run_id(run) bind(c, name="mlflowcpp_run_id") result(text)
      import :: c_ptr
      type(c_ptr), value :: run
      type(c_ptr) :: text
    end function c_run_id

    function c_end_run(run, run_status, error) bind(c, name="mlflowcpp_end_run") result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: run
      character(kind=c_char) :: run_status(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_end_run

    function c_client_set_async_logging(client, enabled, error) &
        bind(c, name="mlflowcpp_client_set_async_logging") result(code)
      import :: c_ptr, c_int, c_error
      type(c_ptr), value :: client
      integer(c_int), value :: enabled
      type(c_error) :: error
      integer(c_int) :: code
    end function c_client_set_async_logging

    function c_flush(client, error) bind(c, name="mlflowcpp_flush") result(code)
      import :: c_ptr, c_int, c_error
      type(c_ptr), value :: client
      type(c_error) :: error
      integer(c_int) :: code
    end function c_flush

    function c_log_metric(client, run_id, key, value, timestamp_ms, step, error) &
        bind(c, name="mlflowcpp_log_metric") result(code)
      import :: c_ptr, c_char, c_double, c_int64_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*)
      character(kind=c_char) :: key(*)
      real(c_double), value :: value
      integer(c_int64_t), value :: timestamp_ms
      integer(c_int64_t), value :: step
      type(c_error) :: error
      integer(c_int) :: code
    end function c_log_metric

    function c_log_model_metric(client, run_id, key, value, timestamp_ms, step, model_id, dataset_name, &
        dataset_digest, error) bind(c, name="mlflowcpp_log_model_metric") result(code)
      import :: c_ptr, c_char, c_double, c_int64_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*)
      character(kind=c_char) :: key(*)
      real(c_double), value :: value
      integer(c_int64_t), value :: timestamp_ms
      integer(c_int64_t), value :: step
      character(kind=c_char) :: model_id(*)
      type(c_ptr), value :: dataset_name
      type(c_ptr), value :: dataset_digest
      type(c_error) :: error
      integer(c_int) :: code
    end function c_log_model_metric

    function c_create_logged_model(client, experiment_id, name, source_run_id, model_id, model_id_size, &
        artifact_uri, artifact_uri_size, error) bind(c, name="mlflowcpp_create_logged_model") result(code)
      import :: c_ptr, c_char, c_size_t, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: experiment_id(*)
      type(c_ptr), value :: name
      type(c_ptr), value :: source_run_id
      character(kind=c_char) :: model_id(*)
      integer(c_size_t), value :: model_id_size
      type(c_ptr), value :: artifact_uri
      integer(c_size_t), value :: artifact_uri_size
      type(c_error) :: error
      integer(c_int) :: code
    end function c_create_logged_model

    function c_finalize_logged_model(client, model_id, model_status, error) &
        bind(c, name="mlflowcpp_finalize_logged_model") result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: model_id(*)
      character(kind=c_char) :: model_status(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_finalize_logged_model

    function c_log_param(client, run_id, key, value, error) bind(c, name="mlflowcpp_log_param") result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*), key(*), value(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_log_param

    function c_set_tag(client, run_id, key, value, error) bind(c, name="mlflowcpp_set_tag") result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*), key(*), value(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_set_tag

    function c_log_artifact(client, run_id, local_file, artifact_path, error) &
        bind(c, name="mlflowcpp_log_artifact") result(code)
      import :: c_ptr, c_char, c_int, c_error
      type(c_ptr), value :: client
      character(kind=c_char) :: run_id(*)
      character(kind=c_char) :: local_file(*)
      character(kind=c_char) :: artifact_path(*)
      type(c_error) :: error
      integer(c_int) :: code
    end function c_log_artifact

    function c_strlen(text) bind(c, name="strlen") result(length)
      import :: c_ptr, c_size_t
      type(c_ptr), value :: text
      integer(c_size_t) :: length
    end function c_strlen
  end interface

contains

  ! A Fortran string as a NUL-terminated C string (trailing blanks dropped).
  pure function c_string(text) result(converted)
    character(len=*), intent(in) :: text
    character(kind=c_char, len=len_trim(text) + 1) :: converted
    converted = trim(text) // c_null_char
  end function c_string

  ! A NUL-terminated C character array as a blank-padded Fortran string.
  subroutine from_c_chars(chars, text)
    character(kind=c_char), intent(in) :: chars(:)
    character(len=*), intent(out) :: text
    integer :: i
    text = ""
    do i = 1, min(size(chars), len(text))
      if (chars(i) == c_null_char) exit
      text(i:i) = chars(i)
    end do
  end subroutine from_c_chars

  ! Hands a C call's outcome to the caller: into `status` when given, else a stop on failure.
  subroutine report(code, error, status)
    integer(c_int), intent(in) :: code
    type(c_error), intent(in) :: error
    type(mlflow_status), intent(out), optional :: status
    type(mlflow_status) :: outcome
    outcome%code = int(code)
    if (code /= 0) then
      outcome%http_status = int(error%http_status)
      call from_c_chars(error%error_code, outcome%error_code)
      call from_c_chars(error%message, outcome%message)
    end if
    if (present(status)) then
      status = outcome
    else if (code /= 0) then
      error stop "mlflowcpp: " // trim(outcome%error_code) // " " // trim(outcome%message)
    end if
  end subroutine report

  ! A NUL-terminated C string the library owns, copied into a Fortran string ("" for NULL).
  function from_c_pointer(text) result(converted)
    type(c_ptr), intent(in) :: text
    character(len=:), allocatable :: converted
    character(kind=c_char), pointer :: chars(:)
    integer :: i
    if (.not. c_associated(text)) then
      converted = ""
      return
    end if
    call c_f_pointer(text, chars, [c_strlen(text)])
    allocate(character(len=size(chars)) :: converted)
    do i = 1, size(chars)
      converted(i:i) = chars(i)
    end do
  end function from_c_pointer

  function mlflow_version() result(version)
    character(len=:), allocatable :: version
    version = from_c_pointer(c_version())
  end function mlflow_version

  ! `tracking_uri` absent: MLFLOW_TRACKING_URI. Either way the other MLFLOW_* variables apply
  ! (credentials, TLS, retries), as for mlflowcpp_client_new.
  subroutine mlflow_client_init(client, tracking_uri, status)
    type(mlflow_client), intent(inout) :: client
    character(len=*), intent(in), optional :: tracking_uri
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char, len=:), allocatable, target :: uri
    type(c_error) :: error
    integer(c_int) :: code
    if (present(tracking_uri)) then
      uri = c_string(tracking_uri)
      code = c_client_new(c_loc(uri), client%handle, error)
    else
      code = c_client_new(c_null_ptr, client%handle, error)
    end if
    call report(code, error, status)
  end subroutine mlflow_client_init

  subroutine mlflow_client_free(client)
    type(mlflow_client), intent(inout) :: client
    call c_client_free(client%handle)
    client%handle = c_null_ptr
  end subroutine mlflow_client_free

  ! Asynchronous logging on (`enabled` true) or off; MLFLOW_ENABLE_ASYNC_LOGGING=true sets
  ! it on for every client. Logging calls then queue and return; mlflow_flush reports failures.
  subroutine mlflow_set_async_logging(client, enabled, status)
    type(mlflow_client), intent(in) :: client
    logical, intent(in) :: enabled
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    integer(c_int) :: flag
    flag = 0
    if (enabled) flag = 1
    code = c_client_set_async_logging(client%handle, flag, error)
    call report(code, error, status)
  end subroutine mlflow_set_async_logging

  ! Waits until everything logged so far has reached the server; reports the first failure since the last flush.
  subroutine mlflow_flush(client, status)
    type(mlflow_client), intent(in) :: client
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    code = c_flush(client%handle, error)
    call report(code, error, status)
  end subroutine mlflow_flush

  subroutine mlflow_create_experiment(client, name, experiment_id, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: name
    character(len=*), intent(out) :: experiment_id
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char) :: id(MLFLOW_ID_LEN)
    type(c_error) :: error
    integer(c_int) :: code
    code = c_create_experiment(client%handle, c_string(name), c_null_ptr, id, int(size(id), c_size_t), error)
    call from_c_chars(id, experiment_id)
    call report(code, error, status)
  end subroutine mlflow_create_experiment

  ! The experiment named `name`, created when it does not exist (mlflow.set_experiment).
  subroutine mlflow_get_or_create_experiment(client, name, experiment_id, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: name
    character(len=*), intent(out) :: experiment_id
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char) :: id(MLFLOW_ID_LEN)
    type(c_error) :: error
    integer(c_int) :: code
    code = c_get_or_create_experiment(client%handle, c_string(name), id, int(size(id), c_size_t), error)
    call from_c_chars(id, experiment_id)
    call report(code, error, status)
  end subroutine mlflow_get_or_create_experiment

  subroutine mlflow_create_run(client, experiment_id, run_name, run_id, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: experiment_id
    character(len=*), intent(in) :: run_name
    character(len=*), intent(out) :: run_id
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char, len=:), allocatable, target :: name
    character(kind=c_char) :: id(MLFLOW_ID_LEN)
    type(c_error) :: error
    integer(c_int) :: code
    name = c_string(run_name)
    code = c_create_run(client%handle, c_string(experiment_id), c_loc(name), id, int(size(id), c_size_t), error)
    call from_c_chars(id, run_id)
    call report(code, error, status)
  end subroutine mlflow_create_run

  ! `run_status`: "FINISHED" (default), "FAILED" or "KILLED".
  subroutine mlflow_set_terminated(client, run_id, run_status, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id
    character(len=*), intent(in), optional :: run_status
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    if (present(run_status)) then
      code = c_set_terminated(client%handle, c_string(run_id), c_string(run_status), error)
    else
      code = c_set_terminated(client%handle, c_string(run_id), c_string("FINISHED"), error)
    end if
    call report(code, error, status)
  end subroutine mlflow_set_terminated

  ! Starts a run as the C++ start_run does: with the system tags, and with system metrics
  ! (system/cpu_utilization_percentage, ...) sampled in the background when `log_system_metrics`
  ! is true, or when it is absent and MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING=true. `experiment_id`
  ! absent: MLFLOW_EXPERIMENT_NAME, MLFLOW_EXPERIMENT_ID, else "0"; `run_name` absent: the server
  ! picks one; `parent_run_id` makes it a nested run. Log to it with mlflow_run_id(run); end it
  ! with mlflow_end_run.
  subroutine mlflow_start_run(client, run, experiment_id, run_name, log_system_metrics, parent_run_id, status)
    type(mlflow_client), intent(in) :: client
    type(mlflow_run), intent(out) :: run
    character(len=*), intent(in), optional :: experiment_id, run_name, parent_run_id
    logical, intent(in), optional :: log_system_metrics
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char, len=:), allocatable, target :: c_experiment_id, c_run_name, c_parent_run_id
    type(c_run_options) :: options
    type(c_error) :: error
    integer(c_int) :: code
    if (present(experiment_id)) then
      c_experiment_id = c_string(experiment_id)
      options%experiment_id = c_loc(c_experiment_id)
    end if
    if (present(run_name)) then
      c_run_name = c_string(run_name)
      options%run_name = c_loc(c_run_name)
    end if
    if (present(parent_run_id)) then
      c_parent_run_id = c_string(parent_run_id)
      options%parent_run_id = c_loc(c_parent_run_id)
    end if
    if (present(log_system_metrics)) then
      options%log_system_metrics = 0
      if (log_system_metrics) options%log_system_metrics = 1
    end if
    code = c_start_run(client%handle, options, run%handle, error)
    call report(code, error, status)
  end subroutine mlflow_start_run

  ! The run's id ("" once the run has ended).
  function mlflow_run_id(run) result(run_id)
    type(mlflow_run), intent(in) :: run
    character(len=:), allocatable :: run_id
    run_id = from_c_pointer(c_run_id(run%handle))
  end function mlflow_run_id

  ! Stops the system metrics, sends what asynchronous logging holds and ends the run with
  ! `run_status`: "FINISHED" (default), "FAILED" or "KILLED". The run's handle is released
  ! whatever the outcome (see mlflowcpp_end_run), so a run is ended once.
  subroutine mlflow_end_run(run, run_status, status)
    type(mlflow_run), intent(inout) :: run
    character(len=*), intent(in), optional :: run_status
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    if (present(run_status)) then
      code = c_end_run(run%handle, c_string(run_status), error)
    else
      code = c_end_run(run%handle, c_string("FINISHED"), error)
    end if
    run%handle = c_null_ptr
    call report(code, error, status)
  end subroutine mlflow_end_run

  ! `step` defaults to 0, `timestamp_ms` to now.
  subroutine mlflow_log_metric(client, run_id, key, value, step, timestamp_ms, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id
    character(len=*), intent(in) :: key
    real(c_double), intent(in) :: value
    integer(int64), intent(in), optional :: step
    integer(int64), intent(in), optional :: timestamp_ms
    type(mlflow_status), intent(out), optional :: status
    integer(c_int64_t) :: c_step, c_timestamp
    type(c_error) :: error
    integer(c_int) :: code
    c_step = 0
    c_timestamp = 0
    if (present(step)) c_step = step
    if (present(timestamp_ms)) c_timestamp = timestamp_ms
    code = c_log_metric(client%handle, c_string(run_id), c_string(key), value, c_timestamp, c_step, error)
    call report(code, error, status)
  end subroutine mlflow_log_metric

  subroutine mlflow_log_param(client, run_id, key, value, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id, key, value
    type(mlflow_status), intent(out), optional :: status
    call set_run_key_value(c_log_param, client, run_id, key, value, status)
  end subroutine mlflow_log_param

  subroutine mlflow_set_tag(client, run_id, key, value, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id, key, value
    type(mlflow_status), intent(out), optional :: status
    call set_run_key_value(c_set_tag, client, run_id, key, value, status)
  end subroutine mlflow_set_tag

  ! A param or tag call of the C API: (run, key, value).
  subroutine set_run_key_value(c_call, client, run_id, key, value, status)
    procedure(c_run_key_value) :: c_call
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id, key, value
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    code = c_call(client%handle, c_string(run_id), c_string(key), c_string(value), error)
    call report(code, error, status)
  end subroutine set_run_key_value

  ! MLflow 3: a metric value measured on the logged model `model_id`, optionally on a dataset.
  ! `step` defaults to 0, `timestamp_ms` to now.
  subroutine mlflow_log_model_metric(client, run_id, key, value, model_id, step, timestamp_ms, dataset_name, &
      dataset_digest, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id, key, model_id
    real(c_double), intent(in) :: value
    integer(int64), intent(in), optional :: step
    integer(int64), intent(in), optional :: timestamp_ms
    character(len=*), intent(in), optional :: dataset_name, dataset_digest
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char, len=:), allocatable, target :: c_dataset_name, c_dataset_digest
    type(c_ptr) :: dataset_name_ptr, dataset_digest_ptr
    integer(c_int64_t) :: c_step, c_timestamp
    type(c_error) :: error
    integer(c_int) :: code
    c_step = 0
    c_timestamp = 0
    if (present(step)) c_step = step
    if (present(timestamp_ms)) c_timestamp = timestamp_ms
    dataset_name_ptr = c_null_ptr
    dataset_digest_ptr = c_null_ptr
    if (present(dataset_name)) then
      c_dataset_name = c_string(dataset_name)
      dataset_name_ptr = c_loc(c_dataset_name)
    end if
    if (present(dataset_digest)) then
      c_dataset_digest = c_string(dataset_digest)
      dataset_digest_ptr = c_loc(c_dataset_digest)
    end if
    code = c_log_model_metric(client%handle, c_string(run_id), c_string(key), value, c_timestamp, c_step, &
                              c_string(model_id), dataset_name_ptr, dataset_digest_ptr, error)
    call report(code, error, status)
  end subroutine mlflow_log_model_metric

  ! MLflow 3: a new logged model in the experiment, pending until finalized. `name`
  ! (default: the server picks one) and `source_run_id` (default: none) are optional.
  subroutine mlflow_create_logged_model(client, experiment_id, model_id, name, source_run_id, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: experiment_id
    character(len=*), intent(out) :: model_id
    character(len=*), intent(in), optional :: name, source_run_id
    type(mlflow_status), intent(out), optional :: status
    character(kind=c_char, len=:), allocatable, target :: c_name, c_source_run_id
    type(c_ptr) :: name_ptr, source_run_id_ptr
    character(kind=c_char) :: id(MLFLOW_ID_LEN)
    type(c_error) :: error
    integer(c_int) :: code
    name_ptr = c_null_ptr
    source_run_id_ptr = c_null_ptr
    if (present(name)) then
      c_name = c_string(name)
      name_ptr = c_loc(c_name)
    end if
    if (present(source_run_id)) then
      c_source_run_id = c_string(source_run_id)
      source_run_id_ptr = c_loc(c_source_run_id)
    end if
    code = c_create_logged_model(client%handle, c_string(experiment_id), name_ptr, source_run_id_ptr, id, &
                                 int(size(id), c_size_t), c_null_ptr, 0_c_size_t, error)
    call from_c_chars(id, model_id)
    call report(code, error, status)
  end subroutine mlflow_create_logged_model

  ! `model_status`: "READY" (default) or "FAILED".
  subroutine mlflow_finalize_logged_model(client, model_id, model_status, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: model_id
    character(len=*), intent(in), optional :: model_status
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    if (present(model_status)) then
      code = c_finalize_logged_model(client%handle, c_string(model_id), c_string(model_status), error)
    else
      code = c_finalize_logged_model(client%handle, c_string(model_id), c_string("READY"), error)
    end if
    call report(code, error, status)
  end subroutine mlflow_finalize_logged_model

  ! Stores `local_file` as <artifact_path>/<its file name> in the run's artifacts.
  subroutine mlflow_log_artifact(client, run_id, local_file, artifact_path, status)
    type(mlflow_client), intent(in) :: client
    character(len=*), intent(in) :: run_id
    character(len=*), intent(in) :: local_file
    character(len=*), intent(in), optional :: artifact_path
    type(mlflow_status), intent(out), optional :: status
    type(c_error) :: error
    integer(c_int) :: code
    if (present(artifact_path)) then
      code = c_log_artifact(client%handle, c_string(run_id), c_string(local_file), c_string(artifact_path), error)
    else
      code = c_log_artifact(client%handle, c_string(run_id), c_string(local_file), c_string(""), error)
    end if
    call report(code, error, status)
  end subroutine mlflow_log_artifact

end module mlflowcpp
