// A hyperparameter sweep: one parent run, one nested child run per setting
// (tagged mlflow.parentRunId), the best setting recorded on the parent.
//
//   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
//   ./hyperparameter_sweep

#include <mlflowcpp/mlflowcpp.hpp>

#include <cmath>
#include <iostream>
#include <limits>

namespace {

double validation_loss(double learning_rate, int step) {
  // Best near a learning rate of 0.1; improves with steps.
  return std::pow(std::log10(learning_rate) + 1.0, 2) + 1.0 / (step + 1);
}

}  // namespace

int main() {
  try {
    mlflowcpp::StartRunOptions parent_options;
    parent_options.run_name = "sweep";
    mlflowcpp::ActiveRun sweep = mlflowcpp::start_run(parent_options);
    std::cout << "sweep run " << sweep.run_id() << '\n';

    double best_loss = std::numeric_limits<double>::infinity();
    double best_rate = 0;
    for (double learning_rate : {0.001, 0.01, 0.1, 1.0}) {
      mlflowcpp::StartRunOptions child_options;
      child_options.run_name = "lr-" + std::to_string(learning_rate);
      mlflowcpp::ActiveRun trial = sweep.start_nested_run(child_options);
      trial.log_param("learning_rate", learning_rate);
      double loss = 0;
      for (int step = 0; step < 5; ++step) {
        loss = validation_loss(learning_rate, step);
        trial.log_metric("val_loss", loss, step);
      }
      if (loss < best_loss) {
        best_loss = loss;
        best_rate = learning_rate;
      }
      std::cout << "  trial " << trial.run_id() << " lr=" << learning_rate << " val_loss=" << loss << '\n';
    }  // each trial ends FINISHED at the end of its iteration

    sweep.log_param("best_learning_rate", best_rate);
    sweep.log_metric("best_val_loss", best_loss);
    return 0;
  } catch (const mlflowcpp::MlflowException& error) {
    std::cerr << "MLflow error " << error.error_code() << " (HTTP " << error.http_status() << "): " << error.what()
              << '\n';
    return 1;
  }
}
