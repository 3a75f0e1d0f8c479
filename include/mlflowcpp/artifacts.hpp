#pragma once

// Artifact repositories: where a run's files live, named by its artifact_uri.
// MlflowClient::log_artifact and friends pick one from the run; use this header
// directly to read or write an artifact URI without a run.
//
// Supported URIs:
//   mlflow-artifacts:/<path>              the tracking server's artifact proxy, over the client's connection
//   mlflow-artifacts://host:port/<path>   the proxy of another server (plain http, default options)
//   /local/path, file:///local/path       a directory on this machine (files are copied)
// s3:// and other schemes throw MlflowException (NOT_IMPLEMENTED).

#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/entities.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mlflowcpp {

// Paths inside a repository are POSIX relative paths ("" is the root). A path
// that is absolute or contains ".." is refused (INVALID_PARAMETER_VALUE).
class ArtifactRepository {
 public:
  virtual ~ArtifactRepository() = default;

  // Stores `local_file` as <artifact_dir>/<its file name>.
  virtual void log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) = 0;
  // Stores `content` as the file `artifact_file`.
  virtual void log_bytes(const std::string& content, const std::string& artifact_file) = 0;
  // The direct children of `dir`, with paths relative to the repository root;
  // empty when `dir` does not exist or is a file.
  virtual std::vector<FileInfo> list_artifacts(const std::string& dir) = 0;
  // Writes the file `artifact_file` to `local_file`: to a temporary file next to
  // it first, renamed on success, so a failed download leaves nothing under that name.
  virtual void download_file(const std::string& artifact_file, const std::filesystem::path& local_file) = 0;
};

// The repository for `artifact_uri`. `tracking_connection` serves mlflow-artifacts:/ URIs.
std::unique_ptr<ArtifactRepository> make_artifact_repository(const std::string& artifact_uri,
                                                             std::shared_ptr<Connection> tracking_connection);

// Uploads every file under `local_dir`, recursively, below `artifact_dir`.
void log_artifact_directory(ArtifactRepository& repository, const std::filesystem::path& local_dir,
                            const std::string& artifact_dir);

// Downloads `artifact_path` (a file, or a directory with everything below it;
// "" is the whole repository) into the directory `local_dir`, creating it.
// Returns the local path of what was downloaded.
std::filesystem::path download_artifact_tree(ArtifactRepository& repository, const std::string& artifact_path,
                                             const std::filesystem::path& local_dir);

}  // namespace mlflowcpp
