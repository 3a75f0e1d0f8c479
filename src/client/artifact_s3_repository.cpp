#include "client/artifact_files.hpp"
#include "client/artifact_repositories.hpp"
#include "client/artifact_s3_progress.hpp"
#include "client/artifact_uri.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cstring>
#include <memory>

namespace mlflowcpp::client {
namespace {

// The MlflowException an S3 failure means to a caller of the artifact API.
[[noreturn]] void throw_as_mlflow_error(const s3::S3Error& error) {
  switch (error.kind()) {
    case s3::S3Error::Kind::kNotFound:
    case s3::S3Error::Kind::kNoSuchBucket:
      throw MlflowException(ErrorCode::kResourceDoesNotExist, error.what());
    case s3::S3Error::Kind::kAccessDenied:
      throw MlflowException(ErrorCode::kPermissionDenied, error.what());
    case s3::S3Error::Kind::kUnreachable:
      throw MlflowException(ErrorCode::kTemporarilyUnavailable, error.what());
    case s3::S3Error::Kind::kAborted:
      throw MlflowException(ErrorCode::kAborted, error.what());
    case s3::S3Error::Kind::kOther:
      break;
  }
  throw MlflowException(ErrorCode::kInternalError, error.what());
}

template <typename Call>
auto translating_s3_errors(Call call) -> decltype(call()) {
  try {
    return call();
  } catch (const s3::S3Error& error) {
    throw_as_mlflow_error(error);
  }
}

s3::S3Location parse_root(const std::string& root) {
  ArtifactLocation location = parse_artifact_location(root);
  if (location.kind != ArtifactLocationKind::kS3) throw invalid_parameter("Not an s3:// URI: " + root);
  return s3::S3Location{location.authority, location.path};
}

s3::S3Settings settings_from_environment() {
  try {
    return s3::S3Settings::from_environment();
  } catch (const std::invalid_argument& error) {
    throw invalid_parameter(error.what());
  }
}

}  // namespace

S3ArtifactRepository::S3ArtifactRepository(const std::string& root)
    : S3ArtifactRepository(root, settings_from_environment(), S3TransferSettings::from_environment()) {}

S3ArtifactRepository::S3ArtifactRepository(const std::string& root, s3::S3Settings settings,
                                           S3TransferSettings transfers)
    : uri_(root), root_(parse_root(root)), transfers_(transfers) {
  try {
    client_ = std::make_unique<s3::S3Client>(std::move(settings));
  } catch (const std::invalid_argument& error) {  // e.g. an endpoint URL without a scheme
    throw invalid_parameter(error.what());
  }
}

S3ArtifactRepository::~S3ArtifactRepository() = default;

std::string S3ArtifactRepository::key_of(const std::string& relative_path) const {
  std::string path = checked_relative_path(relative_path);
  if (root_.key.empty()) return path;
  if (path.empty()) return root_.key;
  return root_.key + "/" + path;
}

void S3ArtifactRepository::log_artifact(const std::filesystem::path& local_file, const std::string& artifact_dir) {
  if (!std::filesystem::is_regular_file(local_file)) throw invalid_parameter("Not a file: " + local_file.string());
  const std::string key = key_of(join_artifact_path(artifact_dir, local_file.filename().string()));
  const std::uint64_t size = std::filesystem::file_size(local_file);
  translating_s3_errors([&] {
    if (size >= transfers_.multipart_upload_minimum_file_size) {
      upload_file_in_parts(*client_, root_.bucket, key, local_file, transfers_, progress_callback());
      return;
    }
    upload_file_whole(*client_, root_.bucket, key, local_file, progress_callback());
  });
}

void S3ArtifactRepository::log_bytes(const std::string& content, const std::string& artifact_file) {
  std::string path = checked_relative_path(artifact_file);
  if (path.empty()) throw invalid_parameter("An artifact file needs a path");
  std::size_t offset = 0;
  s3::ByteSource body;
  body.read = [&](char* buffer, std::size_t capacity) {
    std::size_t n = std::min(capacity, content.size() - offset);
    std::memcpy(buffer, content.data() + offset, n);
    offset += n;
    return n;
  };
  body.rewind = [&] {
    offset = 0;
    return true;
  };
  translating_s3_errors([&] { client_->put_object(root_.bucket, key_of(path), content.size(), body); });
}

std::vector<FileInfo> S3ArtifactRepository::list_artifacts(const std::string& dir) {
  const std::string relative_dir = checked_relative_path(dir);
  std::string prefix = key_of(relative_dir);
  if (!prefix.empty()) prefix += "/";
  s3::S3Listing listing = translating_s3_errors([&] { return client_->list_objects(root_.bucket, prefix, "/"); });

  std::vector<FileInfo> files;
  // A name from S3 becomes a path only if it is one safe segment below `dir`.
  auto add = [&](std::string name, bool is_dir, std::uint64_t size) {
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") return;
    FileInfo file;
    file.path = join_artifact_path(relative_dir, name);
    file.is_dir = is_dir;
    if (!is_dir) file.file_size = static_cast<int64_t>(size);
    files.push_back(std::move(file));
  };
  for (const auto& object : listing.objects) {
    if (object.key.size() <= prefix.size()) continue;  // the "directory" marker object itself
    add(object.key.substr(prefix.size()), false, object.size);
  }
  for (const auto& common_prefix : listing.common_prefixes) {
    if (common_prefix.size() <= prefix.size() + 1) continue;
    add(common_prefix.substr(prefix.size(), common_prefix.size() - prefix.size() - 1), true, 0);
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

void S3ArtifactRepository::download_file(const std::string& artifact_file, const std::filesystem::path& local_file) {
  std::string path = checked_relative_path(artifact_file);
  if (path.empty()) throw invalid_parameter("An artifact file needs a path");
  write_file_atomically(local_file, [&](const std::filesystem::path& temporary) {
    translating_s3_errors(
        [&] { download_in_chunks(*client_, root_.bucket, key_of(path), temporary, transfers_, progress_callback()); });
  });
}

}  // namespace mlflowcpp::client
