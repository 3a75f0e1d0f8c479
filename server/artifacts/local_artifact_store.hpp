#pragma once

// Artifacts in a local directory tree: list, read, write and delete files below
// one root and nowhere else. Every path is taken in the canonical form of
// normalize_artifact_path() and, after symlinks are resolved, must still lie
// inside the root (a symlink pointing out of it is refused with
// INVALID_PARAMETER_VALUE). Nothing here holds a whole file in memory.

#include "server/artifacts/artifact_store.hpp"

#include <mlflowcpp/entities.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server {

// A file opened for reading; the descriptor closes with the object. Reading at
// an offset (pread) lets one object serve a download chunk by chunk.
class LocalArtifactFile : public ArtifactReader {
 public:
  LocalArtifactFile(int descriptor, std::uint64_t size) : descriptor_(descriptor), size_(size) {}
  ~LocalArtifactFile() override;
  LocalArtifactFile(const LocalArtifactFile&) = delete;
  LocalArtifactFile& operator=(const LocalArtifactFile&) = delete;

  std::uint64_t size() const override { return size_; }
  std::uint64_t send(std::uint64_t offset, std::uint64_t length, const ArtifactSink& sink) const override;
  // Up to `length` bytes at `offset` into `buffer`: the count read, 0 at the end, -1 on error.
  long read_at(std::uint64_t offset, char* buffer, std::size_t length) const;

 private:
  int descriptor_;
  std::uint64_t size_;
};

// An upload in progress. The bytes go to a temporary file in the target's
// directory; commit() moves it onto the target name in one rename, so readers
// see the old file or the whole new one, never a part. Destroyed without
// commit() (client gone, error), it removes the temporary file.
class LocalArtifactUpload : public ArtifactUpload {
 public:
  ~LocalArtifactUpload() override;
  LocalArtifactUpload(const LocalArtifactUpload&) = delete;
  LocalArtifactUpload& operator=(const LocalArtifactUpload&) = delete;

  // Throws MlflowException (INTERNAL_ERROR) when the disk refuses the bytes.
  void write(const char* data, std::size_t length) override;
  void commit() override;
  std::uint64_t bytes_received() const { return bytes_received_; }

 private:
  friend class LocalArtifactStore;
  LocalArtifactUpload(int descriptor, std::filesystem::path temporary, std::filesystem::path target);
  void flush_buffer();
  void close_descriptor();

  int descriptor_;
  std::filesystem::path temporary_;
  std::filesystem::path target_;
  // Writes are gathered into blocks: HTTP bodies arrive a few KiB at a time.
  std::string buffer_;
  std::uint64_t bytes_received_ = 0;
  bool committed_ = false;
};

// Multipart uploads are not offered (NOT_IMPLEMENTED, as for MLflow's local
// repository): a single streamed PUT already writes straight to disk.
class LocalArtifactStore : public ArtifactStore {
 public:
  // `root` need not exist yet (it is created by the first upload).
  explicit LocalArtifactStore(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::string root_description() const override;

  std::vector<FileInfo> list(const std::string& relative_directory) const override;
  // RESOURCE_DOES_NOT_EXIST (404) when there is no such file; INVALID_PARAMETER_VALUE
  // for a directory.
  std::unique_ptr<ArtifactReader> open(const std::string& relative_file) const override;
  // Creates the parent directories; INVALID_PARAMETER_VALUE when the path is the
  // root or an existing directory. The size is not needed.
  std::unique_ptr<ArtifactUpload> begin_upload(const std::string& relative_file,
                                               std::optional<std::uint64_t> size) const override;
  void remove(const std::string& relative_path) const override;

  // Whether a directory entry is an upload still in progress (hidden from listings).
  static bool is_upload_in_progress(std::string_view file_name);

 private:
  // root/relative, after checking that it stays inside the root once symlinks
  // are resolved. Operations use this unresolved path, so a final symlink is
  // replaced or removed itself, never its target.
  std::filesystem::path confined(const std::string& relative) const;

  std::filesystem::path root_;
};

}  // namespace mlflowcpp::server
