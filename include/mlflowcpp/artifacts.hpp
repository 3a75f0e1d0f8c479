#pragma once

// Artifact repositories: where a run's files live, named by its artifact_uri.
// MlflowClient::log_artifact and friends pick one from the run; use this header
// directly to read or write an artifact URI without a run (or to follow a
// transfer's progress).
//
// Supported URIs:
//   mlflow-artifacts:/<path>              the tracking server's artifact proxy, over the client's connection
//   mlflow-artifacts://host:port/<path>   the proxy of another server, with the tracking connection's scheme,
//                                         path prefix, credentials and TLS settings (as MLflow's clients)
//   /local/path, file:///local/path       a directory on this machine (files are copied)
//   s3://bucket/<prefix>                  S3 or an S3-compatible store (MinIO, Ceph, ...), reached
//                                         directly and configured like MLflow's client:
//                                         MLFLOW_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
//                                         AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
//                                         AWS_DEFAULT_REGION (or AWS_REGION), MLFLOW_S3_IGNORE_TLS.
//                                         Files of MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE bytes
//                                         (default 500 MiB) and more go up as a multipart upload in
//                                         parallel parts of MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE (default
//                                         10 MiB, at least 5 MiB); downloads come in ranged requests
//                                         of MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE (default 100 MiB).
// Other schemes throw MlflowException (NOT_IMPLEMENTED).

#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace mlflowcpp {

// Told how one file's transfer advances: the bytes moved so far and the file's
// size. Each log_artifact / download_file call reports from 0 up to its total
// (so a directory transfer reports file after file). It may be called from a
// helper thread, but never by two threads at once; it should return quickly.
using ArtifactProgressCallback = std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total)>;

// Paths inside a repository are POSIX relative paths ("" is the root). A path
// that is absolute or contains ".." is refused (INVALID_PARAMETER_VALUE).
class MLFLOWCPP_EXPORT ArtifactRepository {
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

  // Progress of log_artifact and download_file from now on (an empty function
  // turns it off). S3 reports as bytes move; the proxy and local copies report
  // at the start and the end of each file.
  void set_progress_callback(ArtifactProgressCallback callback) { progress_callback_ = std::move(callback); }

 protected:
  const ArtifactProgressCallback& progress_callback() const { return progress_callback_; }
  void report_progress(std::uint64_t bytes_done, std::uint64_t bytes_total) const {
    if (progress_callback_) progress_callback_(bytes_done, bytes_total);
  }

 private:
  ArtifactProgressCallback progress_callback_;
};

// The repository for `artifact_uri`. `tracking_connection` serves mlflow-artifacts:/ URIs.
MLFLOWCPP_EXPORT std::unique_ptr<ArtifactRepository> make_artifact_repository(
    const std::string& artifact_uri, std::shared_ptr<Connection> tracking_connection);

// Uploads every file under `local_dir`, recursively, below `artifact_dir`.
MLFLOWCPP_EXPORT void log_artifact_directory(ArtifactRepository& repository, const std::filesystem::path& local_dir,
                                             const std::string& artifact_dir);

// Downloads `artifact_path` (a file, or a directory with everything below it;
// "" is the whole repository) into the directory `local_dir`, creating it.
// Returns the local path of what was downloaded.
MLFLOWCPP_EXPORT std::filesystem::path download_artifact_tree(ArtifactRepository& repository,
                                                              const std::string& artifact_path,
                                                              const std::filesystem::path& local_dir);

}  // namespace mlflowcpp
