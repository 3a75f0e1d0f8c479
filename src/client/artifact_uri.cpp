#include "client/artifact_uri.hpp"

#include "client/url.hpp"

#include <mlflowcpp/errors.hpp>

#include <cctype>
#include <vector>

namespace mlflowcpp::client {
namespace {

constexpr std::string_view kProxyScheme = "mlflow-artifacts:";
constexpr std::string_view kFileScheme = "file://";
constexpr std::string_view kS3Scheme = "s3://";
constexpr std::string_view kRunsScheme = "runs:/";

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

std::string strip_slashes(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  return std::string(path);
}

// A URI scheme per RFC 3986 followed by ':'; a Windows drive letter does not count.
bool has_scheme(std::string_view uri) {
  auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon < 2) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    char c = uri[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ArtifactLocation parse_artifact_location(const std::string& uri) {
  if (uri.empty()) throw invalid_parameter("The artifact URI is empty");
  std::string_view rest(uri);
  ArtifactLocation location;
  if (starts_with(rest, kProxyScheme)) {
    rest.remove_prefix(kProxyScheme.size());
    if (starts_with(rest, "//")) {
      rest.remove_prefix(2);
      auto slash = rest.find('/');
      location.kind = ArtifactLocationKind::kRemoteProxy;
      location.authority = std::string(rest.substr(0, slash));
      if (location.authority.empty()) {
        // mlflow-artifacts:///path: no authority means the tracking server.
        location.kind = ArtifactLocationKind::kTrackingProxy;
      }
      rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    } else {
      location.kind = ArtifactLocationKind::kTrackingProxy;
    }
    location.path = checked_relative_path(strip_slashes(rest));
    return location;
  }
  if (starts_with(rest, kFileScheme)) {
    rest.remove_prefix(kFileScheme.size());
    // file:///abs has an empty authority; file://localhost/abs names this machine.
    if (starts_with(rest, "localhost/")) rest.remove_prefix(std::string_view("localhost").size());
    if (!starts_with(rest, "/")) throw invalid_parameter("Unsupported file URI (remote host): " + uri);
    location.kind = ArtifactLocationKind::kLocal;
    location.path = std::string(rest);
    return location;
  }
  if (starts_with(rest, kS3Scheme)) {
    rest.remove_prefix(kS3Scheme.size());
    auto slash = rest.find('/');
    location.kind = ArtifactLocationKind::kS3;
    location.authority = std::string(rest.substr(0, slash));
    if (location.authority.empty()) throw invalid_parameter("An s3:// URI needs a bucket: " + uri);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    location.path = checked_relative_path(strip_slashes(rest));
    return location;
  }
  if (has_scheme(rest)) {
    throw MlflowException(ErrorCode::kNotImplemented,
                          "Artifact URIs of this scheme are not supported by this client yet: " + uri);
  }
  location.kind = ArtifactLocationKind::kLocal;
  location.path = uri;
  return location;
}

bool is_runs_uri(std::string_view uri) { return starts_with(uri, kRunsScheme); }

RunsUri parse_runs_uri(const std::string& uri) {
  if (!is_runs_uri(uri)) throw invalid_parameter("Not a runs:/ URI: " + uri);
  std::string rest = strip_slashes(std::string_view(uri).substr(kRunsScheme.size()));
  auto slash = rest.find('/');
  RunsUri parsed;
  parsed.run_id = rest.substr(0, slash);
  if (parsed.run_id.empty()) throw invalid_parameter("A runs:/ URI needs a run id: " + uri);
  if (slash != std::string::npos) parsed.path = checked_relative_path(rest.substr(slash + 1));
  return parsed;
}

std::string checked_relative_path(std::string_view path) {
  if (!path.empty() && path.front() == '/') {
    throw invalid_parameter("Artifact paths must be relative, got '" + std::string(path) + "'");
  }
  if (path.find('\\') != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    throw invalid_parameter("Invalid artifact path '" + std::string(path) + "'");
  }
  std::string cleaned;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      throw invalid_parameter("Artifact paths must not contain '..', got '" + std::string(path) + "'");
    }
    if (!segment.empty() && segment != ".") {
      if (!cleaned.empty()) cleaned += '/';
      cleaned += segment;
    }
    start = end + 1;
  }
  return cleaned;
}

std::string join_artifact_path(std::string_view base, std::string_view relative) {
  std::string left = checked_relative_path(base);
  std::string right = checked_relative_path(relative);
  if (left.empty()) return right;
  if (right.empty()) return left;
  return left + "/" + right;
}

std::string last_segment(std::string_view path) {
  std::string cleaned = checked_relative_path(path);
  auto slash = cleaned.rfind('/');
  return slash == std::string::npos ? cleaned : cleaned.substr(slash + 1);
}

std::string encode_path_segments(std::string_view path) {
  std::string encoded;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (start > 0) encoded += '/';
    encoded += percent_encode(path.substr(start, end - start));
    start = end + 1;
  }
  return encoded;
}

}  // namespace mlflowcpp::client
