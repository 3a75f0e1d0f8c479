#pragma once

// What MlflowClient::log_model records about a model besides its files: the
// flavors (how each kind of consumer loads it) and, optionally, its signature.
// It becomes the model directory's `MLmodel` file, in MLflow's format.

#include <map>
#include <optional>
#include <string>

namespace mlflowcpp {

// The model's input and output schemas, each as MLflow's JSON text, e.g.
// inputs = R"([{"type": "double", "name": "x"}])".
struct ModelSignature {
  std::string inputs;
  std::string outputs;
};

struct ModelInfo {
  // Flavor name -> its settings, e.g. {"onnx": {{"onnx_version", "1.14"}, {"data", "model.onnx"}}}
  // or a generic {"cpp": {{"weights", "weights.txt"}}}.
  std::map<std::string, std::map<std::string, std::string>> flavors;
  std::optional<ModelSignature> signature;
  // Written as `mlflow_version` when not empty.
  std::string mlflow_version;
};

}  // namespace mlflowcpp
