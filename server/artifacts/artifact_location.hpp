#pragma once

// Where an artifact root URI lives on this server's disk.
//
// How far an artifact root is trusted: an experiment's artifact_location is
// chosen by the client that creates the experiment, and a run's artifact_uri
// is derived from it (<location>/<run_id>/artifacts). For a plain local path or
// file: URI the official server serves whatever that URI names. We serve it
// too, but confined to that root: a relative path can never climb out of it
// ('..' is refused, symlinks pointing out of it are refused), so a client can
// read only below some "<dir>/<run_id>/artifacts" (or a model version's source
// directory, itself checked to lie inside a run's artifacts). mlflow-artifacts:
// roots (and http(s) URLs of this server's proxy) resolve below
// --artifacts-destination and are confined to it. Remote stores (s3://, gs://,
// ...) are NOT_IMPLEMENTED here.

#include "server/artifacts/local_artifact_store.hpp"

#include <string>

namespace mlflowcpp::server {

struct LocalArtifactLocation {
  LocalArtifactStore store;  // the directory everything must stay inside
  std::string relative;      // normalised, relative to the store's root
};

// The local directory of `destination` (a path or file: URI); NOT_IMPLEMENTED
// for a remote URI.
std::string local_directory_of_destination(const std::string& destination);

// `relative` (already normalised) below the artifact root `root_uri`.
// Throws INVALID_PARAMETER_VALUE for a root whose path has '..' segments and
// NOT_IMPLEMENTED for roots outside the local disk.
LocalArtifactLocation resolve_artifact_location(const std::string& root_uri, const std::string& relative,
                                                const std::string& artifacts_destination);

}  // namespace mlflowcpp::server
