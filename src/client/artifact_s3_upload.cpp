// Multipart uploads of large artifact files, several parts in flight at once.

#include "client/artifact_s3_progress.hpp"
#include "client/artifact_s3_transfers.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace mlflowcpp::client {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FileHandle = std::unique_ptr<std::FILE, FileCloser>;

FileHandle open_for_reading(const std::filesystem::path& file) {
  FileHandle handle(std::fopen(file.c_str(), "rb"));
  if (!handle) throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot open " + file.string() + " to upload it");
  return handle;
}

// `length` bytes of `file` from `offset` as a request body: read as curl asks
// for them, counted into `progress`, and able to start over when a request is
// retried. Its source() refers to it: keep it alive during the request.
class FileSliceBody {
 public:
  FileSliceBody(std::FILE* file, const std::filesystem::path& path, std::uint64_t offset, std::uint64_t length,
                TransferProgress& progress)
      : file_(file), path_(path), offset_(offset), length_(length), progress_(progress) {
    if (!seek_to_start()) {
      throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot seek in " + path_.string() + " to upload it");
    }
  }

  s3::ByteSource source() {
    s3::ByteSource body;
    body.read = [this](char* buffer, std::size_t capacity) { return read(buffer, capacity); };
    body.rewind = [this] {
      progress_.add(-static_cast<std::int64_t>(sent_));
      sent_ = 0;
      return seek_to_start();
    };
    return body;
  }

 private:
  bool seek_to_start() { return fseeko(file_, static_cast<off_t>(offset_), SEEK_SET) == 0; }

  std::size_t read(char* buffer, std::size_t capacity) {
    const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, length_ - sent_));
    const std::size_t n = std::fread(buffer, 1, wanted, file_);
    if (n < wanted && std::ferror(file_)) {
      throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot read " + path_.string() + " while uploading it");
    }
    sent_ += n;
    progress_.add(static_cast<std::int64_t>(n));
    return n;
  }

  std::FILE* file_;
  const std::filesystem::path& path_;
  std::uint64_t offset_;
  std::uint64_t length_;
  TransferProgress& progress_;
  std::uint64_t sent_ = 0;
};

// One part: `length` bytes of `file` from `offset`.
void upload_one_part(s3::S3Client& client, const std::string& bucket, const std::string& key,
                     const std::string& upload_id, int part_number, std::FILE* file, const std::filesystem::path& path,
                     std::uint64_t offset, std::uint64_t length, TransferProgress& progress, std::string& etag) {
  FileSliceBody body(file, path, offset, length, progress);
  etag = client.upload_part(bucket, key, upload_id, part_number, length, body.source());
}

}  // namespace

void upload_file_in_parts(s3::S3Client& client, const std::string& bucket, const std::string& key,
                          const std::filesystem::path& file, const S3TransferSettings& settings,
                          const ArtifactProgressCallback& progress_callback) {
  const std::uint64_t size = std::filesystem::file_size(file);
  const std::uint64_t part_size = multipart_part_size(size, settings.multipart_upload_chunk_size);
  const int part_count = static_cast<int>(std::max<std::uint64_t>(1, (size + part_size - 1) / part_size));
  TransferProgress progress(progress_callback, size);
  progress.start();

  const std::string upload_id = client.create_multipart_upload(bucket, key);
  std::vector<std::string> etags(static_cast<std::size_t>(part_count));
  std::atomic<int> next_part{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;

  // Each worker reads its own parts through its own file handle.
  auto worker = [&] {
    try {
      FileHandle handle = open_for_reading(file);
      while (!failed) {
        int index = next_part++;
        if (index >= part_count) break;
        std::uint64_t offset = static_cast<std::uint64_t>(index) * part_size;
        std::uint64_t length = std::min(part_size, size - offset);
        upload_one_part(client, bucket, key, upload_id, index + 1, handle.get(), file, offset, length, progress,
                        etags[static_cast<std::size_t>(index)]);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      failed = true;
    }
  };
  const int workers = std::max(1, std::min(settings.parallel_uploads, part_count));
  std::vector<std::thread> helpers;
  for (int i = 1; i < workers; ++i) helpers.emplace_back(worker);
  worker();
  for (auto& helper : helpers) helper.join();

  if (first_error) {
    try {
      client.abort_multipart_upload(bucket, key, upload_id);
    } catch (const s3::S3Error&) {
      // The part's failure is the error to report; S3's lifecycle rules clean up what abort could not.
    }
    std::rethrow_exception(first_error);
  }
  std::vector<s3::CompletedPart> parts;
  parts.reserve(etags.size());
  for (std::size_t i = 0; i < etags.size(); ++i) parts.push_back({static_cast<int>(i) + 1, etags[i]});
  client.complete_multipart_upload(bucket, key, upload_id, parts);
}

void upload_file_whole(s3::S3Client& client, const std::string& bucket, const std::string& key,
                       const std::filesystem::path& file, const ArtifactProgressCallback& progress_callback) {
  const std::uint64_t size = std::filesystem::file_size(file);
  TransferProgress progress(progress_callback, size);
  progress.start();
  FileHandle handle = open_for_reading(file);
  FileSliceBody body(handle.get(), file, 0, size, progress);
  client.put_object(bucket, key, size, body.source());
}

}  // namespace mlflowcpp::client
