#pragma once

// Lists a run's artifacts where the server can reach them itself: local paths,
// file: URIs, s3:// URIs (with the server's S3 settings) and mlflow-artifacts:
// URIs (resolved below the server's artifacts destination), confined to the
// artifact root (see artifact_location.hpp). Other stores (gs://, ...) are
// reported as NOT_IMPLEMENTED.

#include "server/artifacts/artifact_location.hpp"

#include <mlflowcpp/entities.hpp>

#include <string>
#include <vector>

namespace mlflowcpp::server {

class ArtifactLister {
 public:
  // `artifacts_destination`: where mlflow-artifacts: URIs live (a path or a URI);
  // `roots`: where other artifact roots may lie.
  ArtifactLister(std::string artifacts_destination, ArtifactRoots roots);

  // Direct children of `relative_path` ("" = the root) under `artifact_root_uri`,
  // sorted by path; each path is relative to the root ("dir/file.txt"). A missing
  // directory gives an empty list. INVALID_PARAMETER_VALUE for an unsafe path.
  std::vector<FileInfo> list(const std::string& artifact_root_uri, const std::string& relative_path) const;

  const std::string& artifacts_destination() const { return locator_.artifacts_destination(); }
  // Where artifact roots resolve: shared with the artifact routes, so one
  // process holds one store (and one S3 client) per destination.
  const ArtifactLocator& locator() const { return locator_; }

 private:
  ArtifactLocator locator_;
};

}  // namespace mlflowcpp::server
