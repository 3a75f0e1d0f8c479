#pragma once

// The string rules of a sync: where a copied model version's files are, and how a store is named in the
// bookkeeping tags (the public halves, sync_store_identity and sync_target_key, are in <mlflowcpp/sync.hpp>).

#include <string>

namespace mlflowcpp::client::sync {

// The runs a model version's source may point into: the source run (its id and artifact URI) and its copy.
struct RunArtifactLocations {
  std::string source_run_id;
  std::string source_artifact_uri;
  std::string target_run_id;
  std::string target_artifact_uri;
};

// A model version's source as it must read on the target: below the source run's artifact URI it moves below the
// target run's ("mlflow-artifacts:/1/<src>/artifacts/model" -> "<target uri>/model"); "runs:/<src>/model" becomes
// "runs:/<target>/model". Any other source (another store, a models:/ URI) is returned unchanged.
std::string rewrite_model_source(const std::string& source, const RunArtifactLocations& runs);

}  // namespace mlflowcpp::client::sync
