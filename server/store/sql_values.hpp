#pragma once

// How MLflow's SQL store writes values into its tables, and back.

#include <mlflowcpp/entities.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::store {

// 'RUNNING', 'FINISHED', ... as stored in runs.status.
const char* run_status_column(RunStatus status);
RunStatus run_status_from_column(std::string_view text);  // unknown text -> RUNNING

// 'active' / 'deleted' as stored in lifecycle_stage columns.
const char* lifecycle_column(LifecycleStage stage);
LifecycleStage lifecycle_from_column(std::string_view text);

// A metric value as stored: NaN is value 0 with is_nan = 1; the infinities are
// clamped to the largest finite doubles (as MLflow does, so they survive
// databases without IEEE infinities).
struct StoredMetricValue {
  double value = 0;
  bool is_nan = false;
};
StoredMetricValue store_metric_value(double value);
double load_metric_value(double value, bool is_nan);

// Experiment ids are integers in the database; anything else names no experiment.
std::optional<int64_t> parse_experiment_id(std::string_view experiment_id);

// `base` + "/" + `segment`, without doubling a trailing slash
// ("mlflow-artifacts:/" + "0" = "mlflow-artifacts:/0", "s3://b/p" + "0" = "s3://b/p/0").
std::string append_to_uri_path(const std::string& base, const std::string& segment);

int64_t now_millis();

}  // namespace mlflowcpp::server::store
