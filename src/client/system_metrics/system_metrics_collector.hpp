#pragma once

// Samples the machine the way MLflow's system metrics monitors do and averages
// the samples into the values one logging step records.

#include "client/system_metrics/nvml_gpus.hpp"
#include "client/system_metrics/proc_readers.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::client::system_metrics {

// Where the readings come from; tests point proc_root at fixed files.
struct SystemMetricsSources {
  std::filesystem::path proc_root = "/proc";
  std::string disk_path = "/";
  bool gpus = true;  // look for NVIDIA GPUs through NVML
};

// Not thread-safe: one sampler thread owns it.
class SystemMetricsCollector {
 public:
  // Takes the baselines: CPU time (the first sample's utilisation covers the
  // time since construction) and network counters (traffic counts from here).
  explicit SystemMetricsCollector(SystemMetricsSources sources = {});

  // Adds one sample of every metric this machine can report.
  void collect();

  // The metrics for one logging step, keyed by MLflow's names without the
  // "system/" prefix: the mean of the samples since the last call, rounded to
  // one decimal; network traffic as of the latest sample, in megabytes since
  // construction. Empty when nothing was collected. Starts the next step afresh.
  std::map<std::string, double> take_step_values();

 private:
  void collect_cpu_and_memory();
  void collect_disk();
  void collect_network();
  void collect_gpus();
  void add_sample(const std::string& name, double value) { samples_[name].push_back(value); }

  SystemMetricsSources sources_;
  std::optional<CpuTimes> last_cpu_times_;
  std::optional<NetworkTotals> network_at_start_;
  std::unique_ptr<NvmlGpus> gpus_;
  std::map<std::string, std::vector<double>> samples_;  // averaged over a step
  std::map<std::string, double> latest_;                // reported as last seen
};

}  // namespace mlflowcpp::client::system_metrics
