#include "client/system_metrics/system_metrics_sampler.hpp"

#include <algorithm>
#include <exception>
#include <iostream>

namespace mlflowcpp::client {

using system_metrics::SystemMetricsCollector;

SystemMetricsSampler::SystemMetricsSampler(MlflowClient client, std::string run_id,
                                           system_metrics::SystemMetricsSettings settings, bool resumed,
                                           system_metrics::SystemMetricsSources sources)
    : client_(std::move(client)),
      run_id_(std::move(run_id)),
      settings_(std::move(settings)),
      resumed_(resumed),
      sources_(std::move(sources)),
      thread_([this] { sample_until_stopped(); }) {}

SystemMetricsSampler::~SystemMetricsSampler() { stop(); }

void SystemMetricsSampler::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool SystemMetricsSampler::wait_interval() {
  std::unique_lock<std::mutex> lock(mutex_);
  return !stop_requested_.wait_for(lock, settings_.sampling_interval, [this] { return stopping_; });
}

// One past the highest step of the first system metric the run already has, as
// MLflow resumes; 0 for a new run or when the run cannot be read.
int64_t SystemMetricsSampler::first_step() {
  if (!resumed_) return 0;
  try {
    Run run = client_.get_run(run_id_);
    for (const auto& metric : run.data.metrics) {
      if (metric.key.rfind("system/", 0) != 0) continue;
      int64_t next = 0;
      for (const auto& point : client_.get_metric_history(run_id_, metric.key)) next = std::max(next, point.step + 1);
      return next;
    }
  } catch (const MlflowException&) {
    // As MLflow: start over at 0.
  }
  return 0;
}

void SystemMetricsSampler::sample_until_stopped() {
  try {
    // Built here, not in the constructor: loading NVML and reading /proc stay off the caller's thread.
    SystemMetricsCollector collector(sources_);
    const std::string prefix = settings_.metric_prefix();
    for (int64_t step = first_step();; ++step) {
      for (int sample = 0; sample < settings_.samples_before_logging; ++sample) {
        collector.collect();
        if (!wait_interval()) return;
      }
      int64_t timestamp = now_epoch_millis();
      std::vector<Metric> batch;
      for (const auto& [name, value] : collector.take_step_values())
        batch.emplace_back(prefix + name, value, timestamp, step);
      client_.log_batch(run_id_, batch);
    }
  } catch (const std::exception& error) {
    std::cerr << "mlflowcpp: system metrics logging for run " << run_id_ << " stopped: " << error.what() << '\n';
  } catch (...) {
    std::cerr << "mlflowcpp: system metrics logging for run " << run_id_ << " stopped\n";
  }
}

}  // namespace mlflowcpp::client
