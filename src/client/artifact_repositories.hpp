#pragma once

// The artifact repositories behind make_artifact_repository().

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/connection.hpp>

#include "client/artifact_s3_transfers.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace mlflowcpp::client {

// An mlflow-artifacts: location, reached through a tracking server's artifact
// proxy (/api/2.0/mlflow-artifacts/artifacts) over `connection`, so uploads and
// downloads get the same authentication, TLS settings and retries as tracking calls.
class ProxyArtifactRepository : public ArtifactRepository {
 public:
  // `root`: the location's path below the proxy ("<experiment>/<run>/artifacts").
  ProxyArtifactRepository(std::shared_ptr<Connection> connection, std::string root);

  void log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) override;
  void log_bytes(const std::string& content, const std::string& artifact_file) override;
  std::vector<FileInfo> list_artifacts(const std::string& dir) override;
  void download_file(const std::string& artifact_file, const std::filesystem::path& local_file) override;

 private:
  std::string file_request_path(const std::string& artifact_file) const;

  std::shared_ptr<Connection> connection_;
  std::string root_;
};

// A directory on this machine; files are copied in and out.
class LocalArtifactRepository : public ArtifactRepository {
 public:
  explicit LocalArtifactRepository(std::filesystem::path root);

  void log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) override;
  void log_bytes(const std::string& content, const std::string& artifact_file) override;
  std::vector<FileInfo> list_artifacts(const std::string& dir) override;
  void download_file(const std::string& artifact_file, const std::filesystem::path& local_file) override;

 private:
  std::filesystem::path root_;
};

// An s3:// location, reached directly with the S3 client (as MLflow's
// clients do): small files in one PUT, large ones as multipart uploads in
// parallel parts, downloads in ranged chunks. S3 errors become
// MlflowException: RESOURCE_DOES_NOT_EXIST (no such key or bucket),
// PERMISSION_DENIED (refused keys), TEMPORARILY_UNAVAILABLE (unreachable).
class S3ArtifactRepository : public ArtifactRepository {
 public:
  // `root`: "s3://bucket/prefix"; settings from the environment.
  explicit S3ArtifactRepository(const std::string& root);
  S3ArtifactRepository(const std::string& root, s3::S3Settings settings, S3TransferSettings transfers);
  ~S3ArtifactRepository() override;

  void log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) override;
  void log_bytes(const std::string& content, const std::string& artifact_file) override;
  std::vector<FileInfo> list_artifacts(const std::string& dir) override;
  void download_file(const std::string& artifact_file, const std::filesystem::path& local_file) override;

 private:
  // The object key of a path relative to the root.
  std::string key_of(const std::string& relative_path) const;

  std::string uri_;
  s3::S3Location root_;
  S3TransferSettings transfers_;
  std::unique_ptr<s3::S3Client> client_;
};

}  // namespace mlflowcpp::client
