#include "server/artifacts/artifact_location.hpp"

#include "server/artifacts/artifact_path.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace mlflowcpp::server {
namespace {

// "s3" for "s3://bucket/x"; "" for plain paths (including Windows-looking "C:/x").
std::string uri_scheme(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon < 2) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(uri[i]);
    if (!(std::isalnum(c) || c == '+' || c == '-' || c == '.')) return "";
  }
  std::string scheme = uri.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  return scheme;
}

// The path part of "scheme:/p", "scheme:///p" or "scheme://authority/p", without query.
std::string uri_path(const std::string& uri) {
  std::string rest = uri.substr(uri.find(':') + 1);
  if (rest.rfind("//", 0) == 0) {
    const auto slash = rest.find('/', 2);
    rest = slash == std::string::npos ? std::string() : rest.substr(slash);
  }
  const auto query = rest.find_first_of("?#");
  return query == std::string::npos ? rest : rest.substr(0, query);
}

[[noreturn]] void throw_remote(const std::string& uri) {
  throw MlflowException(ErrorCode::kNotImplemented,
                        fmt::format("Artifacts stored at '{}' cannot be served by this server: only local paths, "
                                    "file: and mlflow-artifacts: locations are.",
                                    uri));
}

// A local root given as a path: absolute and lexically normal, '..' refused.
std::string checked_local_root(const std::string& path, const std::string& uri) {
  if (path.empty()) throw invalid_parameter(fmt::format("Invalid artifact location '{}'.", uri));
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0 && end - start == 2) {
      throw invalid_parameter(fmt::format("Invalid artifact location '{}'.", uri));
    }
    start = end + 1;
  }
  return path;
}

}  // namespace

std::string local_directory_of_destination(const std::string& destination) {
  const std::string scheme = uri_scheme(destination);
  if (scheme.empty()) return checked_local_root(destination, destination);
  if (scheme == "file") return checked_local_root(uri_path(destination), destination);
  throw_remote(destination);
}

LocalArtifactLocation resolve_artifact_location(const std::string& root_uri, const std::string& relative,
                                                const std::string& artifacts_destination) {
  const std::string scheme = uri_scheme(root_uri);
  if (scheme.empty()) return {LocalArtifactStore(checked_local_root(root_uri, root_uri)), relative};
  if (scheme == "file") return {LocalArtifactStore(checked_local_root(uri_path(root_uri), root_uri)), relative};

  // Proxied roots: the path after the scheme (or after the proxy route of an
  // http(s) URL) is relative to the artifacts destination.
  std::string inner;
  if (scheme == "mlflow-artifacts") {
    inner = uri_path(root_uri);
  } else if (scheme == "http" || scheme == "https") {
    const std::string anchor = "/api/2.0/mlflow-artifacts/artifacts/";
    const std::string path = uri_path(root_uri);
    const auto at = path.find(anchor);
    if (at == std::string::npos) throw_remote(root_uri);
    inner = path.substr(at + anchor.size());
  } else {
    throw_remote(root_uri);
  }
  while (!inner.empty() && inner.front() == '/') inner.erase(0, 1);
  const std::string root_relative = normalize_artifact_path(inner);
  return {LocalArtifactStore(local_directory_of_destination(artifacts_destination)),
          join_artifact_path(root_relative, relative)};
}

}  // namespace mlflowcpp::server
