#include "server/http/process_metrics.hpp"

#include "server/http/prometheus_text.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

void append_gauge(std::string& out, std::string_view name, std::string_view help, std::string_view type, double value) {
  prometheus::append_family(out, name, help, type);
  out.append(name).push_back(' ');
  prometheus::append_value(out, value);
  out.push_back('\n');
}

// The fields of /proc/self/stat after the command name (which may hold spaces), from field 3 (state) on.
std::vector<std::string> stat_fields() {
  std::ifstream file("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto name_end = text.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream rest(text.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// Entries of /proc/self/fd, less the one reading it.
long open_fd_count() {
  std::error_code error;
  std::filesystem::directory_iterator entries("/proc/self/fd", error);
  if (error) return -1;
  long count = 0;
  for (auto it = std::filesystem::begin(entries); !error && it != std::filesystem::end(entries); it.increment(error)) {
    ++count;
  }
  return error ? -1 : count - 1;
}

}  // namespace

ProcessMetrics::ProcessMetrics() {
  std::ifstream stat("/proc/stat");
  for (std::string line; std::getline(stat, line);) {
    if (line.rfind("btime ", 0) == 0) boot_time_seconds_ = std::stod(line.substr(6));
  }
  if (const long ticks = sysconf(_SC_CLK_TCK); ticks > 0) clock_ticks_per_second_ = ticks;
  if (const long page = sysconf(_SC_PAGESIZE); page > 0) page_size_bytes_ = page;
}

void ProcessMetrics::render(std::string& out) const {
  // Field numbers of proc(5), counted from 1; fields[0] is field 3.
  const std::vector<std::string> fields = stat_fields();
  const auto field = [&fields](std::size_t number) -> double {
    return number - 3 < fields.size() ? std::stod(fields[number - 3]) : -1;
  };
  if (fields.size() > 22) {
    const double ticks = static_cast<double>(clock_ticks_per_second_);
    append_gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge", field(23));
    append_gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
                 field(24) * static_cast<double>(page_size_bytes_));
    append_gauge(out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge",
                 boot_time_seconds_ + field(22) / ticks);
    append_gauge(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter",
                 (field(14) + field(15)) / ticks);
  }
  if (const long fds = open_fd_count(); fds >= 0) {
    append_gauge(out, "process_open_fds", "Number of open file descriptors.", "gauge", static_cast<double>(fds));
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    append_gauge(out, "process_max_fds", "Maximum number of open file descriptors.", "gauge",
                 static_cast<double>(limit.rlim_cur));
  }
}

}  // namespace mlflowcpp::server::http
