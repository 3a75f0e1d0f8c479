#include "server/artifacts/s3_artifact_store.hpp"

#include "server/artifacts/artifact_path.hpp"
#include "server/artifacts/s3_artifact_errors.hpp"

#include "s3/s3_client.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace mlflowcpp::server {
namespace {

// Parts of a multipart upload of unknown size are gathered in memory first:
// above S3's 5 MiB minimum, small enough to keep many uploads at once cheap.
constexpr std::size_t kBufferedPartBytes = 8 * 1024 * 1024;
// S3's limit on part numbers.
constexpr int kMaxParts = 10000;
// How long a presigned part URL stays valid (boto3's default for generate_presigned_url).
constexpr int kPresignedUrlSeconds = 3600;

std::string s3_uri(const std::string& bucket, const std::string& key) {
  return key.empty() ? "s3://" + bucket : "s3://" + bucket + "/" + key;
}

// A listed name that can be one segment of an artifact path: anything else
// (written to the bucket by other means) is left out rather than handed to
// clients that would join it onto local paths.
bool is_plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

// A request body read from memory; rewinds for a retried request.
s3::ByteSource memory_source(const std::string& bytes) {
  auto position = std::make_shared<std::size_t>(0);
  return s3::ByteSource{[&bytes, position](char* buffer, std::size_t capacity) {
                          const std::size_t count = std::min(capacity, bytes.size() - *position);
                          std::copy_n(bytes.data() + *position, count, buffer);
                          *position += count;
                          return count;
                        },
                        [position] {
                          *position = 0;
                          return true;
                        }};
}

class S3ArtifactReader : public ArtifactReader {
 public:
  S3ArtifactReader(std::shared_ptr<s3::S3Client> client, std::string bucket, std::string key, std::uint64_t size)
      : client_(std::move(client)), bucket_(std::move(bucket)), key_(std::move(key)), size_(size) {}

  std::uint64_t size() const override { return size_; }

  std::uint64_t send(std::uint64_t offset, std::uint64_t length, const ArtifactSink& sink) const override {
    if (offset >= size_ || length == 0) return 0;
    std::uint64_t sent = 0;
    try {
      // One ranged GET for all of it: the bytes go from libcurl's buffer straight to the sink.
      client_->get_object(
          bucket_, key_,
          [&](const char* data, std::size_t length) {
            if (!sink(data, length)) return false;
            sent += length;
            return true;
          },
          s3::ByteRange{offset, std::min(length, size_ - offset)});
    } catch (const s3::S3Error&) {
      // The response has begun: all that can be said is the short count.
    }
    return sent;
  }

 private:
  std::shared_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string key_;
  std::uint64_t size_;
};

// A body of known size, streamed into one PUT as it arrives.
class S3StreamedUpload : public ArtifactUpload {
 public:
  S3StreamedUpload(std::unique_ptr<s3::S3PutStream> stream, std::string artifact)
      : stream_(std::move(stream)), artifact_(std::move(artifact)) {}

  void write(const char* data, std::size_t length) override {
    try {
      stream_->write(data, length);
    } catch (const s3::S3Error& error) {
      throw s3_failure(error, artifact_);
    }
  }

  void commit() override {
    try {
      stream_->finish();
    } catch (const s3::S3Error& error) {
      throw s3_failure(error, artifact_);
    }
  }

 private:
  std::unique_ptr<s3::S3PutStream> stream_;  // destroyed unfinished: no object is created
  std::string artifact_;
};

// A body of unknown size: gathered into parts of kBufferedPartBytes and sent as
// a multipart upload, or as one PUT when it ends before the first part is full.
class S3BufferedMultipartUpload : public ArtifactUpload {
 public:
  S3BufferedMultipartUpload(std::shared_ptr<s3::S3Client> client, std::string bucket, std::string key,
                            std::string artifact)
      : client_(std::move(client)), bucket_(std::move(bucket)), key_(std::move(key)), artifact_(std::move(artifact)) {
    buffer_.reserve(kBufferedPartBytes);
  }

  ~S3BufferedMultipartUpload() override {
    if (committed_ || upload_id_.empty()) return;
    try {
      client_->abort_multipart_upload(bucket_, key_, upload_id_);
    } catch (const s3::S3Error&) {
      // Left to the bucket's lifecycle rules: the object was not created either way.
    }
  }
  S3BufferedMultipartUpload(const S3BufferedMultipartUpload&) = delete;
  S3BufferedMultipartUpload& operator=(const S3BufferedMultipartUpload&) = delete;

  void write(const char* data, std::size_t length) override {
    while (length > 0) {
      const std::size_t taken = std::min(kBufferedPartBytes - buffer_.size(), length);
      buffer_.append(data, taken);
      data += taken;
      length -= taken;
      if (buffer_.size() == kBufferedPartBytes) send_part();
    }
  }

  void commit() override {
    try {
      if (upload_id_.empty()) {
        client_->put_object(bucket_, key_, buffer_.size(), memory_source(buffer_));
      } else {
        if (!buffer_.empty()) send_part();
        client_->complete_multipart_upload(bucket_, key_, upload_id_, parts_);
      }
      committed_ = true;
    } catch (const s3::S3Error& error) {
      throw s3_failure(error, artifact_);
    }
  }

 private:
  void send_part() {
    try {
      if (upload_id_.empty()) upload_id_ = client_->create_multipart_upload(bucket_, key_);
      const int number = static_cast<int>(parts_.size()) + 1;
      if (number > kMaxParts) throw invalid_parameter(fmt::format("The upload of '{}' is too large.", artifact_));
      const std::string etag =
          client_->upload_part(bucket_, key_, upload_id_, number, buffer_.size(), memory_source(buffer_));
      parts_.push_back(s3::CompletedPart{number, etag});
      buffer_.clear();
    } catch (const s3::S3Error& error) {
      throw s3_failure(error, artifact_);
    }
  }

  std::shared_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string key_;
  std::string artifact_;
  std::string buffer_;
  std::string upload_id_;
  std::vector<s3::CompletedPart> parts_;
  bool committed_ = false;
};

}  // namespace

S3ArtifactStore::S3ArtifactStore(std::shared_ptr<s3::S3Client> client, const std::string& root_uri)
    : client_(std::move(client)) {
  s3::S3Location location;
  try {
    location = s3::parse_s3_uri(root_uri);
  } catch (const std::invalid_argument&) {
    throw invalid_parameter(fmt::format("Invalid artifact location '{}'.", root_uri));
  }
  try {
    if (normalize_artifact_path(location.key) != location.key) throw invalid_parameter("Invalid path");
  } catch (const MlflowException&) {
    throw invalid_parameter(fmt::format("Invalid artifact location '{}'.", root_uri));
  }
  bucket_ = std::move(location.bucket);
  prefix_ = std::move(location.key);
}

std::string S3ArtifactStore::key_of(const std::string& relative) const { return join_artifact_path(prefix_, relative); }

std::string S3ArtifactStore::root_description() const { return s3_uri(bucket_, prefix_); }

std::vector<FileInfo> S3ArtifactStore::list(const std::string& relative_directory) const {
  const std::string directory_key = key_of(relative_directory);
  const std::string listed_prefix = directory_key.empty() ? "" : directory_key + "/";
  s3::S3Listing listing;
  try {
    listing = client_->list_objects(bucket_, listed_prefix, "/");
  } catch (const s3::S3Error& error) {
    throw s3_failure(error, relative_directory);
  }
  // Names are taken after the listed prefix; S3 never lists outside it, and
  // anything that did would be skipped rather than trusted.
  const auto name_after_prefix = [&](const std::string& key) -> std::string {
    if (key.size() <= listed_prefix.size() || key.compare(0, listed_prefix.size(), listed_prefix) != 0) return "";
    return key.substr(listed_prefix.size());
  };
  std::vector<FileInfo> files;
  for (const auto& object : listing.objects) {
    const std::string name = name_after_prefix(object.key);
    if (!is_plain_name(name)) continue;
    FileInfo info;
    info.path = join_artifact_path(relative_directory, name);
    info.is_dir = false;
    info.file_size = static_cast<int64_t>(object.size);
    files.push_back(std::move(info));
  }
  for (const auto& common_prefix : listing.common_prefixes) {
    std::string name = name_after_prefix(common_prefix);
    if (!name.empty() && name.back() == '/') name.pop_back();
    if (!is_plain_name(name)) continue;
    FileInfo info;
    info.path = join_artifact_path(relative_directory, name);
    info.is_dir = true;
    files.push_back(std::move(info));
  }
  std::sort(files.begin(), files.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  return files;
}

std::unique_ptr<ArtifactReader> S3ArtifactStore::open(const std::string& relative_file) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path");
  const std::string key = key_of(relative_file);
  try {
    const std::uint64_t size = client_->head_object(bucket_, key);
    return std::make_unique<S3ArtifactReader>(client_, bucket_, key, size);
  } catch (const s3::S3Error& error) {
    throw s3_failure(error, relative_file);
  }
}

std::unique_ptr<ArtifactUpload> S3ArtifactStore::begin_upload(const std::string& relative_file,
                                                              std::optional<std::uint64_t> size) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path: an upload needs a file name.");
  const std::string key = key_of(relative_file);
  if (!size) return std::make_unique<S3BufferedMultipartUpload>(client_, bucket_, key, relative_file);
  try {
    return std::make_unique<S3StreamedUpload>(client_->begin_put(bucket_, key, *size), relative_file);
  } catch (const s3::S3Error& error) {
    throw s3_failure(error, relative_file);
  }
}

void S3ArtifactStore::remove(const std::string& relative_path) const {
  if (relative_path.empty()) throw invalid_parameter("Invalid path: the artifact root cannot be deleted.");
  const std::string key = key_of(relative_path);
  const std::string below = key + "/";
  try {
    client_->delete_object(bucket_, key);
    // Everything below it, as a local directory's contents are removed with it.
    const s3::S3Listing listing = client_->list_objects(bucket_, below, "");
    for (const auto& object : listing.objects) {
      if (object.key.compare(0, below.size(), below) != 0) continue;
      client_->delete_object(bucket_, object.key);
    }
  } catch (const s3::S3Error& error) {
    throw s3_failure(error, relative_path);
  }
}

MultipartUploadStart S3ArtifactStore::create_multipart_upload(const std::string& relative_file,
                                                              int num_parts) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path: an upload needs a file name.");
  if (num_parts < 1 || num_parts > kMaxParts) {
    throw invalid_parameter(fmt::format("num_parts must be between 1 and {}, got {}.", kMaxParts, num_parts));
  }
  const std::string key = key_of(relative_file);
  MultipartUploadStart start;
  try {
    start.upload_id = client_->create_multipart_upload(bucket_, key);
    for (int part = 1; part <= num_parts; ++part) {
      MultipartUploadCredential credential;
      credential.part_number = part;
      credential.url = client_->presign_upload_part(bucket_, key, start.upload_id, part, kPresignedUrlSeconds);
      start.credentials.push_back(std::move(credential));
    }
  } catch (const s3::S3Error& error) {
    throw s3_failure(error, relative_file);
  }
  return start;
}

namespace {

// complete/abort carry the client's upload id and parts: S3 refusing those is
// the client's mistake, not the store's.
MlflowException multipart_failure(const s3::S3Error& error, const std::string& relative_file,
                                  const std::string& upload_id) {
  if (error.kind() == s3::S3Error::Kind::kNotFound) {
    return not_found(fmt::format("There is no multipart upload '{}' of '{}'.", upload_id, relative_file));
  }
  if (error.kind() == s3::S3Error::Kind::kOther && error.http_status() == 405) {
    // Some S3 implementations (s3rver among them) do not offer this call.
    return MlflowException(ErrorCode::kNotImplemented,
                           fmt::format("The S3 artifact store does not support this multipart call ({}).",
                                       error.what()));
  }
  if (error.kind() == s3::S3Error::Kind::kOther && error.http_status() >= 400 && error.http_status() < 500) {
    return invalid_parameter(
        fmt::format("S3 refused the multipart upload '{}' of '{}' ({}).", upload_id, relative_file, error.what()));
  }
  return s3_failure(error, relative_file);
}

}  // namespace

void S3ArtifactStore::complete_multipart_upload(const std::string& relative_file, const std::string& upload_id,
                                                const std::vector<MultipartUploadPart>& parts) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path: an upload needs a file name.");
  if (upload_id.empty()) throw invalid_parameter("Missing value for required parameter 'upload_id'.");
  const std::string key = key_of(relative_file);
  std::vector<s3::CompletedPart> completed;
  completed.reserve(parts.size());
  for (const auto& part : parts) completed.push_back(s3::CompletedPart{part.part_number, part.etag});
  // S3 wants them in ascending order; clients that uploaded in parallel may list them otherwise.
  std::sort(completed.begin(), completed.end(),
            [](const s3::CompletedPart& a, const s3::CompletedPart& b) { return a.part_number < b.part_number; });
  try {
    client_->complete_multipart_upload(bucket_, key, upload_id, completed);
  } catch (const s3::S3Error& error) {
    throw multipart_failure(error, relative_file, upload_id);
  }
}

void S3ArtifactStore::abort_multipart_upload(const std::string& relative_file, const std::string& upload_id) const {
  if (relative_file.empty()) throw invalid_parameter("Invalid path: an upload needs a file name.");
  if (upload_id.empty()) throw invalid_parameter("Missing value for required parameter 'upload_id'.");
  const std::string key = key_of(relative_file);
  try {
    client_->abort_multipart_upload(bucket_, key, upload_id);
  } catch (const s3::S3Error& error) {
    throw multipart_failure(error, relative_file, upload_id);
  }
}

}  // namespace mlflowcpp::server
