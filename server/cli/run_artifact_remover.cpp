#include "server/cli/run_artifact_remover.hpp"

#include "client/artifact_uri.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "server/artifacts/uri_parts.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <utility>

namespace mlflowcpp::cli {
namespace {

constexpr const char* kProxyFiles = "/api/2.0/mlflow-artifacts/artifacts/";

// The path below the artifacts destination of a location the artifact proxy serves; nullopt for other locations.
std::optional<std::string> proxied_path(const std::string& artifact_uri) {
  const server::UriParts parts = server::split_uri(artifact_uri);
  std::string path;
  if (parts.scheme == "mlflow-artifacts") {
    path = parts.path;
  } else if (parts.scheme == "http" || parts.scheme == "https") {
    const auto at = parts.path.find(kProxyFiles);
    if (at == std::string::npos) return std::nullopt;
    path = server::percent_decode(parts.path.substr(at + std::string(kProxyFiles).size()));
  } else {
    return std::nullopt;
  }
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  return path;
}

}  // namespace

// Every location is allowed: the operator who runs gc decides what it removes, and only the artifacts of runs the
// store deletes are reached, as with MLflow's gc.
RunArtifactRemover::RunArtifactRemover(const std::string& artifacts_destination,
                                       std::shared_ptr<Connection> tracking_connection)
    : locator_(artifacts_destination, server::ArtifactRoots::any()),
      tracking_connection_(std::move(tracking_connection)) {}

std::optional<std::string> RunArtifactRemover::remove(const std::string& artifact_uri) const {
  if (artifact_uri.empty()) return std::string("the run has no artifact location");
  try {
    if (tracking_connection_) {
      if (std::optional<std::string> path = proxied_path(artifact_uri)) {
        remove_through_proxy(*path);
        return std::nullopt;
      }
    }
    server::ArtifactLocation location = locator_.resolve(artifact_uri, "");
    if (location.relative.empty()) {
      // A store never removes its own root: the run's artifact directory goes from the store of its parent.
      std::string trimmed = artifact_uri;
      while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
      const auto slash = trimmed.rfind('/');
      if (slash == std::string::npos || slash == 0) {
        throw invalid_parameter(
            fmt::format("refusing to remove the artifact location '{}': it is a root.", artifact_uri));
      }
      location = locator_.resolve(trimmed.substr(0, slash), client::checked_relative_path(trimmed.substr(slash + 1)));
    }
    if (location.relative.empty()) {
      throw invalid_parameter(
          fmt::format("refusing to remove the artifact location '{}': it is a root.", artifact_uri));
    }
    location.store->remove(location.relative);
    return std::nullopt;
  } catch (const MlflowException& error) {
    if (error.code() == ErrorCode::kNotImplemented) return std::string(error.what());
    throw;
  }
}

void RunArtifactRemover::remove_through_proxy(const std::string& destination_relative_path) const {
  const std::string path = client::checked_relative_path(destination_relative_path);
  if (path.empty()) throw invalid_parameter("refusing to remove the whole artifacts destination.");
  HttpRequest request;
  request.method = "DELETE";
  request.path = kProxyFiles + client::encode_path_segments(path);
  const HttpResponse response = tracking_connection_->send(request);
  if (response.status == 200) return;
  throw MlflowException(
      std::string(error_code_name(ErrorCode::kInternalError)), response.status,
      fmt::format("the artifact proxy answered DELETE {} with {}: {}", request.path, response.status, response.body));
}

}  // namespace mlflowcpp::cli
