#pragma once

// Parsing artifact URIs and joining the relative paths used inside them.

#include <string>
#include <string_view>

namespace mlflowcpp::client {

enum class ArtifactLocationKind {
  kTrackingProxy,  // mlflow-artifacts:/<path>
  kRemoteProxy,    // mlflow-artifacts://<authority>/<path>
  kLocal,          // a file system path or file:// URI
  kS3,             // s3://<bucket>/<prefix>
};

struct ArtifactLocation {
  ArtifactLocationKind kind = ArtifactLocationKind::kLocal;
  std::string authority;  // host:port, kRemoteProxy; the bucket, kS3
  std::string path;       // proxy and S3: relative, no leading or trailing '/'; local: a file system path
};

// Throws MlflowException: NOT_IMPLEMENTED for other schemes, INVALID_PARAMETER_VALUE for an empty URI,
// an s3:// URI without a bucket, or a path with "..".
ArtifactLocation parse_artifact_location(const std::string& uri);

// "runs:/<run_id>/<path>" split into run id and relative path ("" for the run's root).
struct RunsUri {
  std::string run_id;
  std::string path;
};
bool is_runs_uri(std::string_view uri);
// INVALID_PARAMETER_VALUE when the URI has no run id or its path is unsafe.
RunsUri parse_runs_uri(const std::string& uri);

// The relative path cleaned up: '/'-separated, no empty or "." segments. Throws
// INVALID_PARAMETER_VALUE when it is absolute or has a ".." segment (or a backslash
// or NUL, which would let a name escape on some systems).
std::string checked_relative_path(std::string_view path);

// "a/b" + "c/d" -> "a/b/c/d"; either side may be empty. Both must be relative and safe.
std::string join_artifact_path(std::string_view base, std::string_view relative);

// The last segment of a relative path ("c" for "a/b/c").
std::string last_segment(std::string_view path);

// Percent-encodes each segment, keeping the '/' between them.
std::string encode_path_segments(std::string_view path);

}  // namespace mlflowcpp::client
