// SqlTrackingStore: permanent deletion of runs and experiments in the deleted stage (`mlflowcpp gc`).
//
// MLflow's SQL store leaves the removal of a run's rows to SQLAlchemy cascades and the database's ON DELETE
// CASCADE keys. SQLite enforces foreign keys only when asked (this server does not ask), so every row is removed
// here by name, children before parents: the same statements then work on PostgreSQL, which enforces the keys.

#include "server/store/sql_dialect.hpp"
#include "server/store/sql_store_checks.hpp"
#include "server/store/sql_tracking_store.hpp"
#include "server/store/sql_transactions.hpp"

#include <mlflowcpp/entities.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::server::store {

namespace {

constexpr const char* kDeletedStage = "deleted";

// Runs `sql` with each of its '?' placeholders bound to `value` (a run id, or an experiment id as an integer).
template <typename Value>
void execute_for(sql::Connection& connection, const std::string& sql, const Value& value) {
  auto statement = connection.statement(sql);
  int placeholder = 0;
  for (char c : sql) {
    if (c == '?') statement->bind(++placeholder, value);
  }
  statement->execute();
}

// Every row of one run, the run's own last. `mlflow3`: the database has MLflow 3's tables.
void delete_run_rows(sql::Connection& connection, const std::string& run_id, bool mlflow3) {
  execute_for(connection,
              "DELETE FROM input_tags WHERE input_uuid IN "
              "(SELECT input_uuid FROM inputs WHERE destination_type = 'RUN' AND destination_id = ?)",
              run_id);
  execute_for(connection, "DELETE FROM inputs WHERE destination_type = 'RUN' AND destination_id = ?", run_id);
  if (mlflow3) {
    // The run's links to the logged models it used and produced; the models stay (they belong to the experiment).
    execute_for(connection, "DELETE FROM inputs WHERE source_type IN ('RUN_INPUT', 'RUN_OUTPUT') AND source_id = ?",
                run_id);
    execute_for(connection, "DELETE FROM logged_model_metrics WHERE run_id = ?", run_id);
  }
  execute_for(connection, "DELETE FROM metrics WHERE run_uuid = ?", run_id);
  execute_for(connection, "DELETE FROM latest_metrics WHERE run_uuid = ?", run_id);
  execute_for(connection, "DELETE FROM params WHERE run_uuid = ?", run_id);
  execute_for(connection, "DELETE FROM tags WHERE run_uuid = ?", run_id);
  execute_for(connection, "DELETE FROM runs WHERE run_uuid = ?", run_id);
}

// What belongs to an experiment besides its runs, in MLflow 3's tables.
void delete_mlflow3_experiment_rows(sql::Connection& connection, int64_t experiment_id) {
  const std::string models = "(SELECT model_id FROM logged_models WHERE experiment_id = ?)";
  execute_for(
      connection,
      "DELETE FROM inputs WHERE destination_type IN ('MODEL_INPUT', 'MODEL_OUTPUT') AND destination_id IN " + models,
      experiment_id);
  // Metrics recorded by runs of this experiment on models elsewhere carry this experiment's id; metrics on its
  // models may come from runs elsewhere.
  for (const char* table : {"logged_model_metrics", "logged_model_params", "logged_model_tags"}) {
    execute_for(connection, std::string("DELETE FROM ") + table + " WHERE experiment_id = ? OR model_id IN " + models,
                experiment_id);
  }
  execute_for(connection, "DELETE FROM logged_models WHERE experiment_id = ?", experiment_id);

  const std::string traces = "(SELECT request_id FROM trace_info WHERE experiment_id = ?)";
  execute_for(connection, "DELETE FROM trace_tags WHERE request_id IN " + traces, experiment_id);
  execute_for(connection, "DELETE FROM trace_request_metadata WHERE request_id IN " + traces, experiment_id);
  execute_for(connection, "DELETE FROM assessments WHERE trace_id IN " + traces, experiment_id);
  execute_for(connection, "DELETE FROM spans WHERE experiment_id = ? OR trace_id IN " + traces, experiment_id);
  execute_for(connection, "DELETE FROM trace_info WHERE experiment_id = ?", experiment_id);

  execute_for(connection,
              "DELETE FROM scorer_versions WHERE scorer_id IN (SELECT scorer_id FROM scorers WHERE experiment_id = ?)",
              experiment_id);
  execute_for(connection, "DELETE FROM scorers WHERE experiment_id = ?", experiment_id);
}

}  // namespace

std::vector<std::string> SqlTrackingStore::deleted_run_ids(int64_t deleted_at_or_before) {
  std::vector<std::string> ids;
  read_transaction(*database_, [&](sql::Connection& connection) {
    ids.clear();
    auto select = connection.statement(
        "SELECT run_uuid FROM runs WHERE lifecycle_stage = 'deleted' AND deleted_time <= ? "
        "ORDER BY deleted_time, run_uuid");
    select->bind(1, deleted_at_or_before);
    while (select->step()) ids.push_back(select->column(0).as_string());
  });
  return ids;
}

std::optional<RemovedRun> SqlTrackingStore::hard_delete_run(const std::string& run_id) {
  const bool mlflow3 = has_mlflow3_tables();
  std::optional<RemovedRun> removed;
  write_transaction(*database_, [&](sql::Connection& connection) {
    removed.reset();
    // Locked until the end (PostgreSQL): a concurrent restore waits, then finds no run.
    auto select = connection.statement("SELECT lifecycle_stage, artifact_uri FROM runs WHERE run_uuid = ?" +
                                       std::string(sql_dialect::row_lock(connection.dialect())));
    select->bind(1, run_id);
    if (!select->step()) throw run_not_found(run_id);
    if (select->column(0).as_string() != kDeletedStage) return;
    RemovedRun run{run_id, select->column(1).as_string()};
    delete_run_rows(connection, run_id, mlflow3);
    removed = std::move(run);
  });
  return removed;
}

std::optional<std::vector<RemovedRun>> SqlTrackingStore::hard_delete_experiment(const std::string& experiment_id) {
  const bool mlflow3 = has_mlflow3_tables();
  std::optional<std::vector<RemovedRun>> removed;
  write_transaction(*database_, [&](sql::Connection& connection) {
    removed.reset();
    // RESOURCE_DOES_NOT_EXIST for an absent experiment or an id that is not an integer.
    const int64_t id = std::stoll(require_experiment(connection, experiment_id).experiment_id);
    {
      auto lock = connection.statement("SELECT lifecycle_stage FROM experiments WHERE experiment_id = ?" +
                                       std::string(sql_dialect::row_lock(connection.dialect())));
      lock->bind(1, id);
      if (!lock->step()) throw experiment_not_found(experiment_id);
      if (lock->column(0).as_string() != kDeletedStage) return;
    }
    std::vector<RemovedRun> runs;
    {
      auto select =
          connection.statement("SELECT run_uuid, artifact_uri FROM runs WHERE experiment_id = ? ORDER BY run_uuid" +
                               std::string(sql_dialect::row_lock(connection.dialect())));
      select->bind(1, id);
      while (select->step()) runs.push_back({select->column(0).as_string(), select->column(1).as_string()});
    }
    for (const RemovedRun& run : runs) delete_run_rows(connection, run.run_id, mlflow3);
    if (mlflow3) delete_mlflow3_experiment_rows(connection, id);
    execute_for(connection,
                "DELETE FROM input_tags WHERE input_uuid IN (SELECT i.input_uuid FROM inputs i JOIN datasets d "
                "ON i.source_type = 'DATASET' AND i.source_id = d.dataset_uuid WHERE d.experiment_id = ?)",
                id);
    execute_for(connection,
                "DELETE FROM inputs WHERE source_type = 'DATASET' AND source_id IN "
                "(SELECT dataset_uuid FROM datasets WHERE experiment_id = ?)",
                id);
    execute_for(connection, "DELETE FROM datasets WHERE experiment_id = ?", id);
    execute_for(connection, "DELETE FROM experiment_tags WHERE experiment_id = ?", id);
    execute_for(connection, "DELETE FROM experiments WHERE experiment_id = ?", id);
    removed = std::move(runs);
  });
  return removed;
}

}  // namespace mlflowcpp::server::store
