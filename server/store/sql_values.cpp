#include "server/store/sql_values.hpp"

#include <chrono>
#include <cmath>
#include <limits>

namespace mlflowcpp::server::store {

const char* run_status_column(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "RUNNING";
    case RunStatus::kScheduled: return "SCHEDULED";
    case RunStatus::kFinished: return "FINISHED";
    case RunStatus::kFailed: return "FAILED";
    case RunStatus::kKilled: return "KILLED";
  }
  return "RUNNING";
}

RunStatus run_status_from_column(std::string_view text) {
  if (text == "SCHEDULED") return RunStatus::kScheduled;
  if (text == "FINISHED") return RunStatus::kFinished;
  if (text == "FAILED") return RunStatus::kFailed;
  if (text == "KILLED") return RunStatus::kKilled;
  return RunStatus::kRunning;
}

const char* lifecycle_column(LifecycleStage stage) {
  return stage == LifecycleStage::kDeleted ? "deleted" : "active";
}

LifecycleStage lifecycle_from_column(std::string_view text) {
  return text == "deleted" ? LifecycleStage::kDeleted : LifecycleStage::kActive;
}

StoredMetricValue store_metric_value(double value) {
  if (std::isnan(value)) return {0.0, true};
  if (std::isinf(value)) {
    return {value > 0 ? std::numeric_limits<double>::max() : std::numeric_limits<double>::lowest(), false};
  }
  return {value, false};
}

double load_metric_value(double value, bool is_nan) {
  return is_nan ? std::numeric_limits<double>::quiet_NaN() : value;
}

std::optional<int64_t> parse_experiment_id(std::string_view experiment_id) {
  if (experiment_id.empty() || experiment_id.size() > 18) return std::nullopt;
  int64_t id = 0;
  for (char c : experiment_id) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return id;
}

std::string append_to_uri_path(const std::string& base, const std::string& segment) {
  if (base.empty()) return segment;
  if (base.back() == '/') return base + segment;
  return base + "/" + segment;
}

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace mlflowcpp::server::store
