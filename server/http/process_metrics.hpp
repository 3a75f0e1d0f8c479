#pragma once

// The standard process series of Prometheus clients, read from /proc/self at
// scrape time: process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds and
// process_cpu_seconds_total. Nothing is recorded between scrapes.

#include <string>

namespace mlflowcpp::server::http {

class ProcessMetrics {
 public:
  // Reads the boot time and the page size once.
  ProcessMetrics();

  // Appends the series; a value /proc does not give is left out.
  void render(std::string& out) const;

 private:
  double boot_time_seconds_ = 0;
  long clock_ticks_per_second_ = 100;
  long page_size_bytes_ = 4096;
};

}  // namespace mlflowcpp::server::http
