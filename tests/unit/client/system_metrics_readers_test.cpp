// System metrics: the /proc parsers on fixed text, the settings from the
// environment, and the collector's step values (on fixed /proc files and on
// this machine's own).

#include "client/system_metrics/disk_usage.hpp"
#include "client/system_metrics/nvml_gpus.hpp"
#include "client/system_metrics/proc_readers.hpp"
#include "client/system_metrics/system_metrics_collector.hpp"
#include "client/system_metrics/system_metrics_settings.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/statvfs.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace mlflowcpp::client::system_metrics {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProcStat =
    "cpu  100 20 30 800 50 0 0 0 7 0\n"
    "cpu0 50 10 15 400 25 0 0 0 7 0\n"
    "intr 12345 0 0\n"
    "ctxt 999\n";

constexpr const char* kMeminfo =
    "MemTotal:       16000000 kB\n"
    "MemFree:         4000000 kB\n"
    "MemAvailable:    9000000 kB\n"
    "Buffers:          500000 kB\n"
    "Cached:          3000000 kB\n"
    "SwapCached:            0 kB\n"
    "SReclaimable:     500000 kB\n";

constexpr const char* kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls "
    "carrier compressed\n"
    "    lo: 1000000      10    0    0    0     0          0         0  1000000      10    0    0    0     0       0"
    "          0\n"
    "  eth0: 5000000      50    0    0    0     0          0         0  2000000      20    0    0    0     0       0"
    "          0\n";

TEST(ProcReadersTest, ProcStatCountsIdleAndIowaitAsNotBusy) {
  auto times = parse_proc_stat(kProcStat);
  ASSERT_TRUE(times.has_value());
  EXPECT_EQ(times->total, 1000u);  // guest (7) is already inside user
  EXPECT_EQ(times->busy, 150u);
  EXPECT_FALSE(parse_proc_stat("cpu0 1 2 3 4\n").has_value());
  EXPECT_FALSE(parse_proc_stat("").has_value());
}

TEST(ProcReadersTest, CpuUtilizationIsTheBusyShareOfTheTimeBetweenReadings) {
  EXPECT_DOUBLE_EQ(cpu_utilization_percentage({150, 1000}, {200, 1200}), 25.0);
  EXPECT_DOUBLE_EQ(cpu_utilization_percentage({150, 1000}, {150, 1000}), 0.0);
  EXPECT_DOUBLE_EQ(cpu_utilization_percentage({150, 1000}, {100, 1100}), 0.0);  // a counter stepping back
}

TEST(ProcReadersTest, MeminfoInBytesWithReclaimableSlabAsCache) {
  auto memory = parse_meminfo(kMeminfo);
  ASSERT_TRUE(memory.has_value());
  EXPECT_EQ(memory->total, 16000000ull * 1024);
  EXPECT_EQ(memory->free, 4000000ull * 1024);
  EXPECT_EQ(memory->buffers, 500000ull * 1024);
  EXPECT_EQ(memory->cached, 3500000ull * 1024);
  EXPECT_EQ(used_memory_bytes(*memory), 8000000ull * 1024);
  EXPECT_FALSE(parse_meminfo("MemFree: 10 kB\n").has_value());
}

TEST(ProcReadersTest, UsedMemoryFallsBackToTotalMinusFree) {
  MemoryInfo memory{100, 40, 30, 50};
  EXPECT_EQ(used_memory_bytes(memory), 60u);
}

TEST(ProcReadersTest, NetDevSumsEveryInterface) {
  auto totals = parse_net_dev(kNetDev);
  ASSERT_TRUE(totals.has_value());
  EXPECT_EQ(totals->received, 6000000u);
  EXPECT_EQ(totals->transmitted, 3000000u);
  EXPECT_FALSE(parse_net_dev("Inter-| Receive\n face |bytes\n").has_value());
}

TEST(ProcReadersTest, ReadsRealProcFiles) {
  auto text = read_proc_file("/proc/meminfo");
  ASSERT_TRUE(text.has_value());
  EXPECT_TRUE(parse_meminfo(*text).has_value());
  EXPECT_FALSE(read_proc_file("/proc/no-such-file").has_value());
}

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SystemMetricsSettingsTest, OffUnlessTheOptionOrTheVariableTurnsThemOn) {
  EXPECT_FALSE(resolve_system_metrics_settings(std::nullopt, environment({})).has_value());
  EXPECT_FALSE(
      resolve_system_metrics_settings(std::nullopt, environment({{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "false"}}))
          .has_value());
  EXPECT_TRUE(
      resolve_system_metrics_settings(std::nullopt, environment({{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "True"}}))
          .has_value());
  EXPECT_TRUE(resolve_system_metrics_settings(true, environment({})).has_value());
  EXPECT_FALSE(
      resolve_system_metrics_settings(false, environment({{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "1"}})).has_value());
}

TEST(SystemMetricsSettingsTest, DefaultsAreMlflows) {
  auto settings = resolve_system_metrics_settings(true, environment({}));
  ASSERT_TRUE(settings.has_value());
  EXPECT_DOUBLE_EQ(settings->sampling_interval.count(), 10.0);
  EXPECT_EQ(settings->samples_before_logging, 1);
  EXPECT_EQ(settings->metric_prefix(), "system/");
}

TEST(SystemMetricsSettingsTest, ReadsIntervalSamplesAndNodeId) {
  auto settings =
      resolve_system_metrics_settings(true, environment({{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0.2"},
                                                         {"MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "3"},
                                                         {"MLFLOW_SYSTEM_METRICS_NODE_ID", "node_0"}}));
  ASSERT_TRUE(settings.has_value());
  EXPECT_DOUBLE_EQ(settings->sampling_interval.count(), 0.2);
  EXPECT_EQ(settings->samples_before_logging, 3);
  EXPECT_EQ(settings->metric_prefix(), "system/node_0/");

  // Zero means the default, as in MLflow.
  settings =
      resolve_system_metrics_settings(true, environment({{"MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "0"},
                                                         {"MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "0"}}));
  EXPECT_DOUBLE_EQ(settings->sampling_interval.count(), 10.0);
  EXPECT_EQ(settings->samples_before_logging, 1);
}

TEST(SystemMetricsSettingsTest, MalformedValuesNameTheVariable) {
  auto expect_rejected = [](const std::string& variable, const std::string& value) {
    try {
      std::map<std::string, std::string> variables{{"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "true"}};
      variables[variable] = value;
      resolve_system_metrics_settings(std::nullopt, environment(variables));
      ADD_FAILURE() << variable << "=" << value << " was accepted";
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue);
      EXPECT_NE(std::string(error.what()).find(variable), std::string::npos) << error.what();
    }
  };
  expect_rejected("MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", "yes");
  expect_rejected("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "fast");
  expect_rejected("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", "-1");
  expect_rejected("MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "1.5");
  expect_rejected("MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", "-2");
}

// A directory standing in for /proc, removed at the end of the test.
class FakeProc {
 public:
  FakeProc() {
    std::string pattern = (fs::temp_directory_path() / "mlflowcpp-proc-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    fs::create_directories(root_ / "net");
  }
  ~FakeProc() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  FakeProc(const FakeProc&) = delete;
  FakeProc& operator=(const FakeProc&) = delete;

  const fs::path& root() const { return root_; }
  void write(const std::string& name, const std::string& text) const { std::ofstream(root_ / name) << text; }

 private:
  fs::path root_;
};

TEST(SystemMetricsCollectorTest, AveragesSamplesAndCountsTrafficFromTheStart) {
  FakeProc proc;
  proc.write("stat", "cpu  100 0 0 900 0 0 0 0 0 0\n");
  proc.write("meminfo", kMeminfo);
  proc.write("net/dev", kNetDev);
  SystemMetricsCollector collector({proc.root(), "/", false});

  proc.write("stat", "cpu  120 0 0 980 0 0 0 0 0 0\n");  // 20 of 100 ticks busy
  proc.write("net/dev",
             "Inter-|\n face |\n  eth0: 7500000 1 0 0 0 0 0 0 3000000 1 0 0 0 0 0 0\n"
             "    lo: 1000000 1 0 0 0 0 0 0 1000000 1 0 0 0 0 0 0\n");
  collector.collect();
  proc.write("stat", "cpu  170 0 0 1030 0 0 0 0 0 0\n");  // 50 of 100 ticks busy
  collector.collect();

  std::map<std::string, double> values = collector.take_step_values();
  EXPECT_DOUBLE_EQ(values.at("cpu_utilization_percentage"), 35.0);
  EXPECT_DOUBLE_EQ(values.at("system_memory_usage_megabytes"), 8192.0);  // 8000000 KiB in decimal megabytes
  EXPECT_DOUBLE_EQ(values.at("system_memory_usage_percentage"), 50.0);
  EXPECT_DOUBLE_EQ(values.at("network_receive_megabytes"), 2.5);
  EXPECT_DOUBLE_EQ(values.at("network_transmit_megabytes"), 1.0);
  EXPECT_TRUE(values.count("disk_usage_percentage"));
  EXPECT_TRUE(values.count("disk_usage_megabytes"));
  EXPECT_TRUE(values.count("disk_available_megabytes"));
  EXPECT_EQ(values.size(), 8u);

  EXPECT_TRUE(collector.take_step_values().empty());  // the next step starts afresh
}

TEST(SystemMetricsCollectorTest, MissingSourcesAreLeftOut) {
  FakeProc proc;
  SystemMetricsCollector collector({proc.root(), "/no/such/disk", false});
  collector.collect();
  EXPECT_TRUE(collector.take_step_values().empty());
}

TEST(SystemMetricsCollectorTest, ValuesOnThisMachineArePlausible) {
  SystemMetricsCollector collector({"/proc", "/", false});
  collector.collect();
  std::map<std::string, double> values = collector.take_step_values();

  double cpu = values.at("cpu_utilization_percentage");
  EXPECT_GE(cpu, 0.0);
  EXPECT_LE(cpu, 100.0);

  auto memory = parse_meminfo(read_proc_file("/proc/meminfo").value_or(""));
  ASSERT_TRUE(memory.has_value());
  double total_megabytes = static_cast<double>(memory->total) / 1e6;
  EXPECT_GT(values.at("system_memory_usage_megabytes"), 0.0);
  EXPECT_LT(values.at("system_memory_usage_megabytes"), total_megabytes);
  EXPECT_GT(values.at("system_memory_usage_percentage"), 0.0);
  EXPECT_LT(values.at("system_memory_usage_percentage"), 100.0);

  struct statvfs stats {};
  ASSERT_EQ(::statvfs("/", &stats), 0);
  double size_megabytes = static_cast<double>(stats.f_blocks) * static_cast<double>(stats.f_frsize) / 1e6;
  double used = values.at("disk_usage_megabytes");
  double available = values.at("disk_available_megabytes");
  EXPECT_GT(used, 0.0);
  EXPECT_LE(used + available, size_megabytes + 0.1);
  double percentage = values.at("disk_usage_percentage");
  EXPECT_GE(percentage, 0.0);
  EXPECT_LE(percentage, 100.0);
  EXPECT_NEAR(percentage, used / (used + available) * 100, 1.0);  // other writers may change the disk meanwhile

  EXPECT_GE(values.at("network_receive_megabytes"), 0.0);
  EXPECT_GE(values.at("network_transmit_megabytes"), 0.0);
}

TEST(NvmlGpusTest, AbsentOrReadableNeverAFailure) {
  // Without an NVIDIA driver there is nothing to open; with one, every GPU gives a reading.
  std::unique_ptr<NvmlGpus> gpus = NvmlGpus::open();
  if (!gpus) GTEST_SKIP() << "no NVML GPU on this machine";
  for (const GpuReading& reading : gpus->read()) {
    if (reading.memory) {
      EXPECT_LE(reading.memory->used, reading.memory->total);
    }
    if (reading.utilization_percentage) {
      EXPECT_LE(*reading.utilization_percentage, 100u);
    }
  }
}

TEST(DiskUsageTest, PercentageRoundedToOneDecimal) {
  DiskUsage usage{1, 2};
  EXPECT_DOUBLE_EQ(usage.used_percentage(), 33.3);
  EXPECT_DOUBLE_EQ(DiskUsage{}.used_percentage(), 0.0);
  EXPECT_FALSE(disk_usage("/no/such/disk").has_value());
}

}  // namespace
}  // namespace mlflowcpp::client::system_metrics
