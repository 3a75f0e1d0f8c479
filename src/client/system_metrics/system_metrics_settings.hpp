#pragma once

// Whether and how a run logs system metrics, from a start_run option and
// MLflow's environment variables:
//
// | setting                | environment variable                          | default |
// |------------------------|-----------------------------------------------|---------|
// | on or off              | MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING           | off     |
// | sampling interval      | MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL (s)    | 10      |
// | samples per log step   | MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING   | 1       |
// | node id (name prefix)  | MLFLOW_SYSTEM_METRICS_NODE_ID                  | none    |
//
// As in MLflow, a 0 interval or sample count means the default.

#include <mlflowcpp/client_options.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace mlflowcpp::client::system_metrics {

struct SystemMetricsSettings {
  std::chrono::duration<double> sampling_interval{10.0};
  int samples_before_logging = 1;
  std::string node_id;  // empty: none

  // "system/", or "system/<node_id>/" on a named node.
  std::string metric_prefix() const;
};

// nullopt when system metrics are off: `enabled` when set, else the
// environment. Throws MlflowException (INVALID_PARAMETER_VALUE) naming the
// variable when a value is malformed or negative.
std::optional<SystemMetricsSettings> resolve_system_metrics_settings(std::optional<bool> enabled,
                                                                     const EnvironmentLookup& environment);

}  // namespace mlflowcpp::client::system_metrics
