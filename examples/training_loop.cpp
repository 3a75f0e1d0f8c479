// A training loop that records itself in MLflow: parameters, a metric per step, tags.
//
//   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
//   export MLFLOW_EXPERIMENT_NAME=my-experiment   # optional; "Default" otherwise
//   ./training_loop
//
// The run ends FINISHED when main's scope ends normally, FAILED if an exception escapes.

#include <mlflowcpp/mlflowcpp.hpp>

#include <cmath>
#include <iostream>

namespace {

// A stand-in for real training: a loss that decays with noise-free regularity.
double train_one_epoch(int epoch, double learning_rate) {
  return 2.0 * std::exp(-learning_rate * 10.0 * epoch) + 0.05;
}

}  // namespace

int main() {
  try {
    const double learning_rate = 0.05;
    const int epochs = 20;

    mlflowcpp::StartRunOptions options;
    options.run_name = "training-loop-example";
    options.tags = {{"model", "toy-exponential"}};
    mlflowcpp::ActiveRun run = mlflowcpp::start_run(options);
    std::cout << "run " << run.run_id() << " in experiment " << run.experiment_id() << '\n';

    run.log_param("learning_rate", learning_rate);
    run.log_param("epochs", epochs);
    run.log_param("optimizer", "sgd");

    double loss = 0;
    for (int epoch = 0; epoch < epochs; ++epoch) {
      loss = train_one_epoch(epoch, learning_rate);
      run.log_metrics({{"loss", loss}, {"accuracy", 1.0 - loss / 2.1}}, epoch);
    }
    run.set_tag("converged", loss < 0.2 ? "true" : "false");
    std::cout << "final loss " << loss << '\n';
    return 0;  // `run` ends FINISHED here
  } catch (const mlflowcpp::MlflowException& error) {
    std::cerr << "MLflow error " << error.error_code() << " (HTTP " << error.http_status() << "): " << error.what()
              << '\n';
    return 1;
  }
}
