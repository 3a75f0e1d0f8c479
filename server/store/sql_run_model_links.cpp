#include "server/store/sql_run_model_links.hpp"

#include "server/store/sql_dialect.hpp"
#include "server/store/sql_logged_model_store.hpp"
#include "server/store/sql_values.hpp"

#include <unordered_set>

namespace mlflowcpp::server::store {

void require_live_logged_model(sql::Connection& connection, const std::string& model_id) {
  auto query = connection.statement(
      "SELECT 1 FROM logged_models WHERE model_id = ? AND (lifecycle_stage IS NULL OR lifecycle_stage <> 'deleted')");
  query->bind(1, model_id);
  if (!query->step()) throw logged_model_not_found(model_id);
}

void upsert_run_outputs(sql::Connection& connection, const std::string& run_id, const std::vector<ModelOutput>& models,
                        const std::vector<std::string>& input_uuids) {
  // MLflow's SQL store inserts these rows plainly and fails (500) when a model is
  // logged twice; updating the step makes the call repeatable instead.
  auto upsert = connection.statement(
      sql_dialect::upsert(connection.dialect(),
                          "inputs (input_uuid, source_type, source_id, destination_type, destination_id, step) "
                          "VALUES (?, 'RUN_OUTPUT', ?, 'MODEL_OUTPUT', ?, ?)",
                          {"source_type", "source_id", "destination_type", "destination_id"}, {"step"}));
  for (size_t index = 0; index < models.size(); ++index) {
    upsert->bind(1, input_uuids.at(index));
    upsert->bind(2, run_id);
    upsert->bind(3, models[index].model_id);
    upsert->bind(4, static_cast<int64_t>(models[index].step));
    upsert->execute();
  }
}

void insert_run_model_inputs(sql::Connection& connection, const std::string& run_id,
                             const std::vector<ModelInput>& models, const std::vector<std::string>& input_uuids) {
  auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
      connection.dialect(),
      "inputs (input_uuid, source_type, source_id, destination_type, destination_id, step) "
      "VALUES (?, 'RUN_INPUT', ?, 'MODEL_INPUT', ?, 0)"));
  for (size_t index = 0; index < models.size(); ++index) {
    insert->bind(1, input_uuids.at(index));
    insert->bind(2, run_id);
    insert->bind(3, models[index].model_id);
    insert->execute();
  }
}

void insert_logged_model_metrics(sql::Connection& connection, const RunInfo& run, const std::vector<Metric>& metrics) {
  std::unordered_set<std::string> model_ids;
  for (const Metric& metric : metrics) {
    if (!metric.model_id.empty() && model_ids.insert(metric.model_id).second) {
      require_live_logged_model(connection, metric.model_id);
    }
  }
  if (model_ids.empty()) return;
  // The table has no NaN flag: MLflow stores NaN as 0 and infinities as the
  // largest doubles there, as store_metric_value does; the run's metrics table
  // keeps the NaN itself.
  auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
      connection.dialect(),
      "logged_model_metrics (model_id, metric_name, metric_timestamp_ms, metric_step, metric_value, experiment_id, "
      "run_id, dataset_uuid, dataset_name, dataset_digest) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)"));
  const int64_t experiment_id = std::stoll(run.experiment_id);
  for (const Metric& metric : metrics) {
    if (metric.model_id.empty()) continue;
    insert->bind(1, metric.model_id);
    insert->bind(2, metric.key);
    insert->bind(3, static_cast<int64_t>(metric.timestamp));
    insert->bind(4, static_cast<int64_t>(metric.step));
    insert->bind(5, store_metric_value(metric.value).value);
    insert->bind(6, experiment_id);
    insert->bind(7, run.run_id);
    if (metric.dataset_name.empty()) {
      insert->bind_null(8);
    } else {
      insert->bind(8, metric.dataset_name);
    }
    if (metric.dataset_digest.empty()) {
      insert->bind_null(9);
    } else {
      insert->bind(9, metric.dataset_digest);
    }
    insert->execute();
  }
}

}  // namespace mlflowcpp::server::store
