#pragma once

// The file system usage MLflow reports for the disk holding the root directory.

#include <cstdint>
#include <optional>
#include <string>

namespace mlflowcpp::client::system_metrics {

// Bytes, counted as df and psutil count them: `used` excludes the blocks only
// root may use, `available` is what an ordinary user may still write, so
// used + available can be less than the size of the file system.
struct DiskUsage {
  uint64_t used = 0;
  uint64_t available = 0;

  // used / (used + available), in percent rounded to one decimal (as psutil rounds it).
  double used_percentage() const;
};

// statvfs() of `path`; nullopt when that fails.
std::optional<DiskUsage> disk_usage(const std::string& path);

}  // namespace mlflowcpp::client::system_metrics
