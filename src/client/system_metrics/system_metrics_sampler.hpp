#pragma once

// The thread that logs a run's system metrics while the run lasts: every
// sampling interval it takes a sample; every samples_before_logging samples it
// logs their averages (client log_batch, one timestamp) at the next step,
// counting from 0 (or, for a resumed run, from one past the last system metric
// step already recorded), as MLflow's SystemMetricsMonitor does.
//
// Stopping wakes the thread at once; samples not yet averaged into a step are
// dropped, as MLflow drops them. A failed log call ends the sampling (most
// likely the run was ended elsewhere) with one line on stderr.

#include <mlflowcpp/client.hpp>

#include "client/system_metrics/system_metrics_collector.hpp"
#include "client/system_metrics/system_metrics_settings.hpp"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace mlflowcpp::client {

class SystemMetricsSampler {
 public:
  // Starts sampling for `run_id`. `resumed`: the run existed before, continue its steps.
  SystemMetricsSampler(MlflowClient client, std::string run_id, system_metrics::SystemMetricsSettings settings,
                       bool resumed, system_metrics::SystemMetricsSources sources = {});
  // Stops (see stop()).
  ~SystemMetricsSampler();
  SystemMetricsSampler(const SystemMetricsSampler&) = delete;
  SystemMetricsSampler& operator=(const SystemMetricsSampler&) = delete;

  // Wakes the thread and waits for it; returns once nothing more will be
  // logged. A log call in flight is waited for. Later calls do nothing.
  void stop();

 private:
  void sample_until_stopped();
  int64_t first_step();
  // Waits out one interval; false when stop() was called meanwhile.
  bool wait_interval();

  MlflowClient client_;
  const std::string run_id_;
  const system_metrics::SystemMetricsSettings settings_;
  const bool resumed_;
  const system_metrics::SystemMetricsSources sources_;

  std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once everything it reads exists
};

}  // namespace mlflowcpp::client
