#include "client/system_metrics/proc_readers.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace mlflowcpp::client::system_metrics {
namespace {

// Splits off the next line, without its newline.
std::string_view next_line(std::string_view& text) {
  size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return line;
}

// The unsigned numbers of a line, in order, skipping anything between them.
std::vector<uint64_t> numbers_in(std::string_view text) {
  std::vector<uint64_t> numbers;
  const char* position = text.data();
  const char* end = text.data() + text.size();
  while (position < end) {
    if (*position < '0' || *position > '9') {
      ++position;
      continue;
    }
    uint64_t value = 0;
    auto result = std::from_chars(position, end, value);
    numbers.push_back(value);
    position = result.ptr;
  }
  return numbers;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<CpuTimes> parse_proc_stat(std::string_view text) {
  while (!text.empty()) {
    std::string_view line = next_line(text);
    // "cpu " is the sum over all CPUs; "cpu0", "cpu1", ... are single ones.
    if (!starts_with(line, "cpu ")) continue;
    // user nice system idle iowait irq softirq steal guest guest_nice (older kernels stop earlier).
    std::vector<uint64_t> ticks = numbers_in(line.substr(4));
    if (ticks.size() < 4) return std::nullopt;
    ticks.resize(std::min<size_t>(ticks.size(), 8));  // guest and guest_nice are counted in user and nice
    uint64_t total = 0;
    for (uint64_t value : ticks) total += value;
    uint64_t idle = ticks[3] + (ticks.size() > 4 ? ticks[4] : 0);
    return CpuTimes{total - idle, total};
  }
  return std::nullopt;
}

std::optional<MemoryInfo> parse_meminfo(std::string_view text) {
  MemoryInfo memory;
  bool has_total = false;
  bool has_free = false;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    std::vector<uint64_t> numbers = numbers_in(line.substr(colon + 1));
    if (numbers.empty()) continue;
    uint64_t bytes = numbers.front() * 1024;
    if (name == "MemTotal") {
      memory.total = bytes;
      has_total = true;
    } else if (name == "MemFree") {
      memory.free = bytes;
      has_free = true;
    } else if (name == "Buffers") {
      memory.buffers = bytes;
    } else if (name == "Cached" || name == "SReclaimable") {
      memory.cached += bytes;
    }
  }
  if (!has_total || !has_free || memory.total == 0) return std::nullopt;
  return memory;
}

std::optional<NetworkTotals> parse_net_dev(std::string_view text) {
  NetworkTotals totals;
  bool any_interface = false;
  while (!text.empty()) {
    std::string_view line = next_line(text);
    // Interface lines are "name: rx_bytes rx_packets ... (8 receive fields) tx_bytes ...";
    // the two header lines have no colon.
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::vector<uint64_t> fields = numbers_in(line.substr(colon + 1));
    if (fields.size() < 9) continue;
    totals.received += fields[0];
    totals.transmitted += fields[8];
    any_interface = true;
  }
  if (!any_interface) return std::nullopt;
  return totals;
}

double cpu_utilization_percentage(const CpuTimes& before, const CpuTimes& after) {
  if (after.total <= before.total) return 0.0;
  // Counters can step back a little on some kernels (e.g. iowait); never report outside 0..100.
  double busy = after.busy > before.busy ? static_cast<double>(after.busy - before.busy) : 0.0;
  double percentage = busy / static_cast<double>(after.total - before.total) * 100.0;
  return std::clamp(percentage, 0.0, 100.0);
}

uint64_t used_memory_bytes(const MemoryInfo& memory) {
  uint64_t not_in_use = memory.free + memory.buffers + memory.cached;
  if (not_in_use > memory.total) return memory.total > memory.free ? memory.total - memory.free : 0;
  return memory.total - not_in_use;
}

std::optional<std::string> read_proc_file(const std::filesystem::path& path) {
  // /proc files report a size of 0: read to the end rather than by size.
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return text.str();
}

}  // namespace mlflowcpp::client::system_metrics
