#pragma once

// The MLflow protocol model: one set of types for the client and the server.
// Field names follow MLflow's protos; their JSON form is the official server's.

#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp {

enum class RunStatus { kRunning = 1, kScheduled = 2, kFinished = 3, kFailed = 4, kKilled = 5 };
enum class ViewType { kActiveOnly = 1, kDeletedOnly = 2, kAll = 3 };
enum class LifecycleStage { kActive, kDeleted };

MLFLOWCPP_EXPORT std::string_view to_string(RunStatus status);
MLFLOWCPP_EXPORT std::string_view to_string(ViewType view);
MLFLOWCPP_EXPORT std::string_view to_string(LifecycleStage stage);
// Names ("FINISHED") or the proto numbers ("3"); nullopt for anything else.
MLFLOWCPP_EXPORT std::optional<RunStatus> parse_run_status(std::string_view text);
MLFLOWCPP_EXPORT std::optional<ViewType> parse_view_type(std::string_view text);
MLFLOWCPP_EXPORT std::optional<LifecycleStage> parse_lifecycle_stage(std::string_view text);

struct ExperimentTag {
  std::string key;
  std::string value;
};

struct Experiment {
  std::string experiment_id;
  std::string name;
  std::string artifact_location;
  LifecycleStage lifecycle_stage = LifecycleStage::kActive;
  int64_t last_update_time = 0;
  int64_t creation_time = 0;
  std::vector<ExperimentTag> tags;
};

struct Metric {
  Metric() = default;
  // The 2.x fields, so `Metric{key, value, timestamp, step}` keeps its meaning.
  Metric(std::string key_, double value_, int64_t timestamp_ = 0, int64_t step_ = 0)
      : key(std::move(key_)), value(value_), timestamp(timestamp_), step(step_) {}

  std::string key;
  double value = 0;
  int64_t timestamp = 0;
  int64_t step = 0;
  // MLflow 3: the logged model the value was measured on, and the dataset
  // (name and digest) it was measured with; empty when not given.
  std::string model_id;
  std::string dataset_name;
  std::string dataset_digest;
};

struct MetricWithRunId {
  std::string key;
  double value = 0;
  int64_t timestamp = 0;
  int64_t step = 0;
  std::string run_id;
};

struct Param {
  std::string key;
  std::string value;
};

struct RunTag {
  std::string key;
  std::string value;
};

struct InputTag {
  std::string key;
  std::string value;
};

struct Dataset {
  std::string name;
  std::string digest;
  std::string source_type;
  std::string source;  // JSON text
  std::optional<std::string> schema;   // JSON text
  std::optional<std::string> profile;  // JSON text
};

struct DatasetInput {
  std::vector<InputTag> tags;
  Dataset dataset;
};

struct DatasetSummary {
  std::string experiment_id;
  std::string name;
  std::string digest;
  std::string context;
};

struct RunInfo {
  std::string run_id;  // also sent as the deprecated `run_uuid`
  std::string run_name;
  std::string experiment_id;
  std::string user_id;
  RunStatus status = RunStatus::kRunning;
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::string artifact_uri;
  LifecycleStage lifecycle_stage = LifecycleStage::kActive;
};

struct RunData {
  std::vector<Metric> metrics;  // the latest value of each key
  std::vector<Param> params;
  std::vector<RunTag> tags;
};

// MLflow 3: a logged model a run used as an input.
struct ModelInput {
  std::string model_id;
};

// MLflow 3: a logged model a run produced, at the step it was logged at.
struct ModelOutput {
  std::string model_id;
  int64_t step = 0;
};

struct RunInputs {
  std::vector<DatasetInput> dataset_inputs;
  std::vector<ModelInput> model_inputs;  // MLflow 3
};

struct RunOutputs {
  std::vector<ModelOutput> model_outputs;  // MLflow 3
};

struct Run {
  RunInfo info;
  RunData data;
  RunInputs inputs;
  RunOutputs outputs;  // MLflow 3
};

// An entry of an artifact listing.
struct FileInfo {
  std::string path;
  bool is_dir = false;
  std::optional<int64_t> file_size;  // absent for directories
};

// One page of a paged search: items and the token of the next page ("" at the end).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

}  // namespace mlflowcpp
