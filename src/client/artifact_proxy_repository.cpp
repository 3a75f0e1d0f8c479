#include "client/artifact_files.hpp"
#include "client/artifact_repositories.hpp"
#include "client/artifact_uri.hpp"
#include "client/rest_call.hpp"

#include <algorithm>
#include <system_error>

namespace mlflowcpp::client {
namespace {

constexpr const char* kProxyEndpoint = "/api/2.0/mlflow-artifacts/artifacts";

// Throws the error a non-200 response describes.
void require_success(const HttpRequest& request, const HttpResponse& response) {
  if (response.status != 200) parse_response(request, response);
}

}  // namespace

ProxyArtifactRepository::ProxyArtifactRepository(std::shared_ptr<Connection> connection, std::string root)
    : connection_(std::move(connection)), root_(checked_relative_path(root)) {}

std::string ProxyArtifactRepository::file_request_path(const std::string& artifact_file) const {
  std::string full = join_artifact_path(root_, artifact_file);
  if (full.empty()) throw invalid_parameter("An artifact file needs a path");
  return std::string(kProxyEndpoint) + "/" + encode_path_segments(full);
}

void ProxyArtifactRepository::log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) {
  HttpRequest request;
  request.method = "PUT";
  request.path = file_request_path(join_artifact_path(artifact_dir, local_file.filename().string()));
  Connection::FileTransfer files;
  files.upload_from = local_file.string();  // streamed from disk, never loaded whole
  // The connection streams the file without reporting on the way: progress at both ends.
  std::error_code error;
  std::uint64_t size = std::filesystem::file_size(local_file, error);
  if (error) size = 0;
  report_progress(0, size);
  require_success(request, connection_->send_with_files(request, files));
  report_progress(size, size);
}

void ProxyArtifactRepository::log_bytes(const std::string& content, const std::string& artifact_file) {
  HttpRequest request;
  request.method = "PUT";
  request.path = file_request_path(artifact_file);
  request.body = content;
  require_success(request, connection_->send(request));
}

std::vector<FileInfo> ProxyArtifactRepository::list_artifacts(const std::string& dir) {
  std::string relative_dir = checked_relative_path(dir);
  HttpRequest request;
  request.method = "GET";
  request.path = kProxyEndpoint;
  request.query = {{"path", join_artifact_path(root_, relative_dir)}};
  Json response = parse_response(request, connection_->send(request));
  std::vector<FileInfo> files = list_from<FileInfo>(response, "files", protocol::file_info_from_json);
  for (auto& file : files) {
    // The proxy answers base names; a name that could climb out of `dir` is refused.
    if (file.path.find('/') != std::string::npos) {
      throw MlflowException(ErrorCode::kInternalError, "The server listed an invalid artifact name: " + file.path);
    }
    std::string name = checked_relative_path(file.path);
    if (name.empty()) {
      throw MlflowException(ErrorCode::kInternalError, "The server listed an invalid artifact name: " + file.path);
    }
    file.path = join_artifact_path(relative_dir, name);
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

void ProxyArtifactRepository::download_file(const std::string& artifact_file, const std::filesystem::path& local_file) {
  HttpRequest request;
  request.method = "GET";
  request.path = file_request_path(artifact_file);
  // Streamed into a temporary file that becomes `local_file` only once complete.
  write_file_atomically(local_file, [&](const std::filesystem::path& temporary) {
    Connection::FileTransfer files;
    files.download_to = temporary.string();
    report_progress(0, 0);  // the size is known once the file is here
    require_success(request, connection_->send_with_files(request, files));
    std::error_code error;
    std::uint64_t size = std::filesystem::file_size(temporary, error);
    if (!error) report_progress(size, size);
  });
}

}  // namespace mlflowcpp::client
