/* A training loop in C that records its run in MLflow.
 * Run with MLFLOW_TRACKING_URI=http://host:port (and MLFLOW_TRACKING_USERNAME/PASSWORD if needed).
 * Exit status 0 on success; the run id is printed on stdout. */
#include <mlflowcpp/mlflowcpp_c.h>

#include <stdio.h>

static int check(int status, const mlflowcpp_error* error) {
  if (status != MLFLOWCPP_OK) {
    fprintf(stderr, "mlflowcpp: %s (%s, HTTP %d)\n", error->message, error->error_code, error->http_status);
  }
  return status;
}

int main(void) {
  mlflowcpp_client* client = NULL;
  mlflowcpp_error error;
  char experiment_id[MLFLOWCPP_ID_SIZE];
  char run_id[MLFLOWCPP_ID_SIZE];
  const char* keys[] = {"loss", "accuracy"};
  double values[2];
  double loss = 1.0;
  int step;
  int status = 0;

  if (check(mlflowcpp_client_new(NULL, &client, &error), &error) != MLFLOWCPP_OK) return 1;
  if (check(mlflowcpp_get_or_create_experiment(client, "c-example", experiment_id, sizeof experiment_id, &error),
            &error) ||
      check(mlflowcpp_create_run(client, experiment_id, "c-train", run_id, sizeof run_id, &error), &error) ||
      check(mlflowcpp_log_param(client, run_id, "learning_rate", "0.1", &error), &error)) {
    status = 1;
  }
  for (step = 0; status == 0 && step < 10; ++step) {
    loss *= 0.9;
    values[0] = loss;
    values[1] = 1.0 - loss;
    if (check(mlflowcpp_log_metrics(client, run_id, 2, keys, values, 0, step, &error), &error)) status = 1;
  }
  if (status == 0 && check(mlflowcpp_set_terminated(client, run_id, "FINISHED", &error), &error)) status = 1;
  if (status == 0) printf("%s\n", run_id);
  mlflowcpp_client_free(client);
  return status;
}
