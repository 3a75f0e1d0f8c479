#pragma once

// The artifact repositories behind make_artifact_repository().

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/connection.hpp>

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

}  // namespace mlflowcpp::client
