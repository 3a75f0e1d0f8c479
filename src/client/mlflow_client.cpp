#include <mlflowcpp/client.hpp>

#include "client/async_logging/async_logger.hpp"
#include "client/log_batch_planner.hpp"
#include "client/paging.hpp"
#include "client/rest_call.hpp"
#include "client/retry_policy.hpp"
#include "client/server_features.hpp"
#include "protocol/json_lists.hpp"

#include <atomic>
#include <chrono>
#include <memory>

namespace mlflowcpp {

using client::Json;
using client::list_from;
using client::next_page_token;
using client::object_at;
using protocol::list_to_json;

namespace {

client::LogItem metric_item(const std::string& key, double value, int64_t timestamp, int64_t step) {
  client::LogItem item;
  item.kind = client::LogItemKind::kMetric;
  item.key = key;
  item.value = value;
  item.timestamp = timestamp;
  item.step = step;
  return item;
}

client::LogItem text_item(client::LogItemKind kind, const std::string& key, const std::string& value) {
  client::LogItem item;
  item.kind = kind;
  item.key = key;
  item.text = value;
  return item;
}

void add_model_fields(client::LogItem& item, const std::string& model_id, const std::string& dataset_name,
                      const std::string& dataset_digest) {
  if (model_id.empty() && dataset_name.empty() && dataset_digest.empty()) return;
  item.model =
      std::make_unique<client::MetricModelFields>(client::MetricModelFields{model_id, dataset_name, dataset_digest});
}

}  // namespace

AsyncLoggingOptions async_logging_options(const ResolvedClientOptions& options) {
  AsyncLoggingOptions async;
  async.buffering = client::seconds_to_millis(options.async_logging_buffering_seconds);
  return async;
}

int64_t now_epoch_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

MlflowClient::MlflowClient() : MlflowClient(ClientOptions{}) {}

MlflowClient::MlflowClient(const ClientOptions& options) : MlflowClient(make_connection(options)) {}

MlflowClient::MlflowClient(std::shared_ptr<Connection> connection)
    : connection_(std::move(connection)),
      server_features_(std::make_shared<client::ServerFeatures>()),
      artifact_progress_(std::make_shared<const ArtifactProgressCallback>()) {
  if (!connection_) throw invalid_parameter("MlflowClient needs a connection, got none");
  // Only a connection built from settings carries the switch; one handed in (a mock, a decorator) logs synchronously
  // until told otherwise.
  if (const ResolvedClientOptions* resolved = connection_->resolved_options(); resolved && resolved->async_logging) {
    enable_async_logging(async_logging_options(*resolved));
  }
}

MlflowClient::MlflowClient(const MlflowClient& other)
    : connection_(other.connection_),
      server_features_(other.server_features_),
      artifact_progress_(std::atomic_load(&other.artifact_progress_)),
      async_logger_(other.async_logger_) {}

MlflowClient& MlflowClient::operator=(const MlflowClient& other) {
  if (this != &other) {
    connection_ = other.connection_;
    server_features_ = other.server_features_;
    std::atomic_store(&artifact_progress_, std::atomic_load(&other.artifact_progress_));
    async_logger_ = other.async_logger_;
  }
  return *this;
}

void MlflowClient::set_artifact_progress_callback(ArtifactProgressCallback callback) {
  std::atomic_store(&artifact_progress_, std::make_shared<const ArtifactProgressCallback>(std::move(callback)));
}

ArtifactProgressCallback MlflowClient::artifact_progress() const {
  auto current = std::atomic_load(&artifact_progress_);
  return current ? *current : ArtifactProgressCallback();
}

// --- Asynchronous logging ----------------------------------------------------

void MlflowClient::enable_async_logging(AsyncLoggingOptions options) {
  wait_for_queued_logging();
  async_logger_ = std::make_shared<client::AsyncLogger>(connection_, std::move(options));
}

void MlflowClient::disable_async_logging() {
  wait_for_queued_logging();
  async_logger_.reset();
}

void MlflowClient::flush() {
  if (async_logger_) async_logger_->flush();
}

AsyncLoggingStats MlflowClient::async_logging_stats() const {
  return async_logger_ ? async_logger_->stats() : AsyncLoggingStats{};
}

void MlflowClient::wait_for_queued_logging() const {
  if (async_logger_) async_logger_->wait_until_sent();
}

// --- Experiments -------------------------------------------------------------

std::string MlflowClient::create_experiment(const std::string& name, const std::string& artifact_location,
                                            const std::vector<ExperimentTag>& tags) {
  Json body{{"name", name}};
  if (!artifact_location.empty()) body["artifact_location"] = artifact_location;
  if (!tags.empty()) body["tags"] = list_to_json(tags);
  Json response = client::post(*connection_, "experiments/create", body);
  auto id = response.find("experiment_id");
  return id != response.end() && id->is_string() ? id->get<std::string>() : std::string();
}

Experiment MlflowClient::get_experiment(const std::string& experiment_id) {
  Json response = client::get(*connection_, "experiments/get", {{"experiment_id", experiment_id}});
  return protocol::experiment_from_json(object_at(response, "experiment"));
}

std::optional<Experiment> MlflowClient::get_experiment_by_name(const std::string& name) {
  try {
    Json response = client::get(*connection_, "experiments/get-by-name", {{"experiment_name", name}});
    return protocol::experiment_from_json(object_at(response, "experiment"));
  } catch (const MlflowException& error) {
    if (error.code() == ErrorCode::kResourceDoesNotExist) return std::nullopt;
    throw;
  }
}

Page<Experiment> MlflowClient::search_experiments(const SearchExperimentsRequest& request) {
  // Always send max_results: servers read a missing one as 0 and refuse it.
  Json body{{"max_results", request.max_results}, {"view_type", to_string(request.view_type)}};
  if (!request.filter.empty()) body["filter"] = request.filter;
  if (!request.order_by.empty()) body["order_by"] = request.order_by;
  if (!request.page_token.empty()) body["page_token"] = request.page_token;
  Json response = client::post(*connection_, "experiments/search", body);
  return {list_from<Experiment>(response, "experiments", protocol::experiment_from_json), next_page_token(response)};
}

std::vector<Experiment> MlflowClient::search_all_experiments(SearchExperimentsRequest request) {
  return client::collect_all_pages<Experiment>(request.page_token, [&](const std::string& page_token) {
    request.page_token = page_token;
    return search_experiments(request);
  });
}

void MlflowClient::rename_experiment(const std::string& experiment_id, const std::string& new_name) {
  client::post(*connection_, "experiments/update", {{"experiment_id", experiment_id}, {"new_name", new_name}});
}

void MlflowClient::delete_experiment(const std::string& experiment_id) {
  client::post(*connection_, "experiments/delete", {{"experiment_id", experiment_id}});
}

void MlflowClient::restore_experiment(const std::string& experiment_id) {
  client::post(*connection_, "experiments/restore", {{"experiment_id", experiment_id}});
}

void MlflowClient::set_experiment_tag(const std::string& experiment_id, const std::string& key,
                                      const std::string& value) {
  client::post(*connection_, "experiments/set-experiment-tag",
               {{"experiment_id", experiment_id}, {"key", key}, {"value", value}});
}

void MlflowClient::delete_experiment_tag(const std::string& experiment_id, const std::string& key) {
  client::post(*connection_, "experiments/delete-experiment-tag", {{"experiment_id", experiment_id}, {"key", key}});
}

// --- Runs --------------------------------------------------------------------

Run MlflowClient::create_run(const CreateRunRequest& request) {
  Json body{{"experiment_id", request.experiment_id},
            {"start_time", request.start_time.value_or(now_epoch_millis())}};
  if (!request.run_name.empty()) body["run_name"] = request.run_name;
  if (!request.tags.empty()) body["tags"] = list_to_json(request.tags);
  // The deprecated user_id field still fills the run's user column on 2.x servers.
  for (const auto& tag : request.tags) {
    if (tag.key == "mlflow.user") body["user_id"] = tag.value;
  }
  Json response = client::post(*connection_, "runs/create", body);
  return protocol::run_from_json(object_at(response, "run"));
}

Run MlflowClient::get_run(const std::string& run_id) {
  wait_for_queued_logging();
  Json response = client::get(*connection_, "runs/get", {{"run_id", run_id}});
  return protocol::run_from_json(object_at(response, "run"));
}

RunInfo MlflowClient::update_run(const std::string& run_id, const UpdateRunRequest& update) {
  wait_for_queued_logging();
  // run_uuid too: servers before MLflow 1.x's rename read only that one.
  Json body{{"run_id", run_id}, {"run_uuid", run_id}};
  if (update.status) body["status"] = to_string(*update.status);
  if (update.end_time) body["end_time"] = *update.end_time;
  if (update.run_name) body["run_name"] = *update.run_name;
  Json response = client::post(*connection_, "runs/update", body);
  return protocol::run_info_from_json(object_at(response, "run_info"));
}

RunInfo MlflowClient::set_terminated(const std::string& run_id, RunStatus status, std::optional<int64_t> end_time) {
  UpdateRunRequest update;
  update.status = status;
  update.end_time = end_time.value_or(now_epoch_millis());
  return update_run(run_id, update);
}

void MlflowClient::delete_run(const std::string& run_id) {
  wait_for_queued_logging();
  client::post(*connection_, "runs/delete", {{"run_id", run_id}});
}

void MlflowClient::restore_run(const std::string& run_id) {
  client::post(*connection_, "runs/restore", {{"run_id", run_id}});
}

Page<Run> MlflowClient::search_runs(const SearchRunsRequest& request) {
  wait_for_queued_logging();
  Json body{{"experiment_ids", request.experiment_ids},
            {"max_results", request.max_results},
            {"run_view_type", to_string(request.view_type)}};
  if (!request.filter.empty()) body["filter"] = request.filter;
  if (!request.order_by.empty()) body["order_by"] = request.order_by;
  if (!request.page_token.empty()) body["page_token"] = request.page_token;
  Json response = client::post(*connection_, "runs/search", body);
  return {list_from<Run>(response, "runs", protocol::run_from_json), next_page_token(response)};
}

std::vector<Run> MlflowClient::search_all_runs(SearchRunsRequest request) {
  return client::collect_all_pages<Run>(request.page_token, [&](const std::string& page_token) {
    request.page_token = page_token;
    return search_runs(request);
  });
}

// --- Logging -----------------------------------------------------------------

void MlflowClient::log_metric(const std::string& run_id, const std::string& key, double value,
                              const MetricOptions& options) {
  if (async_logger_) {
    client::LogItem item =
        metric_item(key, value, options.timestamp.value_or(now_epoch_millis()), options.step.value_or(0));
    if (options.model_id || options.dataset_name || options.dataset_digest) {
      add_model_fields(item, options.model_id.value_or(""), options.dataset_name.value_or(""),
                       options.dataset_digest.value_or(""));
    }
    async_logger_->enqueue(run_id, &item, 1);
    return;
  }
  // The timestamp is fixed here, once: a retried request then repeats the same
  // metric row instead of adding a second one (see call_idempotency.cpp).
  Json body{{"run_id", run_id},
            {"run_uuid", run_id},
            {"key", key},
            {"value", protocol::double_to_json(value)},
            {"timestamp", options.timestamp.value_or(now_epoch_millis())},
            {"step", options.step.value_or(0)}};
  if (options.model_id) body["model_id"] = *options.model_id;
  if (options.dataset_name) body["dataset_name"] = *options.dataset_name;
  if (options.dataset_digest) body["dataset_digest"] = *options.dataset_digest;
  client::post(*connection_, "runs/log-metric", body);
}

void MlflowClient::log_metric(const std::string& run_id, const std::string& key, double value,
                              std::optional<int64_t> timestamp, int64_t step) {
  MetricOptions options;
  options.step = step;
  options.timestamp = timestamp;
  log_metric(run_id, key, value, options);
}

void MlflowClient::log_param(const std::string& run_id, const std::string& key, const std::string& value) {
  if (async_logger_) {
    client::LogItem item = text_item(client::LogItemKind::kParam, key, value);
    async_logger_->enqueue(run_id, &item, 1);
    return;
  }
  client::post(*connection_, "runs/log-parameter",
               {{"run_id", run_id}, {"run_uuid", run_id}, {"key", key}, {"value", value}});
}

void MlflowClient::set_tag(const std::string& run_id, const std::string& key, const std::string& value) {
  if (async_logger_) {
    client::LogItem item = text_item(client::LogItemKind::kTag, key, value);
    async_logger_->enqueue(run_id, &item, 1);
    return;
  }
  client::post(*connection_, "runs/set-tag",
               {{"run_id", run_id}, {"run_uuid", run_id}, {"key", key}, {"value", value}});
}

void MlflowClient::delete_tag(const std::string& run_id, const std::string& key) {
  wait_for_queued_logging();
  client::post(*connection_, "runs/delete-tag", {{"run_id", run_id}, {"key", key}});
}

void MlflowClient::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                             const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  if (async_logger_) {
    std::vector<client::LogItem> items;
    items.reserve(metrics.size() + params.size() + tags.size());
    for (const auto& param : params) items.push_back(text_item(client::LogItemKind::kParam, param.key, param.value));
    for (const auto& tag : tags) items.push_back(text_item(client::LogItemKind::kTag, tag.key, tag.value));
    for (const auto& metric : metrics) {
      items.push_back(metric_item(metric.key, metric.value, metric.timestamp, metric.step));
      add_model_fields(items.back(), metric.model_id, metric.dataset_name, metric.dataset_digest);
    }
    if (!items.empty()) async_logger_->enqueue(run_id, items.data(), items.size());
    return;
  }
  for (const auto& chunk : client::plan_log_batch(metrics, params, tags)) {
    Json body{{"run_id", run_id}};
    if (!chunk.metrics.empty()) body["metrics"] = list_to_json(chunk.metrics);
    if (!chunk.params.empty()) body["params"] = list_to_json(chunk.params);
    if (!chunk.tags.empty()) body["tags"] = list_to_json(chunk.tags);
    client::post(*connection_, "runs/log-batch", body);
  }
}

void MlflowClient::log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets) {
  wait_for_queued_logging();
  client::post(*connection_, "runs/log-inputs", {{"run_id", run_id}, {"datasets", list_to_json(datasets)}});
}

void MlflowClient::log_outputs(const std::string& run_id, const std::vector<LoggedModelOutput>& models) {
  wait_for_queued_logging();
  Json outputs = Json::array();
  for (const auto& model : models) outputs.push_back(Json{{"model_id", model.model_id}, {"step", model.step}});
  client::post(*connection_, "runs/outputs", {{"run_id", run_id}, {"models", std::move(outputs)}});
}

std::vector<Metric> MlflowClient::get_metric_history(const std::string& run_id, const std::string& key) {
  // The official client's page size; 2.9 servers ignore it and answer everything at once.
  constexpr int64_t kPageSize = 25000;
  return client::collect_all_pages<Metric>("", [&](const std::string& page_token) {
    return get_metric_history_page(run_id, key, kPageSize, page_token);
  });
}

Page<Metric> MlflowClient::get_metric_history_page(const std::string& run_id, const std::string& key,
                                                   std::optional<int64_t> max_results, const std::string& page_token) {
  wait_for_queued_logging();
  client::QueryParameters query{{"run_id", run_id}, {"metric_key", key}};
  if (max_results) query.emplace_back("max_results", std::to_string(*max_results));
  if (!page_token.empty()) query.emplace_back("page_token", page_token);
  Json response = client::get(*connection_, "metrics/get-history", query);
  return Page<Metric>{list_from<Metric>(response, "metrics", protocol::metric_from_json), next_page_token(response)};
}

}  // namespace mlflowcpp
