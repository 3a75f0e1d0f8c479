#pragma once

// Shape and length rules for what users log, as MLflow 2.9.2 enforces them
// (mlflow/utils/validation.py) plus the column sizes of MLflow's schema, so an
// over-long value is a 400 and never a database error. Lengths count Unicode
// code points, as Python does. Every rule throws MlflowException
// (INVALID_PARAMETER_VALUE) on violation.

#include <mlflowcpp/entities.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::validation {

// Limits of MLflow 2.9.2 (values never truncated: over-long is a 400).
inline constexpr std::size_t kMaxEntityKeyLength = 250;
inline constexpr std::size_t kMaxParamValueLength = 6000;
inline constexpr std::size_t kMaxTagValueLength = 5000;
inline constexpr std::size_t kMaxExperimentTagValueLength = 5000;
inline constexpr std::size_t kMaxMetricsPerBatch = 1000;
inline constexpr std::size_t kMaxParamsPerBatch = 100;
inline constexpr std::size_t kMaxTagsPerBatch = 100;
inline constexpr std::size_t kMaxEntitiesPerBatch = 1000;
inline constexpr std::size_t kMaxBatchRequestBytes = 1000000;
inline constexpr std::size_t kMaxDatasetNameLength = 500;
inline constexpr std::size_t kMaxDatasetDigestLength = 36;
inline constexpr std::size_t kMaxDatasetSourceTypeLength = 36;
inline constexpr std::size_t kMaxDatasetSourceLength = 65535;
inline constexpr std::size_t kMaxDatasetSchemaLength = 1048575;
inline constexpr std::size_t kMaxDatasetProfileLength = 16777215;
inline constexpr std::size_t kMaxInputTagKeyLength = 255;
inline constexpr std::size_t kMaxInputTagValueLength = 500;
inline constexpr std::size_t kMaxDatasetsPerRequest = 1000;

// Column sizes of the 2.9 schema that have no rule of their own upstream.
inline constexpr std::size_t kMaxExperimentNameLength = 256;       // experiments.name
inline constexpr std::size_t kMaxArtifactLocationLength = 256;     // experiments.artifact_location
inline constexpr std::size_t kMaxRunNameLength = 250;              // runs.name
inline constexpr std::size_t kMaxUserIdLength = 256;               // runs.user_id

// The tag that mirrors the run name; its value lands in runs.name too.
inline constexpr std::string_view kRunNameTag = "mlflow.runName";

// Number of Unicode code points of UTF-8 text (each invalid byte counts as one).
std::size_t code_point_count(std::string_view utf8);

// Python's posixpath.normpath.
std::string posix_normpath(std::string_view path);

// "<what> '<value>' had length N, which exceeded length limit of L" when longer than `limit`.
void check_length(std::string_view what, std::string_view value, std::size_t limit);

// Metric, param and tag keys: charset ^[/\w.\- :]*$ and path safety.
void validate_metric_name(std::string_view key);
void validate_param_name(std::string_view key);
void validate_tag_name(std::string_view key);

void validate_metric(const Metric& metric);
void validate_param(const Param& param);
void validate_tag(const RunTag& tag);
void validate_experiment_tag(const ExperimentTag& tag);

// Batch caps, per-item rules and unique param keys.
void validate_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                    const std::vector<RunTag>& tags);

void validate_experiment_name(std::string_view name);
void validate_artifact_location(std::string_view location);
void validate_run_name(std::string_view run_name);
void validate_user_id(std::string_view user_id);

void validate_dataset_inputs(const std::vector<DatasetInput>& inputs);

}  // namespace mlflowcpp::server::validation
