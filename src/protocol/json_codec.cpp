#include "protocol/json_codec.hpp"

#include "protocol/json_fields.hpp"
#include "protocol/json_lists.hpp"
#include "protocol/json_numbers.hpp"

#include <mlflowcpp/errors.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace mlflowcpp::protocol {
namespace {

using fields::bool_field;
using fields::double_field;
using fields::int64_field;
using fields::list_field;
using fields::object_field;
using fields::optional_int64_field;
using fields::optional_string_field;
using fields::require_object;
using fields::string_field;

template <typename KeyValue>
KeyValue key_value_from_json(const Json& json) {
  require_object(json, "key/value");
  return KeyValue{string_field(json, "key"), string_field(json, "value")};
}

template <typename KeyValue>
Json key_value_to_json(const KeyValue& item) {
  return Json{{"key", item.key}, {"value", item.value}};
}

}  // namespace

std::string dump(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json double_to_json(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

std::optional<double> double_from_json(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  // Protobuf's JSON form also accepts a number written as a string.
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double parsed = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(parsed)) return std::nullopt;
  return parsed;
}

std::optional<int64_t> int64_from_json(const Json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return value.get<int64_t>();
  }
  if (value.is_number_float()) {
    double number = value.get<double>();
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (!std::isfinite(number) || std::trunc(number) != number || number >= 9223372036854775808.0 ||
        number < -9223372036854775808.0) {
      return std::nullopt;
    }
    return static_cast<int64_t>(number);
  }
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  std::size_t digits_start = (!text.empty() && text[0] == '-') ? 1 : 0;
  if (text.size() == digits_start || text.size() > 20) return std::nullopt;
  for (std::size_t i = digits_start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  errno = 0;
  long long parsed = std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return std::nullopt;
  return static_cast<int64_t>(parsed);
}

// ---------------------------------------------------------------------------
// Model -> JSON

Json to_json(const ExperimentTag& tag) { return key_value_to_json(tag); }
Json to_json(const Param& param) { return key_value_to_json(param); }
Json to_json(const RunTag& tag) { return key_value_to_json(tag); }
Json to_json(const InputTag& tag) { return key_value_to_json(tag); }

Json to_json(const Experiment& experiment) {
  Json json{{"experiment_id", experiment.experiment_id},
            {"name", experiment.name},
            {"artifact_location", experiment.artifact_location},
            {"lifecycle_stage", to_string(experiment.lifecycle_stage)},
            {"last_update_time", experiment.last_update_time},
            {"creation_time", experiment.creation_time}};
  put_list(json, "tags", experiment.tags);
  return json;
}

Json to_json(const Metric& metric) {
  Json json{{"key", metric.key},
            {"value", double_to_json(metric.value)},
            {"timestamp", metric.timestamp},
            {"step", metric.step}};
  // MLflow 3's fields, sent only when set so 2.x peers see the 2.x shape.
  if (!metric.model_id.empty()) json["model_id"] = metric.model_id;
  if (!metric.dataset_name.empty()) json["dataset_name"] = metric.dataset_name;
  if (!metric.dataset_digest.empty()) json["dataset_digest"] = metric.dataset_digest;
  return json;
}

Json to_json(const MetricWithRunId& metric) {
  return Json{{"key", metric.key},
              {"value", double_to_json(metric.value)},
              {"timestamp", metric.timestamp},
              {"step", metric.step},
              {"run_id", metric.run_id}};
}

Json to_json(const Dataset& dataset) {
  Json json{{"name", dataset.name},
            {"digest", dataset.digest},
            {"source_type", dataset.source_type},
            {"source", dataset.source}};
  if (dataset.schema && !dataset.schema->empty()) json["schema"] = *dataset.schema;
  if (dataset.profile && !dataset.profile->empty()) json["profile"] = *dataset.profile;
  return json;
}

Json to_json(const DatasetInput& input) {
  Json json = Json::object();
  put_list(json, "tags", input.tags);
  json["dataset"] = to_json(input.dataset);
  return json;
}

Json to_json(const DatasetSummary& summary) {
  Json json{{"experiment_id", summary.experiment_id}, {"name", summary.name}, {"digest", summary.digest}};
  if (!summary.context.empty()) json["context"] = summary.context;
  return json;
}

Json to_json(const RunInfo& info) {
  // The official server always sends run_name and user_id, even when empty.
  Json json{{"run_uuid", info.run_id},
            {"run_id", info.run_id},
            {"experiment_id", info.experiment_id},
            {"run_name", info.run_name},
            {"user_id", info.user_id},
            {"status", to_string(info.status)},
            {"start_time", info.start_time},
            {"artifact_uri", info.artifact_uri},
            {"lifecycle_stage", to_string(info.lifecycle_stage)}};
  if (info.end_time) json["end_time"] = *info.end_time;
  return json;
}

Json to_json(const RunData& data) {
  Json json = Json::object();
  put_list(json, "metrics", data.metrics);
  put_list(json, "params", data.params);
  put_list(json, "tags", data.tags);
  return json;
}

Json to_json(const ModelInput& input) { return Json{{"model_id", input.model_id}}; }

Json to_json(const ModelOutput& output) { return Json{{"model_id", output.model_id}, {"step", output.step}}; }

Json to_json(const RunInputs& inputs) {
  Json json = Json::object();
  put_list(json, "dataset_inputs", inputs.dataset_inputs);
  put_list(json, "model_inputs", inputs.model_inputs);
  return json;
}

Json to_json(const RunOutputs& outputs) {
  Json json = Json::object();
  put_list(json, "model_outputs", outputs.model_outputs);
  return json;
}

Json to_json(const FileInfo& file) {
  Json json{{"path", file.path}, {"is_dir", file.is_dir}};
  if (file.file_size) json["file_size"] = *file.file_size;
  return json;
}

Json to_json(const Run& run, bool with_inputs) {
  Json json{{"info", to_json(run.info)}, {"data", to_json(run.data)}};
  if (with_inputs) json["inputs"] = to_json(run.inputs);
  if (!run.outputs.model_outputs.empty()) json["outputs"] = to_json(run.outputs);
  return json;
}

// ---------------------------------------------------------------------------
// Metric series straight to text

namespace {

// Keys repeat along a series: escape each distinct key once.
class KeyWriter {
 public:
  void append(std::string& out, const std::string& key) {
    if (key != last_key_ || escaped_.empty()) {
      last_key_ = key;
      escaped_ = dump(Json(key));
    }
    out += escaped_;
  }

 private:
  std::string last_key_;
  std::string escaped_;
};

void append_point(std::string& out, KeyWriter& keys, const std::string& key, double value, int64_t timestamp,
                  int64_t step) {
  out += "{\"key\":";
  keys.append(out, key);
  out += ",\"value\":";
  append_json_double(out, value);
  char number[kMaxJsonNumberChars];
  out += ",\"timestamp\":";
  out.append(number, write_json_int64(number, timestamp));
  out += ",\"step\":";
  out.append(number, write_json_int64(number, step));
}

template <typename Point, typename AppendExtra>
JsonText write_metrics(const std::vector<Point>& metrics, bool omit_when_empty, AppendExtra append_extra) {
  JsonText body;
  if (metrics.empty() && omit_when_empty) {
    body.text = "{}";
    return body;
  }
  body.text.reserve(16 + metrics.size() * 80);
  body.text += "{\"metrics\":[";
  KeyWriter keys;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    if (i > 0) body.text += ',';
    const Point& point = metrics[i];
    append_point(body.text, keys, point.key, point.value, point.timestamp, point.step);
    append_extra(body.text, point);
    body.text += '}';
  }
  body.text += "]}";
  return body;
}

}  // namespace

JsonText metrics_response(const std::vector<Metric>& metrics, bool omit_when_empty) {
  return write_metrics(metrics, omit_when_empty, [](std::string&, const Metric&) {});
}

JsonText metrics_response(const std::vector<MetricWithRunId>& metrics, bool omit_when_empty) {
  KeyWriter run_ids;
  return write_metrics(metrics, omit_when_empty, [&run_ids](std::string& out, const MetricWithRunId& point) {
    out += ",\"run_id\":";
    run_ids.append(out, point.run_id);
  });
}

// ---------------------------------------------------------------------------
// JSON -> model

Experiment experiment_from_json(const Json& json) {
  require_object(json, "experiment");
  Experiment experiment;
  experiment.experiment_id = string_field(json, "experiment_id");
  experiment.name = string_field(json, "name");
  experiment.artifact_location = string_field(json, "artifact_location");
  experiment.lifecycle_stage =
      parse_lifecycle_stage(string_field(json, "lifecycle_stage")).value_or(LifecycleStage::kActive);
  experiment.last_update_time = int64_field(json, "last_update_time");
  experiment.creation_time = int64_field(json, "creation_time");
  experiment.tags = list_field<ExperimentTag>(json, "tags", key_value_from_json<ExperimentTag>);
  return experiment;
}

Metric metric_from_json(const Json& json) {
  require_object(json, "metric");
  Metric metric{string_field(json, "key"), double_field(json, "value"), int64_field(json, "timestamp"),
                int64_field(json, "step")};
  metric.model_id = string_field(json, "model_id");
  metric.dataset_name = string_field(json, "dataset_name");
  metric.dataset_digest = string_field(json, "dataset_digest");
  return metric;
}

Param param_from_json(const Json& json) { return key_value_from_json<Param>(json); }
RunTag run_tag_from_json(const Json& json) { return key_value_from_json<RunTag>(json); }

Dataset dataset_from_json(const Json& json) {
  require_object(json, "dataset");
  Dataset dataset;
  dataset.name = string_field(json, "name");
  dataset.digest = string_field(json, "digest");
  dataset.source_type = string_field(json, "source_type");
  dataset.source = string_field(json, "source");
  dataset.schema = optional_string_field(json, "schema");
  dataset.profile = optional_string_field(json, "profile");
  return dataset;
}

DatasetInput dataset_input_from_json(const Json& json) {
  require_object(json, "dataset_input");
  DatasetInput input;
  input.tags = list_field<InputTag>(json, "tags", key_value_from_json<InputTag>);
  input.dataset = dataset_from_json(object_field(json, "dataset"));
  return input;
}

RunInfo run_info_from_json(const Json& json) {
  require_object(json, "run_info");
  RunInfo info;
  info.run_id = string_field(json, "run_id");
  if (info.run_id.empty()) info.run_id = string_field(json, "run_uuid");
  info.run_name = string_field(json, "run_name");
  info.experiment_id = string_field(json, "experiment_id");
  info.user_id = string_field(json, "user_id");
  info.status = parse_run_status(string_field(json, "status")).value_or(RunStatus::kRunning);
  info.start_time = int64_field(json, "start_time");
  info.end_time = optional_int64_field(json, "end_time");
  info.artifact_uri = string_field(json, "artifact_uri");
  info.lifecycle_stage = parse_lifecycle_stage(string_field(json, "lifecycle_stage")).value_or(LifecycleStage::kActive);
  return info;
}

Run run_from_json(const Json& json) {
  require_object(json, "run");
  Run run;
  run.info = run_info_from_json(object_field(json, "info"));
  const Json& data = object_field(json, "data");
  run.data.metrics = list_field<Metric>(data, "metrics", metric_from_json);
  run.data.params = list_field<Param>(data, "params", param_from_json);
  run.data.tags = list_field<RunTag>(data, "tags", run_tag_from_json);
  const Json& inputs = object_field(json, "inputs");
  run.inputs.dataset_inputs = list_field<DatasetInput>(inputs, "dataset_inputs", dataset_input_from_json);
  run.inputs.model_inputs = list_field<ModelInput>(inputs, "model_inputs", [](const Json& input) {
    require_object(input, "model_input");
    return ModelInput{string_field(input, "model_id")};
  });
  run.outputs.model_outputs =
      list_field<ModelOutput>(object_field(json, "outputs"), "model_outputs", [](const Json& output) {
        require_object(output, "model_output");
        return ModelOutput{string_field(output, "model_id"), int64_field(output, "step")};
      });
  return run;
}

FileInfo file_info_from_json(const Json& json) {
  require_object(json, "file_info");
  FileInfo file;
  file.path = string_field(json, "path");
  file.is_dir = bool_field(json, "is_dir");
  file.file_size = optional_int64_field(json, "file_size");
  return file;
}

}  // namespace mlflowcpp::protocol
