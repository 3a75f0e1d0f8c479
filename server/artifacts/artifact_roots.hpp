#pragma once

// The one rule on where this server touches artifacts for a client: only below
// the artifact roots it was configured with.
//
// Why: an experiment's artifact_location is chosen by the client that creates
// it, and the server lists, serves, stores and deletes files there with its own
// access (its disk, its S3 credentials). Unchecked, any client that may create
// an experiment could read the server's file system or any bucket its
// credentials reach. The roots are --artifacts-destination,
// --default-artifact-root and --allowed-artifact-roots; mlflow-artifacts:
// locations (and http(s) URLs of the artifact proxy) are always allowed, since
// they resolve below --artifacts-destination and are confined there.
//
// How locations compare:
// - local paths and file: URIs (on this host): made absolute, '..' refused in
//   any percent-encoding, then symlinks resolved (weakly_canonical) on both
//   sides at each check, and compared segment by segment ("/data-other" is not
//   below "/data"); file: URIs naming another host are never below a root;
// - s3://bucket/prefix: the same bucket, and the key equal to the root's prefix
//   or below it on a '/' boundary;
// - any other scheme: never below a root (the server cannot reach it anyway).
// Everything is allowed when the server runs with --allow-any-artifact-location
// (a trusted setup: the official server's behaviour).

#include <mlflowcpp/errors.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server {

// @par Thread Safety
// Immutable after construction: any number of threads may call it.
class ArtifactRoots {
 public:
  // Every location allowed (--allow-any-artifact-location).
  static ArtifactRoots any();

  // Only below `roots`: paths (absolute, or relative to the working directory),
  // file: URIs or s3://bucket[/prefix]; mlflow-artifacts: and proxy URLs are
  // allowed anyway and may be listed (they add nothing). Throws
  // std::invalid_argument for a root of another kind.
  explicit ArtifactRoots(const std::vector<std::string>& roots);

  // A server's roots: its artifacts destination and default artifact root
  // (skipped when of a kind no store serves, e.g. gs://: locations there answer
  // NOT_IMPLEMENTED anyway) and the operator's `allowed` roots, which must all
  // be valid (std::invalid_argument otherwise).
  static ArtifactRoots of_server(const std::string& artifacts_destination, const std::string& default_artifact_root,
                                 const std::vector<std::string>& allowed);

  bool allows_any() const { return allow_any_; }

  // Whether the server may touch artifacts at `location` (a URI or a path).
  bool allows(std::string_view location) const;

  // Throws `code` (a client's INVALID_PARAMETER_VALUE when it names a new
  // location, PERMISSION_DENIED when it reaches a stored one) unless allowed.
  // `what` names the location in the message ("Artifact location").
  void require_allowed(std::string_view location, ErrorCode code, std::string_view what) const;

  // The roots for messages: "/srv/artifacts, s3://bucket/prefix, mlflow-artifacts:".
  std::string description() const;

 private:
  struct S3Root {
    std::string bucket;
    std::string prefix;  // "" = the whole bucket; else no leading or trailing '/'
  };

  ArtifactRoots() = default;
  // Adds `root`; one of another kind throws std::invalid_argument when `strict`, else is skipped.
  void add(const std::string& root, bool strict);

  bool allows_local(const std::filesystem::path& path) const;
  bool allows_s3(const std::string& bucket, const std::string& key) const;

  bool allow_any_ = false;
  std::vector<std::filesystem::path> local_roots_;  // absolute, lexically normal
  std::vector<S3Root> s3_roots_;
};

}  // namespace mlflowcpp::server
