#pragma once

// MLflow 3's logged models: a model with its own id, its status, params, tags
// and the metrics linked to it, independent of the run that produced it.
// Field names follow MLflow's service.proto (LoggedModel, LoggedModelInfo,
// LoggedModelData).
//
// Optional fields are the ones the official server leaves out of its JSON
// when the database holds NULL: "absent" and "empty string" are different
// answers there (a model created over REST without a type has `"model_type": ""`).

#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp {

// The proto's LoggedModelStatus, with its numbers (also the database's).
enum class LoggedModelStatus { kUnspecified = 0, kPending = 1, kReady = 2, kUploadFailed = 3 };

// The proto names: "LOGGED_MODEL_PENDING", "LOGGED_MODEL_READY", ...
MLFLOWCPP_EXPORT std::string_view to_string(LoggedModelStatus status);
// Proto names or numbers ("2"); nullopt for anything else.
MLFLOWCPP_EXPORT std::optional<LoggedModelStatus> parse_logged_model_status(std::string_view text);

struct LoggedModelTag {
  std::string key;
  std::string value;
};

struct LoggedModelParameter {
  std::string key;
  std::string value;
};

// A metric value linked to a model, optionally measured on a dataset.
struct LoggedModelMetric {
  std::string key;
  double value = 0;
  int64_t timestamp = 0;  // epoch ms
  int64_t step = 0;
  std::optional<std::string> dataset_name;
  std::optional<std::string> dataset_digest;
  std::string model_id;
  std::string run_id;  // the run that logged the value
};

struct LoggedModelInfo {
  std::string model_id;  // "m-" + 32 lowercase hex digits
  std::string experiment_id;
  std::string name;
  int64_t creation_timestamp_ms = 0;
  int64_t last_updated_timestamp_ms = 0;
  std::string artifact_uri;  // <experiment artifact location>/models/<model_id>/artifacts
  LoggedModelStatus status = LoggedModelStatus::kPending;
  // Kept by the server but never sent by the official one (its proto
  // conversion leaves it out), so the JSON form leaves it out too.
  std::optional<std::string> status_message;
  std::optional<std::string> model_type;
  std::optional<std::string> source_run_id;
  std::vector<LoggedModelTag> tags;  // in key order
};

struct LoggedModelData {
  std::vector<LoggedModelParameter> params;  // in key order
  std::vector<LoggedModelMetric> metrics;    // in the order they were logged
};

struct LoggedModel {
  LoggedModelInfo info;
  LoggedModelData data;
};

}  // namespace mlflowcpp
