#pragma once

// Where artifacts are kept, as the HTTP layer sees it: one root (a local
// directory, an S3 bucket and prefix) and paths relative to it. Every path an
// ArtifactStore takes is already in the canonical form of
// normalize_artifact_path() ("dir/f.txt", "" = the root); implementations
// still refuse to reach outside their root. Bodies are streamed both ways:
// nothing here holds a whole file in memory.
//
// Failures are MlflowExceptions: RESOURCE_DOES_NOT_EXIST (404) for a missing
// file, INVALID_PARAMETER_VALUE (400) for a path the store cannot take, and for
// a remote store TEMPORARILY_UNAVAILABLE (503) when it cannot be reached and a
// 502 when it answers with an error of its own (see s3_artifact_store.hpp).
//
// @par Thread Safety
// A store's methods may be called from any number of threads at once; a reader
// or an upload belongs to one thread at a time.

#include <mlflowcpp/entities.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server {

// Receives a download's bytes in order; returns false to stop (the client went away).
using ArtifactSink = std::function<bool(const char* data, std::size_t length)>;

// One stored file, opened for reading.
class ArtifactReader {
 public:
  virtual ~ArtifactReader() = default;
  virtual std::uint64_t size() const = 0;
  // Hands up to `length` bytes from `offset` on (never past the end) to
  // `sink`, in order, and returns how many it handed over. Fewer means it
  // stopped early: the sink refused, or the storage failed (calling again from
  // the new offset may get further).
  virtual std::uint64_t send(std::uint64_t offset, std::uint64_t length, const ArtifactSink& sink) const = 0;
};

// A file being written. Readers never see a part of it: it appears whole at
// commit(). Destroyed without commit() (client gone, error), nothing is stored
// and an older file of that name stays as it was.
class ArtifactUpload {
 public:
  virtual ~ArtifactUpload() = default;
  virtual void write(const char* data, std::size_t length) = 0;
  virtual void commit() = 0;
};

// The multipart calls of the artifact proxy (POST .../mpu/create|complete|abort):
// the client PUTs each part straight to `url` (with `headers`), then sends the
// parts' ETags to complete.
struct MultipartUploadCredential {
  int part_number = 0;
  std::string url;
  std::map<std::string, std::string> headers;
};

struct MultipartUploadStart {
  std::string upload_id;
  std::vector<MultipartUploadCredential> credentials;  // one per part, part numbers 1..n
};

struct MultipartUploadPart {
  int part_number = 0;
  std::string etag;
};

class ArtifactStore {
 public:
  virtual ~ArtifactStore() = default;

  // The root as a URI or path, for messages.
  virtual std::string root_description() const = 0;

  // Direct children of `relative_directory` ("" = the root), sorted by path,
  // each path relative to the root ("dir/f.txt"). A missing directory, or a
  // file, lists as empty.
  virtual std::vector<FileInfo> list(const std::string& relative_directory) const = 0;
  // RESOURCE_DOES_NOT_EXIST when there is no such file.
  virtual std::unique_ptr<ArtifactReader> open(const std::string& relative_file) const = 0;
  // `size`: the byte count the caller will write, when it knows it (an HTTP
  // Content-Length); a store may need fewer resources when told.
  virtual std::unique_ptr<ArtifactUpload> begin_upload(const std::string& relative_file,
                                                       std::optional<std::uint64_t> size) const = 0;
  // A file, or a directory with everything below it; nothing when missing.
  // The root itself cannot be deleted (INVALID_PARAMETER_VALUE).
  virtual void remove(const std::string& relative_path) const = 0;

  // Multipart uploads: NOT_IMPLEMENTED (501) unless the store can take them,
  // as for MLflow's repositories without the multipart mixin.
  virtual MultipartUploadStart create_multipart_upload(const std::string& relative_file, int num_parts) const;
  virtual void complete_multipart_upload(const std::string& relative_file, const std::string& upload_id,
                                         const std::vector<MultipartUploadPart>& parts) const;
  virtual void abort_multipart_upload(const std::string& relative_file, const std::string& upload_id) const;
};

}  // namespace mlflowcpp::server
