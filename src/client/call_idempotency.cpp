#include "client/call_idempotency.hpp"

#include <algorithm>
#include <iterator>

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
// - log-inputs: datasets and inputs are looked up by their identity before one is added.
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
};

// Everything else is not, among them:
// - experiments/create, registered-models/create: a replay of a create that
//   committed answers RESOURCE_ALREADY_EXISTS for the caller's own object;
// - runs/create, model-versions/create: a replay makes a second run or version;
// - registered-models/rename: a replay finds the old name gone (RESOURCE_DOES_NOT_EXIST);
// - runs/log-model: appends to the run's model history, so a replay adds the model twice.

}  // namespace

Idempotency idempotency_of(std::string_view endpoint) {
  const bool idempotent = std::find(std::begin(kIdempotentEndpoints), std::end(kIdempotentEndpoints), endpoint) !=
                          std::end(kIdempotentEndpoints);
  return idempotent ? Idempotency::kIdempotent : Idempotency::kNonIdempotent;
}

}  // namespace mlflowcpp::client
