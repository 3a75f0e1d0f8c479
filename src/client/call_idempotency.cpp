#include "client/call_idempotency.hpp"

#include <algorithm>
#include <iterator>
#include <string>

namespace mlflowcpp::client {
namespace {

// Calls that leave the server in the same state however often they arrive, so
// a retry after a timeout is harmless:
// - reads (get, search, list, get-latest-versions): GET or POST, they change nothing;
// - state setters: update, rename of an experiment (to the name it already has
//   after the first attempt), set-tag, set-alias, transition-stage, delete and
//   restore (a repeated delete may answer RESOURCE_DOES_NOT_EXIST for a model
//   the first attempt removed, but deletes nothing else);
// - log-parameter: a param is written once; the same value again is accepted;
// - log-metric and log-batch: a metric row is keyed by (key, timestamp, step,
//   run, value, is_nan) and MLflow's stores ignore a row that is already there,
//   and the client fixes the timestamp before the first attempt, so a replay
//   adds nothing (and latest_metrics keeps the same maximum). A batch is retried
//   as the one request it is: its params and tags are setters as above;
// - log-inputs: datasets and inputs are looked up by their identity before one is added;
// - MLflow 3's logged models, by their path with the id (and tag key) as a
//   placeholder: search; finalize and delete (PATCH and DELETE share the
//   model's path; a repeated delete answers 200); set-tags and delete-tag
//   (setters, as above).
constexpr std::string_view kIdempotentEndpoints[] = {
    "experiments/get",
    "experiments/get-by-name",
    "experiments/search",
    "experiments/update",
    "experiments/delete",
    "experiments/restore",
    "experiments/set-experiment-tag",
    "experiments/delete-experiment-tag",
    "runs/get",
    "runs/search",
    "runs/update",
    "runs/delete",
    "runs/restore",
    "runs/log-metric",
    "runs/log-parameter",
    "runs/set-tag",
    "runs/delete-tag",
    "runs/log-batch",
    "runs/log-inputs",
    "metrics/get-history",
    "artifacts/list",
    "registered-models/get",
    "registered-models/update",
    "registered-models/delete",
    "registered-models/search",
    "registered-models/get-latest-versions",
    "registered-models/set-tag",
    "registered-models/delete-tag",
    "registered-models/alias",  // set, delete and get-by-alias share the path
    "model-versions/get",
    "model-versions/update",
    "model-versions/delete",
    "model-versions/search",
    "model-versions/transition-stage",
    "model-versions/get-download-uri",
    "model-versions/set-tag",
    "model-versions/delete-tag",
    "logged-models/search",
    "logged-models/{model_id}",
    "logged-models/{model_id}/tags",
    "logged-models/{model_id}/tags/{key}",
};

// Everything else is not, among them:
// - experiments/create, registered-models/create: a replay of a create that
//   committed answers RESOURCE_ALREADY_EXISTS for the caller's own object;
// - runs/create, model-versions/create: a replay makes a second run or version;
// - registered-models/rename: a replay finds the old name gone (RESOURCE_DOES_NOT_EXIST);
// - runs/log-model: appends to the run's model history, so a replay adds the model twice;
// - logged-models (create): a replay makes a second model;
// - logged-models/<id>/params and runs/outputs: MLflow's stores insert these
//   rows without looking for them first, so a replay of one that committed
//   fails on the row already there, an error for a call that succeeded.

// "logged-models/<id>/tags/<key>" -> "logged-models/{model_id}/tags/{key}": the
// rule for a path that names a model. Other endpoints come back as they are.
std::string rule_name(std::string_view endpoint) {
  constexpr std::string_view kPrefix = "logged-models/";
  if (endpoint.substr(0, kPrefix.size()) != kPrefix) return std::string(endpoint);
  std::string_view rest = endpoint.substr(kPrefix.size());
  const std::size_t slash = rest.find('/');
  const std::string_view id = rest.substr(0, slash);
  if (id == "search" && slash == std::string_view::npos) return std::string(endpoint);
  std::string name = std::string(kPrefix) + "{model_id}";
  if (slash == std::string_view::npos) return name;
  rest.remove_prefix(slash);
  constexpr std::string_view kTagPrefix = "/tags/";
  if (rest.substr(0, kTagPrefix.size()) == kTagPrefix && rest.size() > kTagPrefix.size()) return name + "/tags/{key}";
  return name + std::string(rest);
}

}  // namespace

Idempotency idempotency_of(std::string_view endpoint) {
  const std::string rule = rule_name(endpoint);
  const bool idempotent = std::find(std::begin(kIdempotentEndpoints), std::end(kIdempotentEndpoints), rule) !=
                          std::end(kIdempotentEndpoints);
  return idempotent ? Idempotency::kIdempotent : Idempotency::kNonIdempotent;
}

}  // namespace mlflowcpp::client
