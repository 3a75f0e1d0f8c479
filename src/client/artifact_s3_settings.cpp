// S3TransferSettings from MLflow's environment variables.

#include "client/artifact_s3_transfers.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cstdlib>

namespace mlflowcpp::client {
namespace {

// A positive byte count from `name`, or `fallback` when unset or empty.
std::uint64_t byte_count_from_environment(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  unsigned long long parsed = std::strtoull(value, &end, 10);
  if (*value == '-' || end == value || *end != '\0' || parsed == 0) {
    throw invalid_parameter(std::string(name) + " must be a positive number of bytes, got '" + value + "'");
  }
  return parsed;
}

}  // namespace

S3TransferSettings S3TransferSettings::from_environment() {
  S3TransferSettings settings;
  settings.multipart_upload_minimum_file_size = byte_count_from_environment(
      "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", settings.multipart_upload_minimum_file_size);
  settings.multipart_upload_chunk_size =
      byte_count_from_environment("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", settings.multipart_upload_chunk_size);
  settings.multipart_download_chunk_size =
      byte_count_from_environment("MLFLOW_MULTIPART_DOWNLOAD_CHUNK_SIZE", settings.multipart_download_chunk_size);
  return settings;
}

std::uint64_t multipart_part_size(std::uint64_t file_size, std::uint64_t chunk_size) {
  std::uint64_t part_size = std::max(chunk_size, S3TransferSettings::kMinimumPartSize);
  std::uint64_t smallest_for_part_limit =
      (file_size + S3TransferSettings::kMaximumParts - 1) / S3TransferSettings::kMaximumParts;
  return std::max(part_size, smallest_for_part_limit);
}

}  // namespace mlflowcpp::client
