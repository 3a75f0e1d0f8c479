#include "server/artifacts/artifact_lister.hpp"

#include "server/artifacts/artifact_path.hpp"

#include <utility>

namespace mlflowcpp::server {

ArtifactLister::ArtifactLister(std::string artifacts_destination, ArtifactRoots roots)
    : locator_(std::move(artifacts_destination), std::move(roots)) {}

std::vector<FileInfo> ArtifactLister::list(const std::string& artifact_root_uri,
                                           const std::string& relative_path) const {
  const std::string relative = normalize_artifact_path(relative_path);
  const ArtifactLocation location = locator_.resolve(artifact_root_uri, relative);
  std::vector<FileInfo> files = location.store->list(location.relative);
  // The store names entries from its own root; callers want them from the artifact root.
  const std::size_t root_part = location.relative.size() - relative.size();
  const std::size_t strip = root_part == 0 ? 0 : (relative.empty() ? root_part + 1 : root_part);
  for (auto& file : files) file.path = file.path.substr(strip);
  return files;
}

}  // namespace mlflowcpp::server
