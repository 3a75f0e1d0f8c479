#pragma once

#include "client/sync/sync_context.hpp"

namespace mlflowcpp::client::sync {

// Copies the registered models whose versions come from the runs synced so far (context.runs), or, when
// `all_models`, every registered model: the model with its description and tags, each version (found again by the
// kSyncSourceVersionTag tag) pointing at its run's copy, with its description, tags and stage, then the aliases.
// A version whose run was not copied is skipped (with the reason). Failures go into the report per model.
void sync_registered_models(SyncContext& context, bool all_models);

}  // namespace mlflowcpp::client::sync
