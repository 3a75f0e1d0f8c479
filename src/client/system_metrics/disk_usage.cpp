#include "client/system_metrics/disk_usage.hpp"

#include <sys/statvfs.h>

#include <cmath>

namespace mlflowcpp::client::system_metrics {

double DiskUsage::used_percentage() const {
  uint64_t usable = used + available;
  if (usable == 0) return 0.0;
  return std::round(static_cast<double>(used) / static_cast<double>(usable) * 1000.0) / 10.0;
}

std::optional<DiskUsage> disk_usage(const std::string& path) {
  struct statvfs stats {};
  if (::statvfs(path.c_str(), &stats) != 0) return std::nullopt;
  uint64_t block = stats.f_frsize;
  DiskUsage usage;
  usage.used = (static_cast<uint64_t>(stats.f_blocks) - stats.f_bfree) * block;
  usage.available = static_cast<uint64_t>(stats.f_bavail) * block;
  return usage;
}

}  // namespace mlflowcpp::client::system_metrics
