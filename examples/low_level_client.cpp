// The low-level MlflowClient: explicit ids, one method per REST call. Creates a
// run, logs a batch (split into requests by the client as needed), searches for
// it and ends it.
//
//   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
//   ./low_level_client

#include <mlflowcpp/mlflowcpp.hpp>

#include <iostream>

int main() {
  try {
    mlflowcpp::MlflowClient client;  // configured from MLFLOW_TRACKING_URI and friends

    // The experiment the fluent API would choose: MLFLOW_EXPERIMENT_NAME, ..._ID, or Default.
    std::string experiment_id = mlflowcpp::resolve_experiment_id(client, {});

    mlflowcpp::CreateRunRequest create;
    create.experiment_id = experiment_id;
    create.run_name = "low-level-client-example";
    mlflowcpp::Run run = client.create_run(create);
    const std::string& run_id = run.info.run_id;
    std::cout << "run " << run_id << " in experiment " << experiment_id << '\n';

    std::vector<mlflowcpp::Metric> metrics;
    int64_t now = mlflowcpp::now_epoch_millis();
    for (int step = 0; step < 2500; ++step) metrics.push_back({"signal", step * 0.001, now, step});
    client.log_batch(run_id, metrics, {{"points", "2500"}}, {{"source", "low_level_client"}});

    mlflowcpp::SearchRunsRequest search;
    search.experiment_ids = {experiment_id};
    search.filter = "tags.source = 'low_level_client'";
    std::cout << "runs tagged by this example: " << client.search_all_runs(search).size() << '\n';
    std::cout << "points of 'signal': " << client.get_metric_history(run_id, "signal").size() << '\n';

    client.set_terminated(run_id, mlflowcpp::RunStatus::kFinished);
    return 0;
  } catch (const mlflowcpp::MlflowException& error) {
    std::cerr << "MLflow error " << error.error_code() << " (HTTP " << error.http_status() << "): " << error.what()
              << '\n';
    return 1;
  }
}
