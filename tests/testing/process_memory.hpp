#pragma once

// A process's memory as Linux reports it in /proc/<pid>/status.

#include <fstream>
#include <string>

namespace mlflowcpp::testing {

// The value of `field` ("VmRSS": resident now, "VmHWM": the most ever resident) in KiB for `process` (a pid, or
// "self"); -1 when unreadable.
inline long proc_status_kib(const std::string& process, const std::string& field) {
  std::ifstream status("/proc/" + process + "/status");
  const std::string prefix = field + ":";
  // Lines look like "VmRSS:\t   12345 kB".
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stol(line.substr(prefix.size()));
  }
  return -1;
}

inline long resident_kib(int pid) { return proc_status_kib(std::to_string(pid), "VmRSS"); }
inline long peak_resident_kib(int pid) { return proc_status_kib(std::to_string(pid), "VmHWM"); }

}  // namespace mlflowcpp::testing
