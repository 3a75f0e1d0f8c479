#pragma once

#include "client/sync/sync_context.hpp"

#include <cstdint>
#include <string>

namespace mlflowcpp::client::sync {

struct ArtifactTally {
  int64_t files = 0;
  int64_t bytes = 0;
};

// Queues on the context's workers the copy of every artifact file the target run lacks or holds with another size
// (each streamed through a file of its own in the scratch directory); a dry run only counts them. An empty
// `target_artifact_uri` means the target run does not exist yet (dry run): every file counts. The caller waits for
// the workers; the tally counts what was queued.
ArtifactTally sync_artifacts(SyncContext& context, const std::string& source_artifact_uri,
                             const std::string& target_artifact_uri);

}  // namespace mlflowcpp::client::sync
