#include "client/system_metrics/system_metrics_settings.hpp"

#include <mlflowcpp/errors.hpp>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace mlflowcpp::client::system_metrics {
namespace {

std::optional<std::string> non_empty(const EnvironmentLookup& environment, const char* variable) {
  auto value = environment(variable);
  if (value && value->empty()) return std::nullopt;
  return value;
}

MlflowException bad_value(const char* variable, const std::string& expected, const std::string& value) {
  return invalid_parameter(std::string(variable) + ": expected " + expected + ", got '" + value + "'");
}

// MLflow's boolean values: true/1 and false/0, any case.
std::optional<bool> boolean_variable(const EnvironmentLookup& environment, const char* variable) {
  auto value = non_empty(environment, variable);
  if (!value) return std::nullopt;
  std::string text;
  for (char c : *value) text += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw bad_value(variable, "true/false/1/0", *value);
}

std::optional<double> seconds_variable(const EnvironmentLookup& environment, const char* variable) {
  auto value = non_empty(environment, variable);
  if (!value) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double seconds = std::strtod(value->c_str(), &end);
  if (end != value->c_str() + value->size() || errno == ERANGE || !std::isfinite(seconds) || seconds < 0) {
    throw bad_value(variable, "a number of seconds >= 0", *value);
  }
  return seconds;
}

std::optional<int> count_variable(const EnvironmentLookup& environment, const char* variable) {
  auto value = non_empty(environment, variable);
  if (!value) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long count = std::strtol(value->c_str(), &end, 10);
  if (end != value->c_str() + value->size() || errno == ERANGE || count < 0 || count > 1000000) {
    throw bad_value(variable, "a whole number >= 0", *value);
  }
  return static_cast<int>(count);
}

}  // namespace

std::string SystemMetricsSettings::metric_prefix() const {
  return node_id.empty() ? "system/" : "system/" + node_id + "/";
}

std::optional<SystemMetricsSettings> resolve_system_metrics_settings(std::optional<bool> enabled,
                                                                     const EnvironmentLookup& environment) {
  if (!enabled) enabled = boolean_variable(environment, "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING");
  if (!enabled.value_or(false)) return std::nullopt;

  SystemMetricsSettings settings;
  auto interval = seconds_variable(environment, "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL");
  if (interval && *interval > 0) settings.sampling_interval = std::chrono::duration<double>(*interval);
  auto samples = count_variable(environment, "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING");
  if (samples && *samples > 0) settings.samples_before_logging = *samples;
  settings.node_id = non_empty(environment, "MLFLOW_SYSTEM_METRICS_NODE_ID").value_or("");
  return settings;
}

}  // namespace mlflowcpp::client::system_metrics
