#include "server/artifacts/artifact_roots.hpp"

#include "server/artifacts/artifact_path.hpp"
#include "server/artifacts/uri_parts.hpp"

#include "s3/s3_client.hpp"

#include <fmt/format.h>

#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace mlflowcpp::server {
namespace {

namespace fs = std::filesystem;

// What a location names, in the terms the roots compare.
struct ParsedLocation {
  enum class Kind { kProxied, kLocal, kS3, kOther, kInvalid };
  Kind kind = Kind::kInvalid;
  std::string local_path;  // kLocal: the path the local store opens (relative ones against the working directory)
  std::string bucket;      // kS3
  std::string key;         // kS3: no leading or trailing '/'
};

ParsedLocation parse_location(std::string_view location) {
  using Kind = ParsedLocation::Kind;
  ParsedLocation parsed;
  // Nothing that could climb out after some decoding, or cut a path short, is ever below a root.
  if (location.empty() || location.find('\0') != std::string_view::npos ||
      has_parent_segment_when_decoded(location)) {
    return parsed;
  }
  const UriParts parts = split_uri(location);
  // A one-letter "scheme" is a drive letter ("C:/x"): a plain path, as the locator reads it.
  const std::string scheme = parts.scheme.size() < 2 ? std::string() : parts.scheme;
  if (scheme == "mlflow-artifacts" || scheme == "http" || scheme == "https") {
    parsed.kind = Kind::kProxied;
  } else if (scheme.empty()) {
    parsed.kind = Kind::kLocal;
    parsed.local_path = std::string(location);
  } else if (scheme == "file") {
    const std::string host = uri_hostname(parts.netloc);
    if ((host.empty() || host == "localhost") && !parts.path.empty()) {
      parsed.kind = Kind::kLocal;
      // The local store opens the path as written in the URI; compare that same path.
      parsed.local_path = parts.path;
    }
  } else if (scheme == "s3") {
    try {
      s3::S3Location s3_location = s3::parse_s3_uri(std::string(location));
      // The S3 store refuses keys that are not in canonical form; so do the roots.
      if (normalize_artifact_path(s3_location.key) == s3_location.key) {
        parsed.kind = Kind::kS3;
        parsed.bucket = std::move(s3_location.bucket);
        parsed.key = std::move(s3_location.key);
      }
    } catch (const std::exception&) {
      // Malformed: stays kInvalid.
    }
  } else {
    parsed.kind = Kind::kOther;
  }
  return parsed;
}

// `path` absolute, with symlinks resolved as far as it exists, without a trailing '/';
// nullopt when the file system cannot say (a symlink loop, a name too long).
std::optional<std::string> resolved_path(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  if (error) return std::nullopt;
  const fs::path canonical = fs::weakly_canonical(absolute, error);
  if (error) return std::nullopt;
  std::string text = canonical.lexically_normal().generic_string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

// Whether `inner` is `outer` or lies below it, on '/' boundaries.
bool is_at_or_below(std::string_view inner, std::string_view outer) {
  if (outer.empty()) return true;
  if (inner.compare(0, outer.size(), outer) != 0) return false;
  return inner.size() == outer.size() || outer.back() == '/' || inner[outer.size()] == '/';
}

}  // namespace

ArtifactRoots ArtifactRoots::any() {
  ArtifactRoots roots;
  roots.allow_any_ = true;
  return roots;
}

ArtifactRoots::ArtifactRoots(const std::vector<std::string>& roots) {
  for (const std::string& root : roots) add(root, true);
}

ArtifactRoots ArtifactRoots::of_server(const std::string& artifacts_destination,
                                       const std::string& default_artifact_root,
                                       const std::vector<std::string>& allowed) {
  ArtifactRoots roots(allowed);
  roots.add(artifacts_destination, false);
  roots.add(default_artifact_root, false);
  return roots;
}

void ArtifactRoots::add(const std::string& root, bool strict) {
  using Kind = ParsedLocation::Kind;
  if (root.empty()) return;
  const ParsedLocation parsed = parse_location(root);
  switch (parsed.kind) {
    case Kind::kProxied:
      return;  // always allowed
    case Kind::kLocal:
      local_roots_.push_back(fs::absolute(fs::path(parsed.local_path)).lexically_normal());
      return;
    case Kind::kS3:
      s3_roots_.push_back({parsed.bucket, parsed.key});
      return;
    case Kind::kOther:
    case Kind::kInvalid:
      if (!strict) return;
      throw std::invalid_argument(fmt::format(
          "'{}' cannot be an artifact root: give a directory, a file: URI on this host or s3://bucket/prefix.", root));
  }
}

bool ArtifactRoots::allows_local(const fs::path& path) const {
  const std::optional<std::string> location = resolved_path(path);
  if (!location) return false;
  for (const fs::path& root : local_roots_) {
    // Resolved at each check: a root may be created, or be a symlink, after the server started.
    const std::optional<std::string> resolved_root = resolved_path(root);
    if (resolved_root && is_at_or_below(*location, *resolved_root)) return true;
  }
  return false;
}

bool ArtifactRoots::allows_s3(const std::string& bucket, const std::string& key) const {
  for (const S3Root& root : s3_roots_) {
    if (root.bucket == bucket && is_at_or_below(key, root.prefix)) return true;
  }
  return false;
}

bool ArtifactRoots::allows(std::string_view location) const {
  if (allow_any_) return true;
  const ParsedLocation parsed = parse_location(location);
  switch (parsed.kind) {
    case ParsedLocation::Kind::kProxied:
      return true;
    case ParsedLocation::Kind::kLocal:
      return allows_local(fs::path(parsed.local_path));
    case ParsedLocation::Kind::kS3:
      return allows_s3(parsed.bucket, parsed.key);
    case ParsedLocation::Kind::kOther:
    case ParsedLocation::Kind::kInvalid:
      return false;
  }
  return false;
}

void ArtifactRoots::require_allowed(std::string_view location, ErrorCode code, std::string_view what) const {
  if (allows(location)) return;
  throw MlflowException(code, fmt::format("{} '{}' is outside the artifact roots this server allows: {}. (The "
                                          "server's operator can allow more with --allowed-artifact-roots.)",
                                          what, location, description()));
}

std::string ArtifactRoots::description() const {
  if (allow_any_) return "any location";
  std::string text;
  for (const fs::path& root : local_roots_) text += root.generic_string() + ", ";
  for (const S3Root& root : s3_roots_) text += "s3://" + root.bucket + (root.prefix.empty() ? "" : "/") + root.prefix + ", ";
  return text + "mlflow-artifacts:";
}

}  // namespace mlflowcpp::server
