#include "client/artifact_files.hpp"
#include "client/artifact_repositories.hpp"
#include "client/artifact_uri.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <fstream>
#include <system_error>

namespace mlflowcpp::client {
namespace {

void copy_into_place(const std::filesystem::path& source, const std::filesystem::path& destination) {
  if (!std::filesystem::is_regular_file(source)) {
    throw MlflowException(ErrorCode::kResourceDoesNotExist, "No such artifact file: " + source.string());
  }
  write_file_atomically(destination, [&](const std::filesystem::path& temporary) {
    std::filesystem::copy_file(source, temporary, std::filesystem::copy_options::overwrite_existing);
  });
}

}  // namespace

LocalArtifactRepository::LocalArtifactRepository(std::filesystem::path root) : root_(std::move(root)) {}

void LocalArtifactRepository::log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) {
  if (!std::filesystem::is_regular_file(local_file)) throw invalid_parameter("Not a file: " + local_file.string());
  std::string target = join_artifact_path(artifact_dir, local_file.filename().string());
  std::uint64_t size = std::filesystem::file_size(local_file);
  report_progress(0, size);
  copy_into_place(local_file, root_ / target);
  report_progress(size, size);
}

void LocalArtifactRepository::log_bytes(const std::string& content, const std::string& artifact_file) {
  std::string target = checked_relative_path(artifact_file);
  if (target.empty()) throw invalid_parameter("An artifact file needs a path");
  write_file_atomically(root_ / target, [&](const std::filesystem::path& temporary) {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) throw MlflowException(ErrorCode::kInternalError, "Cannot write " + temporary.string());
  });
}

std::vector<FileInfo> LocalArtifactRepository::list_artifacts(const std::string& dir) {
  std::string relative_dir = checked_relative_path(dir);
  std::filesystem::path directory = relative_dir.empty() ? root_ : root_ / relative_dir;
  std::vector<FileInfo> files;
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    FileInfo file;
    file.path = join_artifact_path(relative_dir, entry.path().filename().string());
    file.is_dir = entry.is_directory();
    if (!file.is_dir) file.file_size = static_cast<int64_t>(entry.file_size());
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

void LocalArtifactRepository::download_file(const std::string& artifact_file, const std::filesystem::path& local_file) {
  std::string source = checked_relative_path(artifact_file);
  if (source.empty()) throw invalid_parameter("An artifact file needs a path");
  std::error_code error;
  std::uint64_t size = std::filesystem::file_size(root_ / source, error);
  if (error) size = 0;
  report_progress(0, size);
  copy_into_place(root_ / source, local_file);
  report_progress(size, size);
}

}  // namespace mlflowcpp::client
