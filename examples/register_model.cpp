// Trains a tiny linear model, logs it as an MLflow model and registers it:
// the weights file plus an MLmodel file become a logged model "model" of the
// run (on an MLflow 3 server; on older ones they go to the run's artifacts
// under "model"), a new version of the registered model "linear-example" is
// created from it, and the alias "champion" is pointed at that version.
//
//   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000
//   ./register_model          # then ./load_model
//
// Each run registers one more version; "champion" follows the newest.

#include <mlflowcpp/mlflowcpp.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr const char* kModelName = "linear-example";

struct LinearModel {
  double weight = 0;
  double bias = 0;
};

// Least squares by gradient descent on y = 3x - 1 (a stand-in for real training).
LinearModel train(mlflowcpp::ActiveRun& run) {
  std::vector<std::pair<double, double>> samples;
  for (int i = 0; i < 20; ++i) samples.emplace_back(i / 10.0, 3.0 * (i / 10.0) - 1.0);
  LinearModel model;
  const double learning_rate = 0.1;
  run.log_param("learning_rate", learning_rate);
  for (int epoch = 0; epoch < 200; ++epoch) {
    double weight_gradient = 0, bias_gradient = 0, loss = 0;
    for (const auto& [x, y] : samples) {
      const double error = model.weight * x + model.bias - y;
      weight_gradient += 2 * error * x / samples.size();
      bias_gradient += 2 * error / samples.size();
      loss += error * error / samples.size();
    }
    model.weight -= learning_rate * weight_gradient;
    model.bias -= learning_rate * bias_gradient;
    if (epoch % 20 == 0) run.log_metric("mse", loss, epoch);
  }
  return model;
}

// A scratch directory for the model files, removed when done.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& run_id) : path_(fs::temp_directory_path() / ("linear-model-" + run_id)) {
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

int main() {
  try {
    mlflowcpp::StartRunOptions options;
    options.run_name = "register-model-example";
    mlflowcpp::ActiveRun run = mlflowcpp::start_run(options);
    const LinearModel model = train(run);
    std::cout << "trained y = " << model.weight << " * x + " << model.bias << '\n';

    ScratchDir model_dir(run.run_id());
    std::ofstream(model_dir.path() / "weights.txt") << "weight " << model.weight << "\nbias " << model.bias << '\n';

    mlflowcpp::ModelInfo info;
    info.flavors = {{"cpp", {{"weights", "weights.txt"}, {"kind", "linear"}}}};
    info.signature = mlflowcpp::ModelSignature{R"([{"type": "double", "name": "x"}])", R"([{"type": "double"}])"};
    mlflowcpp::MlflowClient& client = run.client();
    const std::string model_uri = client.log_model(run.run_id(), model_dir.path(), "model", info);
    std::cout << "logged " << model_uri << '\n';

    const mlflowcpp::ModelVersion version = client.register_model(model_uri, kModelName);
    client.set_registered_model_alias(kModelName, "champion", version.version);
    std::cout << "registered " << kModelName << " version " << version.version << " as @champion\n";
    return 0;  // `run` ends FINISHED here
  } catch (const mlflowcpp::MlflowException& error) {
    std::cerr << "MLflow error " << error.error_code() << " (HTTP " << error.http_status() << "): " << error.what()
              << '\n';
    return 1;
  }
}
