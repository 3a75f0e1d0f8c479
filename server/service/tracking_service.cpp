#include "server/service/tracking_service.hpp"

#include "server/artifacts/artifact_path.hpp"
#include "server/search/page_size.hpp"
#include "server/search/scope_narrowing.hpp"
#include "server/service/validation.hpp"

#include <mlflowcpp/errors.hpp>

#include "protocol/json_codec.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mlflowcpp::server {

TrackingService::TrackingService(TrackingStore& store, const ArtifactLister& artifacts)
    : store_(store), artifacts_(artifacts) {}

// ---------------------------------------------------------------------------
// Experiments

std::string TrackingService::create_experiment(const std::string& name, const std::string& artifact_location,
                                               const std::vector<ExperimentTag>& tags) {
  validation::validate_experiment_name(name);
  if (!artifact_location.empty()) {
    validation::validate_artifact_location(artifact_location);
    artifacts_.locator().roots().require_allowed(artifact_location, ErrorCode::kInvalidParameterValue,
                                                 "Artifact location");
  }
  for (const auto& tag : tags) validation::validate_experiment_tag(tag);
  return store_.create_experiment(name, artifact_location, tags);
}

Experiment TrackingService::get_experiment(const std::string& experiment_id) {
  return store_.get_experiment(experiment_id);
}

Experiment TrackingService::get_experiment_by_name(const std::string& name) {
  return store_.get_experiment_by_name(name);
}

Page<Experiment> TrackingService::search_experiments(const SearchExperimentsRequest& request) {
  search::validate_page_size(search::SearchedEntity::kExperiments, request.max_results);
  return store_.search_experiments(request);
}

void TrackingService::delete_experiment(const std::string& experiment_id) {
  store_.delete_experiment(experiment_id);
}

void TrackingService::restore_experiment(const std::string& experiment_id) {
  store_.restore_experiment(experiment_id);
}

void TrackingService::rename_experiment(const std::string& experiment_id, const std::string& new_name) {
  validation::validate_experiment_name(new_name);
  store_.rename_experiment(experiment_id, new_name);
}

void TrackingService::set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) {
  validation::validate_experiment_tag(tag);
  store_.set_experiment_tag(experiment_id, tag);
}

void TrackingService::delete_experiment_tag(const std::string& experiment_id, const std::string& key) {
  store_.delete_experiment_tag(experiment_id, key);
}

// ---------------------------------------------------------------------------
// Runs

Run TrackingService::create_run(const CreateRunRequest& request) {
  validation::validate_user_id(request.user_id);
  validation::validate_run_name(request.run_name);
  for (const auto& tag : request.tags) {
    validation::validate_tag(tag);
    if (tag.key == validation::kRunNameTag && !request.run_name.empty() && tag.value != request.run_name) {
      throw invalid_parameter(fmt::format(
          "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
          "(run_name='{}', mlflow.runName='{}').",
          request.run_name, tag.value));
    }
  }
  return store_.create_run(request);
}

RunInfo TrackingService::update_run(const UpdateRunRequest& request) {
  if (request.run_name) validation::validate_run_name(*request.run_name);
  return store_.update_run(request);
}

Run TrackingService::get_run(const std::string& run_id) { return store_.get_run(run_id); }

void TrackingService::delete_run(const std::string& run_id) { store_.delete_run(run_id); }

void TrackingService::restore_run(const std::string& run_id) { store_.restore_run(run_id); }

Page<Run> TrackingService::search_runs(const SearchRunsRequest& request) {
  search::validate_page_size(search::SearchedEntity::kRuns, request.max_results);
  return store_.search_runs(request);
}

// ---------------------------------------------------------------------------
// Logging

namespace {

// A metric's links to a logged model and a dataset land in columns of
// logged_model_metrics with these widths; the model itself is checked by the store.
void validate_model_metric_links(const Metric& metric) {
  if (metric.model_id.empty()) return;  // nothing of it is stored then
  if (metric.dataset_name.size() > validation::kMaxDatasetNameLength) {
    throw invalid_parameter(fmt::format("Metric dataset_name is too long: {} characters, at most {}.",
                                        metric.dataset_name.size(), validation::kMaxDatasetNameLength));
  }
  if (metric.dataset_digest.size() > validation::kMaxDatasetDigestLength) {
    throw invalid_parameter(fmt::format("Metric dataset_digest is too long: {} characters, at most {}.",
                                        metric.dataset_digest.size(), validation::kMaxDatasetDigestLength));
  }
}

void require_model_id(const std::string& model_id) {
  if (model_id.empty()) throw invalid_parameter("Missing value for required parameter 'model_id'.");
}

}  // namespace

void TrackingService::log_metric(const std::string& run_id, const Metric& metric) {
  validation::validate_metric(metric);
  if (stores_model_links()) validate_model_metric_links(metric);
  store_.log_batch(run_id, {metric}, {}, {});
}

void TrackingService::log_param(const std::string& run_id, const Param& param) {
  validation::validate_param(param);
  store_.log_batch(run_id, {}, {param}, {});
}

void TrackingService::set_tag(const std::string& run_id, const RunTag& tag) {
  validation::validate_tag(tag);
  store_.set_tag(run_id, tag);
}

void TrackingService::delete_tag(const std::string& run_id, const std::string& key) {
  store_.delete_tag(run_id, key);
}

void TrackingService::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                                const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  validation::validate_batch(metrics, params, tags);
  if (stores_model_links()) {
    for (const auto& metric : metrics) validate_model_metric_links(metric);
  }
  store_.log_batch(run_id, metrics, params, tags);
}

void TrackingService::log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                                 const std::vector<ModelInput>& models) {
  validation::validate_dataset_inputs(datasets);
  for (const auto& model : models) require_model_id(model.model_id);
  store_.log_inputs(run_id, datasets, models);
}

void TrackingService::log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) {
  if (run_id.empty()) throw invalid_parameter("Missing value for required parameter 'run_id'.");
  for (const auto& model : models) require_model_id(model.model_id);
  store_.log_outputs(run_id, models);
}

void TrackingService::log_model(const std::string& run_id, const std::string& model_json) {
  // The history lives in one tag value (at most 5000 characters), so longer
  // descriptions can never be stored; refusing them early also bounds parsing.
  constexpr std::size_t kMaxModelJsonBytes = 4 * validation::kMaxTagValueLength;
  constexpr const char* kHistoryTag = "mlflow.log-model.history";
  if (model_json.size() > kMaxModelJsonBytes) {
    throw invalid_parameter(fmt::format("model_json is too long: {} bytes, at most {}.", model_json.size(),
                                        kMaxModelJsonBytes));
  }
  protocol::Json model = protocol::Json::parse(model_json, nullptr, /*allow_exceptions=*/false);
  if (!model.is_object()) throw invalid_parameter("Malformed model info: model_json must be a JSON object.");
  std::vector<std::string> missing;
  for (const char* field : {"artifact_path", "flavors", "run_id", "utc_time_created"}) {
    if (!model.contains(field)) missing.emplace_back(field);
  }
  if (!missing.empty()) {
    throw invalid_parameter(
        fmt::format("Model json is missing mandatory fields: {{'{}'}}", fmt::join(missing, "', '")));
  }
  // The append is one store transaction: concurrent log-model calls on one run all stay in the history.
  store_.update_tag(run_id, kHistoryTag, [&model](const std::optional<std::string>& current) {
    protocol::Json history = protocol::Json::array();
    if (current) {
      protocol::Json previous = protocol::Json::parse(*current, nullptr, /*allow_exceptions=*/false);
      if (previous.is_array()) history = std::move(previous);
    }
    history.push_back(model);
    RunTag tag{kHistoryTag, protocol::dump(history)};
    validation::validate_tag(tag);
    return std::move(tag.value);
  });
}

// ---------------------------------------------------------------------------
// Metric history

std::string TrackingService::read_metric_history(const MetricHistoryPageRequest& request, MetricHistorySink& sink) {
  if (request.max_results &&
      (*request.max_results < 1 || *request.max_results > kMaxMetricHistoryPageSize)) {
    throw invalid_parameter(fmt::format("Invalid value {} for parameter 'max_results': it must be between 1 and {}.",
                                        *request.max_results, kMaxMetricHistoryPageSize));
  }
  // The official server answers an empty history (200 {}) for a missing run or
  // key rather than an error; clients poll history before a run has data.
  if (request.run_id.empty() || request.metric_key.empty()) return {};
  try {
    return store_.read_metric_history_page(request, sink);
  } catch (const MlflowException& error) {
    if (error.code() != ErrorCode::kResourceDoesNotExist) throw;
    sink.clear();
    return {};
  }
}

std::vector<MetricWithRunId> TrackingService::get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                                      const std::string& metric_key,
                                                                      std::optional<int64_t> max_results) {
  if (run_ids.empty()) {
    throw invalid_parameter("GetMetricHistoryBulk request must specify at least one run_id.");
  }
  if (run_ids.size() > kMaxHistoryBulkRunIds) {
    throw invalid_parameter(fmt::format(
        "GetMetricHistoryBulk request cannot specify more than {} run_ids. Received {} run_ids.",
        kMaxHistoryBulkRunIds, run_ids.size()));
  }
  if (metric_key.empty()) throw invalid_parameter("GetMetricHistoryBulk request must specify a metric_key.");
  if (max_results && *max_results < 1) {
    throw invalid_parameter(
        fmt::format("Invalid value {} for parameter 'max_results': it must be a positive integer.", *max_results));
  }
  const int64_t limit = std::min(max_results.value_or(kMaxHistoryBulkResults), kMaxHistoryBulkResults);
  return store_.get_metric_history_bulk(run_ids, metric_key, limit);
}

std::vector<MetricWithRunId> TrackingService::get_metric_history_bulk_interval(
    const MetricHistoryBulkIntervalRequest& request) {
  if (request.run_ids.empty()) {
    throw invalid_parameter("Missing value for required parameter 'run_ids'.");
  }
  if (request.run_ids.size() > kMaxBulkIntervalRunIds) {
    throw invalid_parameter(fmt::format("GetMetricHistoryBulkInterval request must specify at most {} run_ids. "
                                        "Received {} run_ids.",
                                        kMaxBulkIntervalRunIds, request.run_ids.size()));
  }
  if (request.metric_key.empty()) {
    throw invalid_parameter("Missing value for required parameter 'metric_key'.");
  }
  if (request.max_results < 1 || request.max_results > kMaxBulkIntervalResults) {
    throw invalid_parameter(fmt::format("max_results must be between 1 and {}. Received {}.",
                                        kMaxBulkIntervalResults, request.max_results));
  }
  if (request.start_step.has_value() != request.end_step.has_value()) {
    throw invalid_parameter("If either start step or end step are specified, both must be specified.");
  }
  if (request.start_step && *request.start_step > *request.end_step) {
    throw invalid_parameter("end_step must be greater than start_step. ");
  }
  return store_.get_metric_history_bulk_interval(request);
}

std::vector<DatasetSummary> TrackingService::search_datasets(const std::vector<std::string>& experiment_ids,
                                                             const search::IdScope& readable_experiments) {
  if (experiment_ids.empty()) {
    throw invalid_parameter("SearchDatasets request must specify at least one experiment_id.");
  }
  if (experiment_ids.size() > kMaxSearchDatasetsExperimentIds) {
    throw invalid_parameter(fmt::format(
        "SearchDatasets request cannot specify more than {} experiment_ids. Received {} experiment_ids.",
        kMaxSearchDatasetsExperimentIds, experiment_ids.size()));
  }
  const std::vector<std::string> readable = search::admitted_experiment_ids(experiment_ids, readable_experiments);
  if (readable.empty()) return {};
  return store_.search_datasets(readable);
}

ArtifactListing TrackingService::list_artifacts(const std::string& run_id, const std::string& path) {
  if (!path.empty()) validate_artifact_path(path);
  const Run run = store_.get_run(run_id);
  ArtifactListing listing;
  listing.root_uri = run.info.artifact_uri;
  listing.files = artifacts_.list(run.info.artifact_uri, path);
  return listing;
}

}  // namespace mlflowcpp::server
