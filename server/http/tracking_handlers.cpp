#include "server/http/tracking_handlers.hpp"

#include "server/http/log_batch_body.hpp"
#include "server/http/reply.hpp"
#include "server/http/router.hpp"
#include "protocol/experiments_response.hpp"
#include "protocol/json_lists.hpp"
#include "protocol/metric_history_json.hpp"
#include "server/search/page_size.hpp"
#include "server/service/validation.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;
using protocol::JsonText;
using protocol::list_to_json;
using protocol::put_list;
using protocol::to_json;

void put_token(Json& object, const std::string& token) {
  if (!token.empty()) object["next_page_token"] = token;
}

// Enums come by name or number; an unknown value leaves the field unset, as the
// official server's protobuf parsing does (runs/update with a bogus status is a 200).
std::optional<ViewType> view_type_of(const RequestMessage& message, std::string_view field) {
  const auto text = message.enum_text(field);
  return text ? parse_view_type(*text) : std::nullopt;
}

// A list of {key, value} messages (tags, params): key required, value "" when absent.
Metric metric_of(const RequestMessage& message) {
  Metric metric;
  metric.key = message.required_string("key");
  metric.value = message.required_double("value").value_or(0);
  metric.timestamp = message.required_int64("timestamp").value_or(0);
  metric.step = message.optional_int64("step").value_or(0);
  // MLflow 3: the logged model and dataset the value was measured for.
  metric.model_id = message.string_or_empty("model_id");
  metric.dataset_name = message.string_or_empty("dataset_name");
  metric.dataset_digest = message.string_or_empty("dataset_digest");
  return metric;
}

// The get-history answer, written while the store reads the rows (a history can hold 100,000s of points).
class HistoryAnswer final : public MetricHistorySink {
 public:
  explicit HistoryAnswer(const std::string& key) : json_(key) {}
  void add(double value, int64_t timestamp, int64_t step) override { json_.add(value, timestamp, step); }
  void clear() override { json_.clear(); }
  JsonText finish(const std::string& next_page_token) { return json_.finish(next_page_token); }

 private:
  protocol::MetricHistoryJson json_;
};

DatasetInput dataset_input_of(const RequestMessage& message) {
  DatasetInput input;
  input.tags = message.key_value_list<InputTag>("tags", RequestMessage::KeyPresence::kRequired);
  const auto dataset = message.nested_message("dataset");
  if (!dataset) throw invalid_parameter("Missing value for required parameter 'dataset'.");
  input.dataset.name = dataset->required_string("name");
  input.dataset.digest = dataset->required_string("digest");
  input.dataset.source_type = dataset->required_string("source_type");
  input.dataset.source = dataset->required_string("source");
  input.dataset.schema = dataset->optional_string("schema");
  input.dataset.profile = dataset->optional_string("profile");
  return input;
}

}  // namespace

template <typename Body>
Handler TrackingHandlers::wrap(Endpoint<Body> endpoint) {
  return [this, endpoint](Request& request, Reply& reply) {
    reply.json(200, (this->*endpoint)(request, request.message()));
  };
}

void TrackingHandlers::register_routes(Router& router) {
  const std::string api = "/api/2.0/mlflow/";
  const std::string ajax = router.static_prefix() + "/ajax-api/2.0/mlflow/";
  const auto add = [&router](const std::vector<std::string>& methods, const std::string& path, Handler handler) {
    Route route;
    route.methods = methods;
    route.pattern = path;
    route.family = ApiFamily::kTracking;
    route.handler = std::move(handler);
    router.add(std::move(route));
  };
  const std::vector<std::string> get{"GET"};
  const std::vector<std::string> post{"POST"};
  const std::vector<std::string> get_post{"GET", "POST"};
  const auto both = [&](const std::vector<std::string>& methods, const std::string& path, auto endpoint) {
    const Handler handler = wrap(endpoint);
    add(methods, api + path, handler);
    add(methods, ajax + path, handler);
  };

  both(post, "experiments/create", &TrackingHandlers::create_experiment);
  both(get_post, "experiments/search", &TrackingHandlers::search_experiments);
  both(get, "experiments/get", &TrackingHandlers::get_experiment);
  both(get, "experiments/get-by-name", &TrackingHandlers::get_experiment_by_name);
  both(post, "experiments/delete", &TrackingHandlers::delete_experiment);
  both(post, "experiments/restore", &TrackingHandlers::restore_experiment);
  both(post, "experiments/update", &TrackingHandlers::update_experiment);
  both(post, "experiments/set-experiment-tag", &TrackingHandlers::set_experiment_tag);
  both(post, "experiments/delete-experiment-tag", &TrackingHandlers::delete_experiment_tag);

  both(post, "runs/create", &TrackingHandlers::create_run);
  both(post, "runs/update", &TrackingHandlers::update_run);
  both(post, "runs/delete", &TrackingHandlers::delete_run);
  both(post, "runs/restore", &TrackingHandlers::restore_run);
  both(get, "runs/get", &TrackingHandlers::get_run);
  both(post, "runs/search", &TrackingHandlers::search_runs);
  both(post, "runs/log-metric", &TrackingHandlers::log_metric);
  both(post, "runs/log-parameter", &TrackingHandlers::log_param);
  both(post, "runs/set-tag", &TrackingHandlers::set_tag);
  both(post, "runs/delete-tag", &TrackingHandlers::delete_tag);
  {
    const Handler log_batch = [this](Request& request, Reply& reply) { reply.json(200, this->log_batch(request)); };
    add(post, api + "runs/log-batch", log_batch);
    add(post, ajax + "runs/log-batch", log_batch);
  }
  both(post, "runs/log-inputs", &TrackingHandlers::log_inputs);
  both(post, "runs/outputs", &TrackingHandlers::log_outputs);
  both(post, "runs/log-model", &TrackingHandlers::log_model);

  both(get, "metrics/get-history", &TrackingHandlers::get_metric_history);
  both(get, "metrics/get-history-bulk-interval", &TrackingHandlers::get_metric_history_bulk_interval);
  both(get, "artifacts/list", &TrackingHandlers::list_artifacts);

  // UI-only endpoints, under the ajax prefix alone.
  add(get, ajax + "metrics/get-history-bulk", wrap(&TrackingHandlers::get_metric_history_bulk));
  add(post, ajax + "experiments/search-datasets", wrap(&TrackingHandlers::search_datasets));
  // No AI gateway is configured: answer as the official server does then.
  add(get_post, ajax + "gateway-proxy",
      [](Request&, Reply& reply) { reply.json(200, Json{{"endpoints", Json::array()}}); });
}

// ---------------------------------------------------------------------------
// Experiments

Json TrackingHandlers::create_experiment(const Request&, const RequestMessage& message) {
  const std::string name = message.required_string("name");
  const std::string artifact_location = message.string_or_empty("artifact_location");
  const auto tags = message.key_value_list<ExperimentTag>("tags", RequestMessage::KeyPresence::kRequired);
  return Json{{"experiment_id", service_.create_experiment(name, artifact_location, tags)}};
}

Json TrackingHandlers::get_experiment(const Request&, const RequestMessage& message) {
  return Json{{"experiment", to_json(service_.get_experiment(message.required_string("experiment_id")))}};
}

Json TrackingHandlers::get_experiment_by_name(const Request&, const RequestMessage& message) {
  return Json{{"experiment", to_json(service_.get_experiment_by_name(message.required_string("experiment_name")))}};
}

JsonText TrackingHandlers::search_experiments(const Request& http_request, const RequestMessage& message) {
  SearchExperimentsRequest request;
  request.experiment_scope = http_request.read_scope().experiments;
  // Absent max_results reaches the rules as 0, which they refuse ("got 0"), as upstream.
  request.max_results = message.optional_int64("max_results").value_or(0);
  request.page_token = message.string_or_empty("page_token");
  request.filter = message.string_or_empty("filter");
  request.order_by = message.string_list("order_by");
  request.view_type = view_type_of(message, "view_type").value_or(ViewType::kActiveOnly);
  const Page<Experiment> page = service_.search_experiments(request);
  // A page of 1,000 experiments is some 20,000 DOM nodes: written as text, the answer costs a fraction of that.
  return protocol::experiments_response(page.items, page.next_page_token);
}

Json TrackingHandlers::update_experiment(const Request&, const RequestMessage& message) {
  const std::string experiment_id = message.required_string("experiment_id");
  const std::string new_name = message.required_string("new_name");
  service_.rename_experiment(experiment_id, new_name);
  return Json::object();
}

Json TrackingHandlers::delete_experiment(const Request&, const RequestMessage& message) {
  service_.delete_experiment(message.required_string("experiment_id"));
  return Json::object();
}

Json TrackingHandlers::restore_experiment(const Request&, const RequestMessage& message) {
  service_.restore_experiment(message.required_string("experiment_id"));
  return Json::object();
}

Json TrackingHandlers::set_experiment_tag(const Request&, const RequestMessage& message) {
  const std::string experiment_id = message.required_string("experiment_id");
  ExperimentTag tag{message.required_string("key"), message.string_or_empty("value")};
  service_.set_experiment_tag(experiment_id, tag);
  return Json::object();
}

Json TrackingHandlers::delete_experiment_tag(const Request&, const RequestMessage& message) {
  const std::string experiment_id = message.required_string("experiment_id");
  service_.delete_experiment_tag(experiment_id, message.required_string("key"));
  return Json::object();
}

// ---------------------------------------------------------------------------
// Runs

Json TrackingHandlers::create_run(const Request&, const RequestMessage& message) {
  CreateRunRequest request;
  request.experiment_id = message.string_or_empty("experiment_id");
  request.user_id = message.string_or_empty("user_id");
  request.run_name = message.string_or_empty("run_name");
  request.start_time = message.optional_int64("start_time").value_or(0);
  request.tags = message.key_value_list<RunTag>("tags", RequestMessage::KeyPresence::kRequired);
  return Json{{"run", to_json(service_.create_run(request), /*with_inputs=*/false)}};
}

Json TrackingHandlers::get_run(const Request&, const RequestMessage& message) {
  return Json{{"run", to_json(service_.get_run(message.run_id()), /*with_inputs=*/true)}};
}

Json TrackingHandlers::update_run(const Request&, const RequestMessage& message) {
  UpdateRunRequest request;
  request.run_id = message.run_id();
  if (const auto status = message.enum_text("status")) request.status = parse_run_status(*status);
  request.end_time = message.optional_int64("end_time");
  request.run_name = message.optional_string("run_name");
  return Json{{"run_info", to_json(service_.update_run(request))}};
}

Json TrackingHandlers::delete_run(const Request&, const RequestMessage& message) {
  service_.delete_run(message.run_id());
  return Json::object();
}

Json TrackingHandlers::restore_run(const Request&, const RequestMessage& message) {
  service_.restore_run(message.run_id());
  return Json::object();
}

Json TrackingHandlers::search_runs(const Request& http_request, const RequestMessage& message) {
  SearchRunsRequest request;
  request.experiment_ids = message.string_list("experiment_ids");
  request.experiment_scope = http_request.read_scope().experiments;
  request.filter = message.string_or_empty("filter");
  request.view_type = view_type_of(message, "run_view_type").value_or(ViewType::kActiveOnly);
  request.max_results = message.optional_int64("max_results")
                            .value_or(search::page_size_limits(search::SearchedEntity::kRuns).default_size);
  request.order_by = message.string_list("order_by");
  request.page_token = message.string_or_empty("page_token");
  const Page<Run> page = service_.search_runs(request);
  Json body = Json::object();
  put_list(body, "runs", page.items);
  put_token(body, page.next_page_token);
  return body;
}

// ---------------------------------------------------------------------------
// Logging

Json TrackingHandlers::log_metric(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  service_.log_metric(run_id, metric_of(message));
  return Json::object();
}

Json TrackingHandlers::log_param(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  Param param{message.required_string("key"), message.string_or_empty("value")};
  service_.log_param(run_id, param);
  return Json::object();
}

Json TrackingHandlers::set_tag(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  RunTag tag{message.required_string("key"), message.string_or_empty("value")};
  service_.set_tag(run_id, tag);
  return Json::object();
}

Json TrackingHandlers::delete_tag(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  service_.delete_tag(run_id, message.required_string("key"));
  return Json::object();
}

Json TrackingHandlers::log_batch(const Request& request) {
  // The checks in the order the general path makes them: Content-Type, size, then the fields.
  RequestMessage::require_json_content_type(request);
  if (request.body_size() > validation::kMaxBatchRequestBytes) {
    throw invalid_parameter(
        fmt::format("Batched logging API requests must be at most {} bytes, got a request of size {}.",
                    validation::kMaxBatchRequestBytes, request.body_size()));
  }
  // A training loop's batches are the regular shape: read them without a JSON document (a large
  // share of the call's CPU otherwise). Anything else takes the general path, which knows every error.
  if (auto body = read_log_batch_body(request.body())) {
    service_.log_batch(body->run_id, body->metrics, body->params, body->tags);
    return Json::object();
  }
  const RequestMessage& message = request.message();
  const std::string run_id = message.run_id();
  std::vector<Metric> metrics;
  for (const auto& item : message.message_list("metrics")) metrics.push_back(metric_of(item));
  const std::vector<Param> params = message.key_value_list<Param>("params", RequestMessage::KeyPresence::kRequired);
  const std::vector<RunTag> tags = message.key_value_list<RunTag>("tags", RequestMessage::KeyPresence::kRequired);
  service_.log_batch(run_id, metrics, params, tags);
  return Json::object();
}

Json TrackingHandlers::log_inputs(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  std::vector<DatasetInput> inputs;
  for (const auto& item : message.message_list("datasets")) inputs.push_back(dataset_input_of(item));
  std::vector<ModelInput> models;
  for (const auto& item : message.message_list("models")) models.push_back({item.required_string("model_id")});
  service_.log_inputs(run_id, inputs, models);
  return Json::object();
}

Json TrackingHandlers::log_outputs(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  const std::vector<RequestMessage> items = message.message_list("models");
  if (items.empty()) {
    throw invalid_parameter(
        "Missing value for required parameter 'models'. See the API docs for more information about request "
        "parameters.");
  }
  std::vector<ModelOutput> models;
  for (const auto& item : items) {
    models.push_back({item.required_string("model_id"), item.optional_int64("step").value_or(0)});
  }
  service_.log_outputs(run_id, models);
  return Json::object();
}

Json TrackingHandlers::log_model(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  service_.log_model(run_id, message.required_string("model_json"));
  return Json::object();
}

// ---------------------------------------------------------------------------
// Metric history, datasets, artifacts

// Without max_results every point comes in one answer, with no token: 2.x clients and the UI read the whole
// series that way. (MLflow 3.6 reads an absent max_results as 0 and answers only a token that pages nowhere,
// {"next_page_token": "eyJvZmZzZXQiOiAwfQ=="}; that is a bug of that server, not copied here.) With
// max_results the history is paged by offset tokens, as MLflow's SQL store pages it.
JsonText TrackingHandlers::get_metric_history(const Request&, const RequestMessage& message) {
  MetricHistoryPageRequest request;
  request.run_id = message.run_id();
  request.metric_key = message.required_string("metric_key");
  request.max_results = message.optional_int64("max_results");
  request.page_token = message.string_or_empty("page_token");
  HistoryAnswer answer(request.metric_key);
  const std::string next_page_token = service_.read_metric_history(request, answer);
  return answer.finish(next_page_token);
}

JsonText TrackingHandlers::get_metric_history_bulk(const Request&, const RequestMessage& message) {
  const auto metrics = service_.get_metric_history_bulk(
      message.string_list("run_id"), message.string_or_empty("metric_key"), message.optional_int64("max_results"));
  // This legacy UI call always sends the list, even when empty.
  return protocol::metrics_response(metrics, /*omit_when_empty=*/false);
}

JsonText TrackingHandlers::get_metric_history_bulk_interval(const Request&, const RequestMessage& message) {
  MetricHistoryBulkIntervalRequest request;
  request.run_ids = message.string_list("run_ids");
  request.metric_key = message.string_or_empty("metric_key");
  request.start_step = message.optional_int64("start_step");
  request.end_step = message.optional_int64("end_step");
  request.max_results = message.optional_int64("max_results").value_or(TrackingService::kMaxBulkIntervalResults);
  return protocol::metrics_response(service_.get_metric_history_bulk_interval(request));
}

Json TrackingHandlers::search_datasets(const Request& request, const RequestMessage& message) {
  Json body = Json::object();
  put_list(body, "dataset_summaries",
           service_.search_datasets(message.string_list("experiment_ids"), request.read_scope().experiments));
  return body;
}

Json TrackingHandlers::list_artifacts(const Request&, const RequestMessage& message) {
  const std::string run_id = message.run_id();
  const ArtifactListing listing = service_.list_artifacts(run_id, message.string_or_empty("path"));
  Json body = Json::object();
  body["root_uri"] = listing.root_uri;
  put_list(body, "files", listing.files);
  return body;
}

}  // namespace mlflowcpp::server::http
