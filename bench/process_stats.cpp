#include "process_stats.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::bench {
namespace {

// The fields of /proc/<pid>/stat after the command name, which may itself hold
// spaces and parentheses: "<state> <ppid> <pgrp> ...". Empty when the process is gone.
std::vector<std::string> stat_fields_after_name(const std::filesystem::path& process_dir) {
  std::ifstream stat_file(process_dir / "stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) return {};
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) return {};
  std::istringstream stream(stat.substr(name_end + 1));
  std::vector<std::string> fields;
  for (std::string field; stream >> field;) fields.push_back(field);
  return fields;
}

// Positions in stat_fields_after_name() (proc(5) numbers fields from 1, the
// name being field 2, so field N is at index N - 3).
constexpr std::size_t kParentPidIndex = 4 - 3;
constexpr std::size_t kUserTicksIndex = 14 - 3;
constexpr std::size_t kSystemTicksIndex = 15 - 3;

pid_t parent_of(const std::filesystem::path& process_dir) {
  const auto fields = stat_fields_after_name(process_dir);
  return fields.size() > kParentPidIndex ? static_cast<pid_t>(std::stol(fields[kParentPidIndex])) : -1;
}

}  // namespace

ProcessMemory read_process_memory(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/status";
  std::ifstream status(path);
  if (!status) throw std::runtime_error("cannot read " + path);
  ProcessMemory memory;
  bool found_resident = false;
  std::string line;
  while (std::getline(status, line)) {
    // Lines look like "VmRSS:\t   12345 kB".
    std::istringstream fields(line);
    std::string name;
    double kib = 0;
    fields >> name >> kib;
    if (name == "VmRSS:") {
      memory.resident_mib = kib / 1024.0;
      found_resident = true;
    } else if (name == "VmHWM:") {
      memory.peak_resident_mib = kib / 1024.0;
    }
  }
  if (!found_resident) throw std::runtime_error("no VmRSS in " + path);
  return memory;
}

double read_process_cpu_seconds(pid_t pid) {
  const auto fields = stat_fields_after_name("/proc/" + std::to_string(pid));
  if (fields.size() <= kSystemTicksIndex) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  const double ticks = std::stod(fields[kUserTicksIndex]) + std::stod(fields[kSystemTicksIndex]);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

int read_process_threads(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return 0;
}

int count_open_fds(pid_t pid) {
  std::error_code error;
  std::filesystem::directory_iterator entries("/proc/" + std::to_string(pid) + "/fd", error);
  if (error) return 0;
  int count = 0;
  for (auto it = entries; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) break;
    ++count;
  }
  return count;
}

pid_t find_child_running(const std::string& executable) {
  const auto wanted = std::filesystem::canonical(executable);
  const pid_t self = ::getpid();
  std::vector<pid_t> matches;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (parent_of(entry.path()) != self) continue;
    std::error_code error;
    const auto image = std::filesystem::read_symlink(entry.path() / "exe", error);
    if (!error && image == wanted) matches.push_back(static_cast<pid_t>(std::stol(name)));
  }
  if (matches.size() != 1) {
    throw std::runtime_error("expected one child process running " + wanted.string() + ", found " +
                             std::to_string(matches.size()));
  }
  return matches.front();
}

}  // namespace mlflowcpp::bench
