#include "server/artifacts/artifact_lister.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace mlflowcpp::server {
namespace {

namespace fs = std::filesystem;

// "s3" for "s3://bucket/x"; "" for plain paths (including Windows-looking "C:/x").
std::string uri_scheme(const std::string& uri) {
  const auto colon = uri.find(':');
  if (colon == std::string::npos || colon < 2) return "";
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(uri[i]);
    if (!(std::isalnum(c) || c == '+' || c == '-' || c == '.')) return "";
  }
  std::string scheme = uri.substr(0, colon);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  return scheme;
}

// The path part of "scheme:/p", "scheme:///p" or "scheme://authority/p".
std::string uri_path(const std::string& uri) {
  std::string rest = uri.substr(uri.find(':') + 1);
  if (rest.rfind("//", 0) == 0) {
    const auto slash = rest.find('/', 2);
    rest = slash == std::string::npos ? std::string() : rest.substr(slash);
  }
  return rest;
}

std::string strip_slashes(std::string path) {
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

ArtifactLister::ArtifactLister(std::string artifacts_destination)
    : artifacts_destination_(std::move(artifacts_destination)) {}

std::string ArtifactLister::local_directory_of(const std::string& uri) const {
  const std::string scheme = uri_scheme(uri);
  if (scheme.empty()) return uri;
  if (scheme == "file") return uri_path(uri);
  if (scheme == "mlflow-artifacts") {
    std::string inner = uri_path(uri);
    while (!inner.empty() && inner.front() == '/') inner.erase(0, 1);
    const std::string destination = strip_slashes(local_directory_of(artifacts_destination_));
    return inner.empty() ? destination : destination + "/" + inner;
  }
  throw MlflowException(ErrorCode::kNotImplemented,
                        fmt::format("Listing artifacts stored at '{}' is not supported by this server: only local "
                                    "paths, file: and mlflow-artifacts: locations are.",
                                    uri));
}

std::vector<FileInfo> ArtifactLister::list(const std::string& artifact_root_uri,
                                           const std::string& relative_path) const {
  const std::string relative = strip_slashes(relative_path);
  const std::string root = strip_slashes(local_directory_of(artifact_root_uri));
  const fs::path directory = relative.empty() ? fs::path(root) : fs::path(root) / relative;
  std::vector<FileInfo> files;
  std::error_code error;
  if (!fs::is_directory(directory, error)) return files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    FileInfo info;
    const std::string name = it->path().filename().string();
    info.path = relative.empty() ? name : relative + "/" + name;
    std::error_code entry_error;
    info.is_dir = it->is_directory(entry_error);
    if (!info.is_dir) {
      const auto size = it->file_size(entry_error);
      if (!entry_error) info.file_size = static_cast<int64_t>(size);
    }
    files.push_back(std::move(info));
  }
  if (error) {
    throw MlflowException(ErrorCode::kInternalError,
                          fmt::format("Could not list artifacts at '{}': {}", directory.string(), error.message()));
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

}  // namespace mlflowcpp::server
