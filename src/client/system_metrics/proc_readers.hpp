#pragma once

// Linux's own accounts of CPU time, memory and network traffic, parsed from the
// text of /proc/stat, /proc/meminfo and /proc/net/dev. The parsers take the
// text, not a path, so tests feed them fixed samples; read_proc_file() reads the
// real thing.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::client::system_metrics {

// The machine-wide "cpu" line of /proc/stat, in clock ticks since boot.
struct CpuTimes {
  uint64_t busy = 0;   // every state but idle and iowait
  uint64_t total = 0;  // all states (guest time is already inside user and nice)
};

// Byte counts from /proc/meminfo (which speaks kB, meaning KiB).
struct MemoryInfo {
  uint64_t total = 0;
  uint64_t free = 0;
  uint64_t buffers = 0;
  uint64_t cached = 0;  // page cache plus reclaimable slab, as psutil counts "cached"
};

// Bytes received and sent by all interfaces since boot (loopback included, as psutil sums them).
struct NetworkTotals {
  uint64_t received = 0;
  uint64_t transmitted = 0;
};

// nullopt when the text lacks what is needed (no "cpu" line, no MemTotal, ...).
std::optional<CpuTimes> parse_proc_stat(std::string_view text);
std::optional<MemoryInfo> parse_meminfo(std::string_view text);
std::optional<NetworkTotals> parse_net_dev(std::string_view text);

// The share of CPU time spent busy between two readings, 0..100; 0 when no time passed.
double cpu_utilization_percentage(const CpuTimes& before, const CpuTimes& after);

// Memory in use the way psutil (and so MLflow) counts it: neither free nor
// buffers nor cache; total - free when that would be negative.
uint64_t used_memory_bytes(const MemoryInfo& memory);

// The whole file; nullopt when it cannot be read.
std::optional<std::string> read_proc_file(const std::filesystem::path& path);

}  // namespace mlflowcpp::client::system_metrics
