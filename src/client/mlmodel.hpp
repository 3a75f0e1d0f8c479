#pragma once

// The `MLmodel` file of a logged model: MLflow's YAML document describing it,
// and the same dictionary as JSON (what runs/log-model records in the run).

#include "protocol/json_codec.hpp"

#include <mlflowcpp/model.hpp>

#include <string>

namespace mlflowcpp::client {

struct MlmodelDocument {
  std::string artifact_path;     // where the model sits: in the run's artifacts, or a logged model's artifact URI
  std::string run_id;
  std::string model_id;          // MLflow 3's logged model; written only when set
  std::string model_uuid;        // 32 lowercase hex digits (uuid4 without dashes)
  std::string utc_time_created;  // "YYYY-MM-DD HH:MM:SS.ffffff"
  ModelInfo info;
};

// The dictionary MLflow's Model.to_dict() gives; keys as MLflow names them.
protocol::Json mlmodel_to_json(const MlmodelDocument& document);
// The YAML text of the MLmodel file: block style, keys sorted, strings quoted
// where a YAML reader would otherwise take them for another type.
std::string mlmodel_to_yaml(const MlmodelDocument& document);

// A random (version 4) UUID as 32 hex digits.
std::string new_model_uuid();
// The current UTC time as "YYYY-MM-DD HH:MM:SS.ffffff".
std::string utc_time_created_now();

}  // namespace mlflowcpp::client
