#pragma once

// Which store an artifact root URI names, and the path inside that store.
//
// How far an artifact root is trusted: an experiment's artifact_location is
// chosen by the client that creates the experiment, and a run's artifact_uri
// is derived from it (<location>/<run_id>/artifacts). A root is served only
// when it lies below the server's configured roots (artifact_roots.hpp; any
// root with --allow-any-artifact-location, as the official server does), with
// the server's own access (its disk, its S3 credentials), and confined to that
// root: a relative path
// can never climb out of it ('..' is refused before any file or key is
// formed; for local roots, symlinks pointing out are refused too), so a client
// can read only below some "<location>/<run_id>/artifacts" (or a model
// version's source, itself checked to lie inside a run's artifacts).
// - plain paths and file: URIs: a LocalArtifactStore at that directory;
// - s3://bucket/prefix: an S3ArtifactStore there, with the S3 settings of the
//   server's environment (MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...);
// - mlflow-artifacts: URIs (and http(s) URLs of this server's proxy): below
//   --artifacts-destination (a local directory or s3:// URI), confined to it;
// - other schemes (gs://, wasbs://, ...): NOT_IMPLEMENTED.

#include "server/artifacts/artifact_roots.hpp"
#include "server/artifacts/artifact_store.hpp"

#include <mlflowcpp/errors.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace mlflowcpp::s3 {
class S3Client;
}

namespace mlflowcpp::server {

struct ArtifactLocation {
  std::shared_ptr<const ArtifactStore> store;
  std::string relative;  // normalised, relative to the store's root
};

// @par Thread Safety
// All methods may be called concurrently.
class ArtifactLocator {
 public:
  // `artifacts_destination`: where mlflow-artifacts: URIs live (a path, a
  // file: or s3:// URI). A destination that cannot be used (malformed,
  // unsupported scheme) fails each call that needs it, not the constructor.
  // `roots`: where artifact roots other than mlflow-artifacts: ones may lie.
  ArtifactLocator(std::string artifacts_destination, ArtifactRoots roots);
  ~ArtifactLocator();
  ArtifactLocator(const ArtifactLocator&) = delete;
  ArtifactLocator& operator=(const ArtifactLocator&) = delete;

  const std::string& artifacts_destination() const { return artifacts_destination_; }
  const ArtifactRoots& roots() const { return roots_; }

  // The store of the destination; NOT_IMPLEMENTED for an unsupported scheme,
  // INVALID_PARAMETER_VALUE for a malformed one.
  std::shared_ptr<const ArtifactStore> destination_store() const;

  // `relative` (already normalised) below the artifact root `root_uri`.
  // Throws INVALID_PARAMETER_VALUE for a root with '..' segments,
  // PERMISSION_DENIED for a root outside the allowed roots and
  // NOT_IMPLEMENTED for schemes no store serves.
  ArtifactLocation resolve(const std::string& root_uri, const std::string& relative) const;

 private:
  std::shared_ptr<const ArtifactStore> store_for(const std::string& root_uri) const;
  // Made on first use, so a server that never meets an s3:// root needs no S3 settings.
  std::shared_ptr<s3::S3Client> s3_client() const;

  std::string artifacts_destination_;
  ArtifactRoots roots_;
  mutable std::mutex s3_client_mutex_;
  mutable std::shared_ptr<s3::S3Client> s3_client_;
  std::shared_ptr<const ArtifactStore> destination_store_;  // null when it cannot be used:
  std::optional<MlflowException> destination_error_;        // then this says why (or NOT_IMPLEMENTED)
};

}  // namespace mlflowcpp::server
