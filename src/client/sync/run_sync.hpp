#pragma once

#include "client/sync/sync_context.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::client::sync {

// The copies this source already has in a target experiment: source run id -> target run id, found by the
// bookkeeping tags every copy is created with.
std::map<std::string, std::string> find_copies(SyncContext& context, const std::string& target_experiment_id);

// `runs` reordered so that a run comes after its parent (mlflow.parentRunId) when both are in it; otherwise in the
// order given.
std::vector<Run> parents_first(std::vector<Run> runs);

// Copies one source run into the target experiment: creates the copy (the bookkeeping tags in the same call) or
// completes `existing_copy`, records what it did in the report and, once the copy is complete, the target run's id on
// the source run. `target_experiment_id` is empty in a dry run when the experiment would be created. Throws when the
// run could not be copied completely; the caller records the failure.
void sync_run(SyncContext& context, const Run& source, const std::string& target_experiment_id,
              const std::optional<std::string>& existing_copy);

}  // namespace mlflowcpp::client::sync
