// MlflowClient's artifact methods: the run's artifact_uri picks the repository.

#include "client/artifact_uri.hpp"
#include "client/rest_call.hpp"

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/client.hpp>

namespace mlflowcpp {
namespace {

// `progress` is taken by value: the transfer keeps the callback it started with.
std::unique_ptr<ArtifactRepository> repository_of_run(MlflowClient& client, const std::string& run_id,
                                                      ArtifactProgressCallback progress) {
  auto repository = make_artifact_repository(client.get_run(run_id).info.artifact_uri, client.connection());
  repository->set_progress_callback(std::move(progress));
  return repository;
}

}  // namespace

void MlflowClient::log_artifact(const std::string& run_id, const std::filesystem::path& local_file,
                                const std::string& artifact_path) {
  if (!std::filesystem::is_regular_file(local_file)) throw invalid_parameter("Not a file: " + local_file.string());
  repository_of_run(*this, run_id, artifact_progress())
      ->log_artifact(local_file, client::checked_relative_path(artifact_path));
}

void MlflowClient::log_artifacts(const std::string& run_id, const std::filesystem::path& local_dir,
                                 const std::string& artifact_path) {
  if (!std::filesystem::is_directory(local_dir)) throw invalid_parameter("Not a directory: " + local_dir.string());
  auto repository = repository_of_run(*this, run_id, artifact_progress());
  log_artifact_directory(*repository, local_dir, client::checked_relative_path(artifact_path));
}

void MlflowClient::log_text(const std::string& run_id, const std::string& text, const std::string& artifact_file) {
  std::string target = client::checked_relative_path(artifact_file);
  if (target.empty()) throw invalid_parameter("log_text needs an artifact file name");
  repository_of_run(*this, run_id, artifact_progress())->log_bytes(text, target);
}

std::vector<FileInfo> MlflowClient::list_artifacts(const std::string& run_id, const std::string& path) {
  std::string dir = client::checked_relative_path(path);
  // s3:// artifacts are listed from S3 with this client's credentials, as
  // MLflow's clients do; the tracking server may hold no S3 credentials at all.
  std::string artifact_uri = get_run(run_id).info.artifact_uri;
  if (artifact_uri.rfind("s3://", 0) == 0) {
    return make_artifact_repository(artifact_uri, connection_)->list_artifacts(dir);
  }
  client::QueryParameters query = {{"run_id", run_id}};
  if (!dir.empty()) query.emplace_back("path", dir);
  client::Json response = client::get(*connection_, "artifacts/list", query);
  auto files = client::list_from<FileInfo>(response, "files", protocol::file_info_from_json);
  for (auto& file : files) {
    // Run-relative paths from the server; one that could climb out of the run is refused.
    std::string checked = client::checked_relative_path(file.path);
    if (checked.empty()) {
      throw MlflowException(ErrorCode::kInternalError, "The server listed an invalid artifact path: " + file.path);
    }
    file.path = checked;
  }
  return files;
}

std::filesystem::path MlflowClient::download_artifacts(const std::string& run_id, const std::string& path,
                                                       const std::filesystem::path& local_dst) {
  auto repository = repository_of_run(*this, run_id, artifact_progress());
  return download_artifact_tree(*repository, path, local_dst);
}

std::filesystem::path MlflowClient::download_artifacts_from_uri(const std::string& artifact_uri,
                                                                const std::filesystem::path& local_dst) {
  if (client::is_runs_uri(artifact_uri)) {
    client::RunsUri parsed = client::parse_runs_uri(artifact_uri);
    return download_artifacts(parsed.run_id, parsed.path, local_dst);
  }
  // The URI's parent is the repository, its last segment what to fetch from it.
  std::string uri = artifact_uri;
  while (uri.size() > 1 && uri.back() == '/') uri.pop_back();
  auto slash = uri.rfind('/');
  if (slash == std::string::npos) throw invalid_parameter("Cannot download from the artifact URI " + artifact_uri);
  std::string parent = uri.substr(0, slash + 1);
  std::string name = uri.substr(slash + 1);
  auto repository = make_artifact_repository(parent, connection_);
  repository->set_progress_callback(artifact_progress());
  return download_artifact_tree(*repository, name, local_dst);
}

}  // namespace mlflowcpp
