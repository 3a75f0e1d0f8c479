#include "server/artifacts/local_artifact_store.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mlflowcpp::server {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUploadPrefix = ".mlflowcpp-upload-";
constexpr std::size_t kWriteBlockBytes = 1024 * 1024;
constexpr std::size_t kReadChunkBytes = 256 * 1024;

MlflowException io_error(const std::string& what, int error_number) {
  return MlflowException(ErrorCode::kInternalError, fmt::format("{}: {}", what, std::strerror(error_number)));
}

// Whether `path` is `root` or below it (both absolute and normalised).
bool is_within(const fs::path& path, const fs::path& root) {
  auto path_part = path.begin();
  for (auto root_part = root.begin(); root_part != root.end(); ++root_part, ++path_part) {
    if (root_part->empty()) continue;  // the trailing "" of "dir/"
    if (path_part == path.end() || *path_part != *root_part) return false;
  }
  return true;
}

}  // namespace

LocalArtifactFile::~LocalArtifactFile() { ::close(descriptor_); }

std::uint64_t LocalArtifactFile::send(std::uint64_t offset, std::uint64_t length, const ArtifactSink& sink) const {
  const std::uint64_t end = offset + std::min(length, size_ - std::min(offset, size_));
  std::vector<char> buffer(static_cast<std::size_t>(std::min<std::uint64_t>(kReadChunkBytes, end - offset)));
  std::uint64_t sent = 0;
  while (offset + sent < end) {
    const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), end - offset - sent));
    const long count = read_at(offset + sent, buffer.data(), wanted);
    // A file that shrank under us ends the transfer early.
    if (count <= 0) break;
    if (!sink(buffer.data(), static_cast<std::size_t>(count))) break;
    sent += static_cast<std::uint64_t>(count);
  }
  return sent;
}

long LocalArtifactFile::read_at(std::uint64_t offset, char* buffer, std::size_t length) const {
  for (;;) {
    const ssize_t count = ::pread(descriptor_, buffer, length, static_cast<off_t>(offset));
    if (count >= 0 || errno != EINTR) return static_cast<long>(count);
  }
}

LocalArtifactUpload::LocalArtifactUpload(int descriptor, fs::path temporary, fs::path target)
    : descriptor_(descriptor), temporary_(std::move(temporary)), target_(std::move(target)) {
  buffer_.reserve(kWriteBlockBytes);
}

LocalArtifactUpload::~LocalArtifactUpload() {
  close_descriptor();
  if (!committed_) ::unlink(temporary_.c_str());
}

void LocalArtifactUpload::close_descriptor() {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
}

void LocalArtifactUpload::flush_buffer() {
  std::size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t count = ::write(descriptor_, buffer_.data() + done, buffer_.size() - done);
    if (count < 0) {
      if (errno == EINTR) continue;
      throw io_error("Could not write the artifact", errno);
    }
    done += static_cast<std::size_t>(count);
  }
  buffer_.clear();
}

void LocalArtifactUpload::write(const char* data, std::size_t length) {
  bytes_received_ += length;
  while (length > 0) {
    const std::size_t room = kWriteBlockBytes - buffer_.size();
    const std::size_t taken = std::min(room, length);
    buffer_.append(data, taken);
    data += taken;
    length -= taken;
    if (buffer_.size() == kWriteBlockBytes) flush_buffer();
  }
}

void LocalArtifactUpload::commit() {
  flush_buffer();
  // On disk before it takes the final name: a crash right after the rename must
  // not leave an empty file there.
  if (::fdatasync(descriptor_) != 0) throw io_error("Could not write the artifact", errno);
  close_descriptor();
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    if (errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST) {
      throw invalid_parameter(fmt::format("Cannot upload: '{}' is a directory.", target_.filename().string()));
    }
    throw io_error("Could not store the artifact", errno);
  }
  committed_ = true;
}

LocalArtifactStore::LocalArtifactStore(fs::path root) : root_(fs::absolute(std::move(root)).lexically_normal()) {}

std::string LocalArtifactStore::root_description() const { return "a local directory"; }

bool LocalArtifactStore::is_upload_in_progress(std::string_view file_name) {
  return file_name.substr(0, kUploadPrefix.size()) == kUploadPrefix;
}

fs::path LocalArtifactStore::confined(const std::string& relative) const {
  const fs::path candidate = relative.empty() ? root_ : root_ / relative;
  std::error_code error;
  // weakly_canonical resolves the symlinks of the part that exists and
  // normalises the rest lexically.
  const fs::path real_root = fs::weakly_canonical(root_, error);
  if (error) throw io_error("Cannot resolve the artifact root", error.value());
  const fs::path real_candidate = fs::weakly_canonical(candidate, error);
  if (error) throw io_error("Cannot resolve the artifact path", error.value());
  if (!is_within(real_candidate, real_root)) {
    throw invalid_parameter(fmt::format("Invalid path: '{}' leads outside the artifact root.", relative));
  }
  return candidate;
}

std::vector<FileInfo> LocalArtifactStore::list(const std::string& relative_directory) const {
  const fs::path directory = confined(relative_directory);
  std::vector<FileInfo> files;
  std::error_code error;
  if (!fs::is_directory(directory, error)) return files;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (is_upload_in_progress(name)) continue;
    FileInfo info;
    info.path = relative_directory.empty() ? name : relative_directory + "/" + name;
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
                          fmt::format("Could not list artifacts at '{}': {}", relative_directory, error.message()));
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

std::unique_ptr<ArtifactReader> LocalArtifactStore::open(const std::string& relative_file) const {
  const fs::path path = confined(relative_file);
  const int descriptor = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      throw not_found(fmt::format("Artifact '{}' does not exist.", relative_file));
    }
    throw io_error(fmt::format("Could not open artifact '{}'", relative_file), errno);
  }
  struct stat status {};
  if (::fstat(descriptor, &status) != 0) {
    const int error_number = errno;
    ::close(descriptor);
    throw io_error(fmt::format("Could not open artifact '{}'", relative_file), error_number);
  }
  if (!S_ISREG(status.st_mode)) {
    ::close(descriptor);
    throw invalid_parameter(fmt::format("Artifact '{}' is not a file.", relative_file));
  }
  return std::make_unique<LocalArtifactFile>(descriptor, static_cast<std::uint64_t>(status.st_size));
}

std::unique_ptr<ArtifactUpload> LocalArtifactStore::begin_upload(const std::string& relative_file,
                                                                 std::optional<std::uint64_t>) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path: an upload needs a file name.");
  const fs::path target = confined(relative_file);
  std::error_code error;
  if (fs::is_directory(target, error)) {
    throw invalid_parameter(fmt::format("Cannot upload: '{}' is a directory.", relative_file));
  }
  const fs::path directory = target.parent_path();
  fs::create_directories(directory, error);
  if (error) {
    if (error == std::errc::not_a_directory || error == std::errc::file_exists) {
      throw invalid_parameter(fmt::format("Cannot upload '{}': a parent of it is a file.", relative_file));
    }
    throw io_error(fmt::format("Could not create the directory of '{}'", relative_file), error.value());
  }
  // The directory may have been reached through a symlink created meanwhile: check again.
  confined(relative_file);
  std::string temporary = (directory / (std::string(kUploadPrefix) + "XXXXXX")).string();
  const int descriptor = ::mkostemp(temporary.data(), O_CLOEXEC);
  if (descriptor < 0) throw io_error(fmt::format("Could not start the upload of '{}'", relative_file), errno);
  // mkostemp creates 0600; artifacts are ordinary readable files.
  ::fchmod(descriptor, 0644);
  return std::unique_ptr<ArtifactUpload>(new LocalArtifactUpload(descriptor, temporary, target));
}

void LocalArtifactStore::remove(const std::string& relative_path) const {
  if (relative_path.empty()) throw invalid_parameter("Invalid path: the artifact root cannot be deleted.");
  const fs::path path = confined(relative_path);
  std::error_code error;
  // remove_all deletes a symlink itself, never what it points to.
  fs::remove_all(path, error);
  if (error && error != std::errc::no_such_file_or_directory && error != std::errc::not_a_directory) {
    throw io_error(fmt::format("Could not delete artifact '{}'", relative_path), error.value());
  }
}

}  // namespace mlflowcpp::server
