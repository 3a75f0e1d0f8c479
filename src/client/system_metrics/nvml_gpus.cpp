#include "client/system_metrics/nvml_gpus.hpp"

#include <dlfcn.h>

namespace mlflowcpp::client::system_metrics {
namespace {

// The few pieces of NVML's C ABI used here (nvml.h, stable since the _v2 entry points).
using NvmlReturn = int;  // nvmlReturn_t; 0 is NVML_SUCCESS
constexpr NvmlReturn kNvmlSuccess = 0;
using NvmlDevice = void*;  // nvmlDevice_t, an opaque pointer
struct NvmlMemory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
struct NvmlUtilization {
  unsigned int gpu;
  unsigned int memory;
};

template <typename Function>
Function symbol(void* library, const char* name) {
  return reinterpret_cast<Function>(::dlsym(library, name));
}

}  // namespace

struct NvmlGpus::Api {
  NvmlReturn (*init)();
  NvmlReturn (*shutdown)();
  NvmlReturn (*device_count)(unsigned int*);
  NvmlReturn (*device_by_index)(unsigned int, NvmlDevice*);
  NvmlReturn (*memory_info)(NvmlDevice, NvmlMemory*);
  NvmlReturn (*utilization)(NvmlDevice, NvmlUtilization*);
  NvmlReturn (*power_usage)(NvmlDevice, unsigned int*);
  NvmlReturn (*power_limit)(NvmlDevice, unsigned int*);

  bool complete() const {
    return init && shutdown && device_count && device_by_index && memory_info && utilization && power_usage &&
           power_limit;
  }
};

std::unique_ptr<NvmlGpus> NvmlGpus::open() {
  void* library = ::dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) return nullptr;
  auto api = std::make_unique<Api>();
  api->init = symbol<decltype(api->init)>(library, "nvmlInit_v2");
  api->shutdown = symbol<decltype(api->shutdown)>(library, "nvmlShutdown");
  api->device_count = symbol<decltype(api->device_count)>(library, "nvmlDeviceGetCount_v2");
  api->device_by_index = symbol<decltype(api->device_by_index)>(library, "nvmlDeviceGetHandleByIndex_v2");
  api->memory_info = symbol<decltype(api->memory_info)>(library, "nvmlDeviceGetMemoryInfo");
  api->utilization = symbol<decltype(api->utilization)>(library, "nvmlDeviceGetUtilizationRates");
  api->power_usage = symbol<decltype(api->power_usage)>(library, "nvmlDeviceGetPowerUsage");
  api->power_limit = symbol<decltype(api->power_limit)>(library, "nvmlDeviceGetEnforcedPowerLimit");
  if (!api->complete() || api->init() != kNvmlSuccess) {
    ::dlclose(library);
    return nullptr;
  }
  unsigned int count = 0;
  std::vector<void*> devices;
  if (api->device_count(&count) == kNvmlSuccess) {
    for (unsigned int index = 0; index < count; ++index) {
      NvmlDevice device = nullptr;
      if (api->device_by_index(index, &device) != kNvmlSuccess) break;  // keep gpu_<i> names dense
      devices.push_back(device);
    }
  }
  if (devices.empty()) {
    api->shutdown();
    ::dlclose(library);
    return nullptr;
  }
  return std::unique_ptr<NvmlGpus>(new NvmlGpus(library, std::move(api), std::move(devices)));
}

NvmlGpus::NvmlGpus(void* library, std::unique_ptr<Api> api, std::vector<void*> devices)
    : library_(library), api_(std::move(api)), devices_(std::move(devices)) {}

NvmlGpus::~NvmlGpus() {
  api_->shutdown();
  ::dlclose(library_);
}

std::vector<GpuReading> NvmlGpus::read() const {
  std::vector<GpuReading> readings;
  readings.reserve(devices_.size());
  for (void* device : devices_) {
    GpuReading reading;
    NvmlMemory memory{};
    if (api_->memory_info(device, &memory) == kNvmlSuccess && memory.total > 0) {
      reading.memory = GpuReading::Memory{memory.used, memory.total};
    }
    NvmlUtilization utilization{};
    if (api_->utilization(device, &utilization) == kNvmlSuccess) reading.utilization_percentage = utilization.gpu;
    unsigned int milliwatts = 0;
    unsigned int limit_milliwatts = 0;
    if (api_->power_usage(device, &milliwatts) == kNvmlSuccess &&
        api_->power_limit(device, &limit_milliwatts) == kNvmlSuccess && limit_milliwatts > 0) {
      reading.power = GpuReading::Power{static_cast<double>(milliwatts), static_cast<double>(limit_milliwatts)};
    }
    readings.push_back(reading);
  }
  return readings;
}

}  // namespace mlflowcpp::client::system_metrics
