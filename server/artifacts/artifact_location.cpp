#include "server/artifacts/artifact_location.hpp"

#include "server/artifacts/artifact_path.hpp"
#include "server/artifacts/local_artifact_store.hpp"
#include "server/artifacts/s3_artifact_store.hpp"
#include "server/artifacts/uri_parts.hpp"

#include "s3/s3_client.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace mlflowcpp::server {
namespace {

constexpr long kS3ConnectTimeoutMs = 3000;

// "s3" for "s3://bucket/x"; "" for plain paths, Windows-looking ones ("C:/x") included.
std::string uri_scheme(const std::string& uri) {
  std::string scheme = split_uri(uri).scheme;
  return scheme.size() < 2 ? std::string() : scheme;
}

[[noreturn]] void throw_unsupported(const std::string& uri) {
  throw MlflowException(ErrorCode::kNotImplemented,
                        fmt::format("Artifacts stored at '{}' cannot be served by this server: only local paths, "
                                    "file:, s3:// and mlflow-artifacts: locations are.",
                                    uri));
}

// A local root given as a path: '..' refused.
std::string checked_local_root(const std::string& path, const std::string& uri) {
  if (path.empty() || has_parent_segment_when_decoded(path)) {
    throw invalid_parameter(fmt::format("Invalid artifact location '{}'.", uri));
  }
  return path;
}

bool is_proxied_scheme(const std::string& scheme) {
  return scheme == "mlflow-artifacts" || scheme == "http" || scheme == "https";
}

}  // namespace

ArtifactLocator::ArtifactLocator(std::string artifacts_destination, ArtifactRoots roots)
    : artifacts_destination_(std::move(artifacts_destination)), roots_(std::move(roots)) {
  const std::string scheme = uri_scheme(artifacts_destination_);
  // A destination that names the proxy itself would resolve forever.
  if (is_proxied_scheme(scheme)) return;
  try {
    destination_store_ = store_for(artifacts_destination_);
  } catch (const MlflowException& error) {
    // Reported by each call that needs the destination, as the proxy's answer.
    destination_error_ = error;
  }
}

ArtifactLocator::~ArtifactLocator() = default;

std::shared_ptr<s3::S3Client> ArtifactLocator::s3_client() const {
  std::lock_guard<std::mutex> lock(s3_client_mutex_);
  if (!s3_client_) {
    s3::S3Settings settings = s3::S3Settings::from_environment();
    // A client is waiting on the other side: an endpoint that does not accept
    // a connection within seconds (a reachable one takes milliseconds) is
    // reported as unavailable rather than waited for, retries included.
    settings.connect_timeout_ms = std::min(settings.connect_timeout_ms, kS3ConnectTimeoutMs);
    s3_client_ = std::make_shared<s3::S3Client>(settings);
  }
  return s3_client_;
}

std::shared_ptr<const ArtifactStore> ArtifactLocator::destination_store() const {
  if (destination_error_) throw *destination_error_;
  if (!destination_store_) {
    throw MlflowException(ErrorCode::kNotImplemented,
                          fmt::format("The artifacts destination '{}' is neither a local directory nor an s3:// "
                                      "location; proxying it is not supported.",
                                      artifacts_destination_));
  }
  return destination_store_;
}

std::shared_ptr<const ArtifactStore> ArtifactLocator::store_for(const std::string& root_uri) const {
  const std::string scheme = uri_scheme(root_uri);
  if (scheme.empty()) return std::make_shared<LocalArtifactStore>(checked_local_root(root_uri, root_uri));
  if (scheme == "file") {
    return std::make_shared<LocalArtifactStore>(checked_local_root(split_uri(root_uri).path, root_uri));
  }
  if (scheme == "s3") return std::make_shared<S3ArtifactStore>(s3_client(), root_uri);
  throw_unsupported(root_uri);
}

ArtifactLocation ArtifactLocator::resolve(const std::string& root_uri, const std::string& relative) const {
  const std::string scheme = uri_scheme(root_uri);
  if (!is_proxied_scheme(scheme)) {
    // Stored locations may predate the roots (or the server's flags may have
    // changed): the client is refused access, the data stays as it is.
    std::shared_ptr<const ArtifactStore> store = store_for(root_uri);  // a malformed root answers 400 first
    roots_.require_allowed(root_uri, ErrorCode::kPermissionDenied, "Artifact location");
    return {std::move(store), relative};
  }

  // Proxied roots: the path after the scheme (or after the proxy route of an
  // http(s) URL) is relative to the artifacts destination.
  std::string inner;
  if (scheme == "mlflow-artifacts") {
    inner = split_uri(root_uri).path;
  } else {
    const std::string anchor = "/api/2.0/mlflow-artifacts/artifacts/";
    const std::string path = split_uri(root_uri).path;
    const auto at = path.find(anchor);
    if (at == std::string::npos) throw_unsupported(root_uri);
    inner = path.substr(at + anchor.size());
  }
  while (!inner.empty() && inner.front() == '/') inner.erase(0, 1);
  const std::string root_relative = normalize_artifact_path(inner);
  return {destination_store(), join_artifact_path(root_relative, relative)};
}

}  // namespace mlflowcpp::server
