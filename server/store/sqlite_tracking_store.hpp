#pragma once

// The tracking store over SQLite, in MLflow 2.9.2's own schema: a database
// written here opens in the official server and the other way round.
//
// Concurrency: all writes go through one writer thread (SqliteWriter, group
// commit); reads use a small pool of read-only connections beside it (WAL).

#include "server/store/tracking_store.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace mlflowcpp::server::store {

class SqliteConnection;
class SqliteCheckpointer;
class SqliteWriter;
class SqliteReadPool;
class RandomIds;

struct SqliteStoreOptions {
  std::string database_path;          // a file path; created with the schema when absent
  std::string default_artifact_root;  // experiments get <root>/<id> unless given a location
  size_t read_connections = 4;
  // NORMAL (default) keeps every returned write through a process crash;
  // FULL also through power loss, at an fsync per commit.
  bool synchronous_full = false;
  int busy_timeout_ms = 30000;  // waits for another process holding the write lock
};

class SqliteTrackingStore final : public TrackingStore {
 public:
  // Throws std::runtime_error when the database cannot be opened or is not at
  // the supported schema revision.
  explicit SqliteTrackingStore(const SqliteStoreOptions& options);
  ~SqliteTrackingStore() override;

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
  void delete_run(const std::string& run_id) override;
  void restore_run(const std::string& run_id) override;
  Page<Run> search_runs(const SearchRunsRequest& request) override;

  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics, const std::vector<Param>& params,
                 const std::vector<RunTag>& tags) override;
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets) override;
  void set_tag(const std::string& run_id, const RunTag& tag) override;
  void delete_tag(const std::string& run_id, const std::string& key) override;

  std::vector<Metric> get_metric_history(const std::string& run_id, const std::string& key) override;
  std::vector<MetricWithRunId> get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                       const std::string& key, int64_t max_results) override;
  std::vector<MetricWithRunId> get_metric_history_bulk_interval(
      const MetricHistoryBulkIntervalRequest& request) override;

  std::vector<DatasetSummary> search_datasets(const std::vector<std::string>& experiment_ids) override;

  // The database's single writer and its read pool, for other stores over
  // the same file (the model registry): they must not outlive this store.
  SqliteWriter& writer() { return *writer_; }
  SqliteReadPool& readers() { return *readers_; }

 private:
  // Runs `job` on the writer thread in its own savepoint; waits for the commit.
  void write(const std::function<void(SqliteConnection&)>& job);
  // Runs `job` on a pooled read connection inside one read transaction.
  void read(const std::function<void(SqliteConnection&)>& job);

  SqliteStoreOptions options_;
  std::unique_ptr<RandomIds> ids_;  // used only inside write jobs, i.e. on the writer thread
  std::unique_ptr<SqliteCheckpointer> checkpointer_;  // outlives the writer, which reports to it
  std::unique_ptr<SqliteWriter> writer_;
  std::unique_ptr<SqliteReadPool> readers_;
};

}  // namespace mlflowcpp::server::store
