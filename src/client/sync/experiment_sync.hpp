#pragma once

#include "client/sync/sync_context.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::client::sync {

// The source experiments to copy: those named in the options (a name the source lacks or has deleted is a failure
// in the report), or every active one.
std::vector<Experiment> source_experiments(SyncContext& context);

// The id of the target's experiment of the same name, created with the source's tags when missing (someone else
// creating it meanwhile is fine); tags it lacks are added. "" in a dry run when it would be created. nullopt, with a
// failure in the report, when the target has that name deleted.
std::optional<std::string> target_experiment(SyncContext& context, const Experiment& source);

}  // namespace mlflowcpp::client::sync
