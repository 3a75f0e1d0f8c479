#include "client/system_metrics/system_metrics_collector.hpp"

#include "client/system_metrics/disk_usage.hpp"

#include <cmath>
#include <numeric>

namespace mlflowcpp::client::system_metrics {
namespace {

// MLflow reports sizes in decimal megabytes.
constexpr double kBytesPerMegabyte = 1e6;

double megabytes(uint64_t bytes) { return static_cast<double>(bytes) / kBytesPerMegabyte; }

double round_to_tenth(double value) { return std::round(value * 10.0) / 10.0; }

std::optional<CpuTimes> read_cpu_times(const std::filesystem::path& proc_root) {
  auto text = read_proc_file(proc_root / "stat");
  return text ? parse_proc_stat(*text) : std::nullopt;
}

std::optional<NetworkTotals> read_network_totals(const std::filesystem::path& proc_root) {
  auto text = read_proc_file(proc_root / "net" / "dev");
  return text ? parse_net_dev(*text) : std::nullopt;
}

}  // namespace

SystemMetricsCollector::SystemMetricsCollector(SystemMetricsSources sources)
    : sources_(std::move(sources)),
      last_cpu_times_(read_cpu_times(sources_.proc_root)),
      network_at_start_(read_network_totals(sources_.proc_root)),
      gpus_(sources_.gpus ? NvmlGpus::open() : nullptr) {}

void SystemMetricsCollector::collect() {
  collect_cpu_and_memory();
  collect_disk();
  collect_network();
  collect_gpus();
}

void SystemMetricsCollector::collect_cpu_and_memory() {
  if (auto now = read_cpu_times(sources_.proc_root)) {
    if (last_cpu_times_) {
      add_sample("cpu_utilization_percentage", round_to_tenth(cpu_utilization_percentage(*last_cpu_times_, *now)));
    }
    last_cpu_times_ = now;
  }
  auto text = read_proc_file(sources_.proc_root / "meminfo");
  if (auto memory = text ? parse_meminfo(*text) : std::nullopt) {
    uint64_t used = used_memory_bytes(*memory);
    add_sample("system_memory_usage_megabytes", megabytes(used));
    add_sample("system_memory_usage_percentage", static_cast<double>(used) / static_cast<double>(memory->total) * 100);
  }
}

void SystemMetricsCollector::collect_disk() {
  auto usage = disk_usage(sources_.disk_path);
  if (!usage) return;
  add_sample("disk_usage_percentage", usage->used_percentage());
  add_sample("disk_usage_megabytes", megabytes(usage->used));
  add_sample("disk_available_megabytes", megabytes(usage->available));
}

void SystemMetricsCollector::collect_network() {
  if (!network_at_start_) return;
  auto now = read_network_totals(sources_.proc_root);
  if (!now) return;
  // Counters of an interface that went away drop out of the sum: never report negative traffic.
  auto since_start = [](uint64_t now_bytes, uint64_t start_bytes) {
    return now_bytes > start_bytes ? megabytes(now_bytes - start_bytes) : 0.0;
  };
  latest_["network_receive_megabytes"] = since_start(now->received, network_at_start_->received);
  latest_["network_transmit_megabytes"] = since_start(now->transmitted, network_at_start_->transmitted);
}

void SystemMetricsCollector::collect_gpus() {
  if (!gpus_) return;
  std::vector<GpuReading> readings = gpus_->read();
  for (size_t index = 0; index < readings.size(); ++index) {
    const GpuReading& reading = readings[index];
    std::string gpu = "gpu_" + std::to_string(index) + "_";
    if (reading.memory) {
      double used = static_cast<double>(reading.memory->used);
      add_sample(gpu + "memory_usage_percentage",
                 round_to_tenth(used / static_cast<double>(reading.memory->total) * 100));
      add_sample(gpu + "memory_usage_megabytes", used / kBytesPerMegabyte);
    }
    if (reading.utilization_percentage) add_sample(gpu + "utilization_percentage", *reading.utilization_percentage);
    if (reading.power) {
      add_sample(gpu + "power_usage_watts", reading.power->milliwatts / 1000);
      add_sample(gpu + "power_usage_percentage", reading.power->milliwatts / reading.power->limit_milliwatts * 100);
    }
  }
}

std::map<std::string, double> SystemMetricsCollector::take_step_values() {
  std::map<std::string, double> values = latest_;
  for (const auto& [name, samples] : samples_) {
    if (samples.empty()) continue;
    double sum = std::accumulate(samples.begin(), samples.end(), 0.0);
    values[name] = round_to_tenth(sum / static_cast<double>(samples.size()));
  }
  samples_.clear();
  latest_.clear();
  return values;
}

}  // namespace mlflowcpp::client::system_metrics
