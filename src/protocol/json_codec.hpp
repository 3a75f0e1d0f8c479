#pragma once

// The JSON form of the protocol model, exactly as the official MLflow server
// sends it: int64 as numbers, ids as strings, NaN as "NaN", default-valued
// fields left out (except the empty strings the official server keeps).
// Internal to the library, the server and the tests; never installed.

#include <mlflowcpp/entities.hpp>
#include <nlohmann/json.hpp>

namespace mlflowcpp::protocol {

using Json = nlohmann::json;

// Serialises with invalid UTF-8 replaced, so a response can never throw.
std::string dump(const Json& value);

// A double as MLflow sends it: NaN as "NaN", ±inf as "Infinity"/"-Infinity",
// everything else as a number.
Json double_to_json(double value);
// Accepts numbers and the strings "NaN", "Infinity", "-Infinity" (also "inf" forms);
// nullopt for anything else (booleans included).
std::optional<double> double_from_json(const Json& value);
// Accepts integers, integral doubles and decimal strings (protobuf JSON rules).
std::optional<int64_t> int64_from_json(const Json& value);

Json to_json(const ExperimentTag& tag);
Json to_json(const Experiment& experiment);
Json to_json(const Metric& metric);
Json to_json(const MetricWithRunId& metric);
Json to_json(const Param& param);
Json to_json(const RunTag& tag);
Json to_json(const InputTag& tag);
Json to_json(const Dataset& dataset);
Json to_json(const DatasetInput& input);
Json to_json(const DatasetSummary& summary);
Json to_json(const RunInfo& info);
Json to_json(const RunData& data);
Json to_json(const ModelInput& input);
Json to_json(const ModelOutput& output);
Json to_json(const RunInputs& inputs);
Json to_json(const RunOutputs& outputs);
Json to_json(const FileInfo& file);
// With `with_inputs` false the `inputs` key is left out (runs/create does that).
Json to_json(const Run& run, bool with_inputs = true);

// A response body already serialised. Metric series are written straight to
// text: a DOM of 100,000 points costs about three times as much to build and
// serialise, and leaves the allocator holding its many small blocks.
struct JsonText {
  std::string text;
};

// {"metrics": [...]}, the same JSON as put_list(body, "metrics", metrics) gives;
// with `omit_when_empty` an empty series is {} (get-history), else {"metrics": []}.
JsonText metrics_response(const std::vector<Metric>& metrics, bool omit_when_empty = true);
JsonText metrics_response(const std::vector<MetricWithRunId>& metrics, bool omit_when_empty = true);

// The reverse direction, for the client reading responses. Unknown fields are
// ignored; a missing field takes its default. Throws MlflowException
// (INTERNAL_ERROR) when a field has the wrong JSON type.
Experiment experiment_from_json(const Json& json);
Metric metric_from_json(const Json& json);
Param param_from_json(const Json& json);
RunTag run_tag_from_json(const Json& json);
Dataset dataset_from_json(const Json& json);
DatasetInput dataset_input_from_json(const Json& json);
RunInfo run_info_from_json(const Json& json);
Run run_from_json(const Json& json);
FileInfo file_info_from_json(const Json& json);

}  // namespace mlflowcpp::protocol
