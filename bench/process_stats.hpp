#pragma once

#include <sys/types.h>

#include <string>

namespace mlflowcpp::bench {

// Memory of a running process as Linux reports it in /proc/<pid>/status.
struct ProcessMemory {
  double resident_mib = 0;       // VmRSS: resident now
  double peak_resident_mib = 0;  // VmHWM: the most it was ever resident
};

// Throws std::runtime_error when the process is gone or the file unreadable.
ProcessMemory read_process_memory(pid_t pid);

// CPU time (user + system, all threads) the process has used so far, from
// /proc/<pid>/stat, in seconds (clock-tick resolution, typically 10 ms). On a
// shared machine this, unlike wall time, does not grow when others take the CPU.
double read_process_cpu_seconds(pid_t pid);

// Threads of the process (Threads: in /proc/<pid>/status); 0 when unreadable.
int read_process_threads(pid_t pid);

// Open file descriptors of the process (entries of /proc/<pid>/fd); 0 when unreadable.
int count_open_fds(pid_t pid);

// The pid of this process's child that runs `executable` (compared after
// resolving symlinks). The launcher does not expose the pid, so it is found
// through /proc. Throws std::runtime_error unless exactly one child matches.
pid_t find_child_running(const std::string& executable);

}  // namespace mlflowcpp::bench
