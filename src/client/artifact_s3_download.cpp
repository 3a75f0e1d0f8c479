// Downloads of S3 artifacts in ranged chunks, streamed to disk.

#include "client/artifact_s3_progress.hpp"
#include "client/artifact_s3_transfers.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

namespace mlflowcpp::client {
namespace {

// How often one chunk is fetched when its connection breaks mid-way (the
// transport itself only retries before the first byte arrives).
constexpr int kChunkAttempts = 3;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

void download_in_chunks(s3::S3Client& client, const std::string& bucket, const std::string& key,
                        const std::filesystem::path& destination, const S3TransferSettings& settings,
                        const ArtifactProgressCallback& progress_callback) {
  const std::uint64_t size = client.head_object(bucket, key);
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(destination.c_str(), "wb"));
  if (!out) throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot create " + destination.string());
  TransferProgress progress(progress_callback, size);
  progress.start();

  bool write_failed = false;
  std::uint64_t written = 0;
  auto fetch_chunk = [&](std::uint64_t first, std::optional<s3::ByteRange> range) {
    for (int attempt = 1;; ++attempt) {
      written = first;
      try {
        client.get_object(
            bucket, key,
            [&](const char* data, std::size_t length) {
              if (std::fwrite(data, 1, length, out.get()) != length) {
                write_failed = true;
                return false;
              }
              written += length;
              progress.add(static_cast<std::int64_t>(length));
              return true;
            },
            range);
        return;
      } catch (const s3::S3Error& error) {
        if (write_failed) {
          throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot write " + destination.string());
        }
        if (error.kind() != s3::S3Error::Kind::kUnreachable || attempt >= kChunkAttempts) throw;
        // Start the chunk over: back to its first byte, in the file and in the progress.
        progress.add(-static_cast<std::int64_t>(written - first));
        if (fseeko(out.get(), static_cast<off_t>(first), SEEK_SET) != 0) throw;
      }
    }
  };

  const std::uint64_t chunk = std::max<std::uint64_t>(1, settings.multipart_download_chunk_size);
  if (size <= chunk) {
    // One plain GET: also right for empty objects, which have no byte to ask a range of.
    fetch_chunk(0, std::nullopt);
  } else {
    for (std::uint64_t first = 0; first < size; first += chunk) {
      fetch_chunk(first, s3::ByteRange{first, std::min(chunk, size - first)});
    }
  }
  if (std::fflush(out.get()) != 0 || std::ferror(out.get())) {
    throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "", "Cannot write " + destination.string());
  }
  if (written != size) {
    throw s3::S3Error(s3::S3Error::Kind::kOther, 0, "",
                      "s3://" + bucket + "/" + key + " ended after " + std::to_string(written) + " of " +
                          std::to_string(size) + " bytes");
  }
}

}  // namespace mlflowcpp::client
