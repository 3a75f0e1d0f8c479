#pragma once

// Lists a run's artifacts where the server can reach them itself: local paths,
// file: URIs, and mlflow-artifacts: URIs (resolved under the server's
// artifacts destination). Other stores (s3://, gs://, ...) are reported as
// NOT_IMPLEMENTED.

#include <mlflowcpp/entities.hpp>

#include <string>
#include <vector>

namespace mlflowcpp::server {

class ArtifactLister {
 public:
  // `artifacts_destination`: where mlflow-artifacts: URIs live (a path or a URI).
  explicit ArtifactLister(std::string artifacts_destination);

  // Direct children of `relative_path` ("" = the root) under `artifact_root_uri`,
  // sorted by path; each path is relative to the root ("dir/file.txt"). A missing
  // directory gives an empty list. `relative_path` must already be validated.
  std::vector<FileInfo> list(const std::string& artifact_root_uri, const std::string& relative_path) const;

  const std::string& artifacts_destination() const { return artifacts_destination_; }

 private:
  // The local directory behind `uri`; throws NOT_IMPLEMENTED for remote stores.
  std::string local_directory_of(const std::string& uri) const;

  std::string artifacts_destination_;
};

}  // namespace mlflowcpp::server
