// Choosing a repository for an artifact URI, and the tree walks every
// repository shares (uploading a directory, downloading a file or a directory).

#include "client/artifact_repositories.hpp"
#include "client/artifact_uri.hpp"
#include "client/store_module_loader.hpp"

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <system_error>

namespace mlflowcpp {
namespace {

void download_directory(ArtifactRepository& repository, const std::string& remote_dir,
                        const std::filesystem::path& local_dir) {
  std::error_code error;
  std::filesystem::create_directories(local_dir, error);
  if (error) {
    throw MlflowException(ErrorCode::kInternalError,
                          "Cannot create directory " + local_dir.string() + ": " + error.message());
  }
  for (const FileInfo& entry : repository.list_artifacts(remote_dir)) {
    // Local names come from the last segment only, so a listing cannot place a
    // file outside `local_dir` (the repositories also refuse unsafe names).
    std::filesystem::path local_path = local_dir / client::last_segment(entry.path);
    if (entry.is_dir) {
      download_directory(repository, entry.path, local_path);
    } else {
      repository.download_file(entry.path, local_path);
    }
  }
}

// The proxy of the server at `authority` (host:port), reached as MLflow's
// clients do: with the tracking connection's scheme, credentials, TLS settings
// and retries when it has them, else plain http with the environment's settings.
std::shared_ptr<Connection> connection_to_other_server(const std::string& authority,
                                                       const Connection* tracking_connection) {
  const ResolvedClientOptions* tracking =
      tracking_connection != nullptr ? tracking_connection->resolved_options() : nullptr;
  // A database tracking URI has no scheme or credentials an artifact server could share.
  if (tracking == nullptr || client::is_database_uri(tracking->tracking_uri)) {
    ClientOptions options;
    options.tracking_uri = "http://" + authority;
    return make_connection(options);
  }
  // Only the host changes: scheme and path prefix stay the tracking URI's.
  ResolvedClientOptions options = *tracking;
  const std::string& uri = options.tracking_uri;
  const auto authority_start = uri.find("://") + 3;
  const auto path_start = std::min(uri.find('/', authority_start), uri.size());
  options.tracking_uri = uri.substr(0, authority_start) + authority + uri.substr(path_start);
  return make_connection(options);
}

}  // namespace

std::unique_ptr<ArtifactRepository> make_artifact_repository(const std::string& artifact_uri,
                                                             std::shared_ptr<Connection> tracking_connection) {
  client::ArtifactLocation location = client::parse_artifact_location(artifact_uri);
  switch (location.kind) {
    case client::ArtifactLocationKind::kTrackingProxy:
      if (!tracking_connection) throw invalid_parameter("An mlflow-artifacts:/ URI needs a tracking connection");
      return std::make_unique<client::ProxyArtifactRepository>(std::move(tracking_connection), location.path);
    case client::ArtifactLocationKind::kRemoteProxy:
      return std::make_unique<client::ProxyArtifactRepository>(
          connection_to_other_server(location.authority, tracking_connection.get()), location.path);
    case client::ArtifactLocationKind::kS3:
      return std::make_unique<client::S3ArtifactRepository>(artifact_uri);
    case client::ArtifactLocationKind::kLocal:
      break;
  }
  return std::make_unique<client::LocalArtifactRepository>(location.path);
}

void log_artifact_directory(ArtifactRepository& repository, const std::filesystem::path& local_dir,
                            const std::string& artifact_dir) {
  if (!std::filesystem::is_directory(local_dir)) throw invalid_parameter("Not a directory: " + local_dir.string());
  for (const auto& entry : std::filesystem::recursive_directory_iterator(local_dir)) {
    if (!entry.is_regular_file()) continue;  // directories appear through the files in them
    std::string relative_parent = entry.path().parent_path().lexically_relative(local_dir).generic_string();
    repository.log_artifact(entry.path(), client::join_artifact_path(artifact_dir, relative_parent));
  }
}

std::filesystem::path download_artifact_tree(ArtifactRepository& repository, const std::string& artifact_path,
                                             const std::filesystem::path& local_dir) {
  std::string path = client::checked_relative_path(artifact_path);
  if (path.empty()) {
    download_directory(repository, path, local_dir);
    return local_dir;
  }
  std::filesystem::path local_path = local_dir / client::last_segment(path);
  // A path with children is a directory; anything else is fetched as a file
  // (which fails with the server's error when it does not exist).
  if (!repository.list_artifacts(path).empty()) {
    download_directory(repository, path, local_path);
  } else {
    repository.download_file(path, local_path);
  }
  return local_path;
}

}  // namespace mlflowcpp
