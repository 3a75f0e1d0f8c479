#pragma once

// NVIDIA GPUs through NVML, loaded at run time: the library needs no NVIDIA
// software to build, and a machine without a driver simply has no GPUs here.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace mlflowcpp::client::system_metrics {

// One GPU at one moment; a reading NVML could not give stays unset.
struct GpuReading {
  struct Memory {
    uint64_t used = 0;  // bytes
    uint64_t total = 0;
  };
  struct Power {
    double milliwatts = 0;
    double limit_milliwatts = 0;  // the enforced power limit
  };
  std::optional<Memory> memory;
  std::optional<unsigned> utilization_percentage;
  std::optional<Power> power;
};

// An initialised NVML (libnvidia-ml.so.1) and its GPUs; shuts NVML down and
// unloads it when destroyed. Not for concurrent use.
class NvmlGpus {
 public:
  // nullptr when the library is missing, NVML does not initialise (no driver,
  // no device) or there is no GPU.
  static std::unique_ptr<NvmlGpus> open();
  ~NvmlGpus();
  NvmlGpus(const NvmlGpus&) = delete;
  NvmlGpus& operator=(const NvmlGpus&) = delete;

  // One reading per GPU, in NVML's index order.
  std::vector<GpuReading> read() const;

 private:
  struct Api;
  NvmlGpus(void* library, std::unique_ptr<Api> api, std::vector<void*> devices);

  void* library_;  // the dlopen handle
  std::unique_ptr<Api> api_;
  std::vector<void*> devices_;  // nvmlDevice_t handles
};

}  // namespace mlflowcpp::client::system_metrics
