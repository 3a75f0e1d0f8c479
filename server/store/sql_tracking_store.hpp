#pragma once

// The tracking store in MLflow's own schema (3's or 2.9.2's), on any sql::Database
// (SQLite or PostgreSQL): a database written here opens in the official
// server and the other way round.
//
// Every call is one transaction of the database (Database::write / read). Jobs
// may run more than once (PostgreSQL retries serialization failures and
// deadlocks), so ids are drawn before a job starts and jobs only assign their
// results. Correct with several servers on one PostgreSQL database (READ
// COMMITTED): conflicting inserts surface as unique violations, which the
// store answers (a duplicate name) or re-runs (a check-then-insert that lost
// its race); latest_metrics is kept by one atomic upsert.

#include "server/store/sql_database.hpp"
#include "server/store/tracking_store.hpp"

#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::server::store {

class RandomIds;

struct SqlStoreOptions {
  std::string default_artifact_root;  // experiments get <root>/<id> unless given a location
};

class SqlTrackingStore final : public TrackingStore {
 public:
  // `database` holds MLflow's schema. Creates the default experiment 0 when
  // there is no experiment at all.
  SqlTrackingStore(std::shared_ptr<sql::Database> database, SqlStoreOptions options);
  ~SqlTrackingStore() override;

  SchemaGeneration schema_generation() const override { return database_->schema_generation(); }
  void release_idle_memory() override { database_->release_idle_memory(); }

  std::string create_experiment(const std::string& name, const std::string& artifact_location,
                                const std::vector<ExperimentTag>& tags) override;
  Experiment get_experiment(const std::string& experiment_id) override;
  Experiment get_experiment_by_name(const std::string& name) override;
  Page<Experiment> search_experiments(const SearchExperimentsRequest& request) override;
  void delete_experiment(const std::string& experiment_id) override;
  void restore_experiment(const std::string& experiment_id) override;
  void rename_experiment(const std::string& experiment_id, const std::string& new_name) override;
  void set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) override;
  void delete_experiment_tag(const std::string& experiment_id, const std::string& key) override;

  Run create_run(const CreateRunRequest& request) override;
  RunInfo update_run(const UpdateRunRequest& request) override;
  Run get_run(const std::string& run_id) override;
  std::string experiment_id_of_run(const std::string& run_id) override;
  void delete_run(const std::string& run_id) override;
  void restore_run(const std::string& run_id) override;
  Page<Run> search_runs(const SearchRunsRequest& request) override;

  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics, const std::vector<Param>& params,
                 const std::vector<RunTag>& tags) override;
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                  const std::vector<ModelInput>& models) override;
  void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) override;
  void set_tag(const std::string& run_id, const RunTag& tag) override;
  void update_tag(const std::string& run_id, const std::string& key, const TagUpdate& next) override;
  void delete_tag(const std::string& run_id, const std::string& key) override;

  std::vector<Metric> get_metric_history(const std::string& run_id, const std::string& key) override;
  Page<Metric> get_metric_history_page(const MetricHistoryPageRequest& request) override;
  std::string read_metric_history_page(const MetricHistoryPageRequest& request, MetricHistorySink& sink) override;
  std::vector<MetricWithRunId> get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                       const std::string& key, int64_t max_results) override;
  std::vector<MetricWithRunId> get_metric_history_bulk_interval(
      const MetricHistoryBulkIntervalRequest& request) override;

  std::vector<DatasetSummary> search_datasets(const std::vector<std::string>& experiment_ids) override;

  std::vector<std::string> deleted_run_ids(int64_t deleted_at_or_before) override;
  std::optional<RemovedRun> hard_delete_run(const std::string& run_id) override;
  std::optional<std::vector<RemovedRun>> hard_delete_experiment(const std::string& experiment_id) override;

 private:
  void insert_default_experiment();
  // MLflow 3's tables (logged models and their links to runs); a 2.9 database has none of them.
  bool has_mlflow3_tables() const { return database_->schema_generation() == SchemaGeneration::kMlflow3; }

  std::shared_ptr<sql::Database> database_;
  SqlStoreOptions options_;
  std::unique_ptr<RandomIds> ids_;
};

}  // namespace mlflowcpp::server::store
