#pragma once

// How the s3:// artifact repository moves large files: multipart uploads in
// parallel parts, downloads in ranged chunks streamed to disk.

#include <mlflowcpp/artifacts.hpp>

#include "s3/s3_client.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace mlflowcpp::client {

struct S3TransferSettings {
  static constexpr std::uint64_t kMiB = 1024 * 1024;
  // S3's smallest part (all but the last) and largest part count.
  static constexpr std::uint64_t kMinimumPartSize = 5 * kMiB;
  static constexpr std::uint64_t kMaximumParts = 10000;

  std::uint64_t multipart_upload_minimum_file_size = 500 * kMiB;
  std::uint64_t multipart_upload_chunk_size = 10 * kMiB;
  std::uint64_t multipart_download_chunk_size = 100 * kMiB;
  int parallel_uploads = 4;  // parts in flight at once

  // MLflow's variables: MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE,
  // MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE, MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE
  // (bytes). Throws MlflowException (INVALID_PARAMETER_VALUE) for a value that
  // is not a positive integer.
  static S3TransferSettings from_environment();
};

// The part size for `file_size`: the chunk size, raised to S3's 5 MiB minimum
// and so that no more than 10000 parts are needed.
std::uint64_t multipart_part_size(std::uint64_t file_size, std::uint64_t chunk_size);

// Uploads `file` in one PUT, retried from its start when a request fails. Throws s3::S3Error.
void upload_file_whole(s3::S3Client& client, const std::string& bucket, const std::string& key,
                       const std::filesystem::path& file, const ArtifactProgressCallback& progress);

// Uploads `file` as a multipart upload, `settings.parallel_uploads` parts at a
// time; aborts the upload when a part fails. Throws s3::S3Error.
void upload_file_in_parts(s3::S3Client& client, const std::string& bucket, const std::string& key,
                          const std::filesystem::path& file, const S3TransferSettings& settings,
                          const ArtifactProgressCallback& progress);

// Streams the object into `destination` (created or truncated) in ranged GETs
// of `settings.multipart_download_chunk_size`; a chunk cut off by a connection
// failure is fetched again (a few times). Throws s3::S3Error.
void download_in_chunks(s3::S3Client& client, const std::string& bucket, const std::string& key,
                        const std::filesystem::path& destination, const S3TransferSettings& settings,
                        const ArtifactProgressCallback& progress);

}  // namespace mlflowcpp::client
