#pragma once

// The tracking store interface: everything the tracking service needs from a
// backend. Implemented once for SQLite and PostgreSQL: sql_tracking_store*.cpp over sql::Database.
// Methods throw mlflowcpp::MlflowException with the error code the official
// server uses (RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE, ...).
// Inputs reaching the store are already validated for shape and length by the
// service layer; the store checks what needs the database (existence,
// lifecycle, uniqueness, param immutability).
//
// Thread safety: every method may be called from many threads at once.

#include "server/search/id_scope.hpp"
#include "server/store/schema_generation.hpp"

#include <mlflowcpp/entities.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server {

struct CreateRunRequest {
  std::string experiment_id;
  std::string user_id;
  std::string run_name;     // "" = take tag mlflow.runName or generate one
  int64_t start_time = 0;
  std::vector<RunTag> tags;
};

struct UpdateRunRequest {
  std::string run_id;
  std::optional<RunStatus> status;
  std::optional<int64_t> end_time;
  std::optional<std::string> run_name;
};

// The searches list only what `experiment_scope` admits (the caller's read
// scope; all by default): experiments by id, runs by their experiment, whose
// ids outside the scope are dropped as if not requested.
struct SearchRunsRequest {
  std::vector<std::string> experiment_ids;
  search::IdScope experiment_scope;
  std::string filter;
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;  // already validated by the service
  std::vector<std::string> order_by;
  std::string page_token;
};

struct SearchExperimentsRequest {
  search::IdScope experiment_scope;
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;  // already validated by the service
  std::string filter;
  std::vector<std::string> order_by;
  std::string page_token;
};

// One page of a metric's history: points ordered by (timestamp, step, value), as MLflow's SQL store pages them.
struct MetricHistoryPageRequest {
  std::string run_id;
  std::string metric_key;
  std::optional<int64_t> max_results;  // already validated by the service; none = every point from the token on
  std::string page_token;              // "" = from the first point
};

// Takes a page of a metric's history point by point, in history order, as the store reads the rows: an answer can
// be written from them without a list of Metric in between.
class MetricHistorySink {
 public:
  virtual ~MetricHistorySink() = default;
  virtual void add(double value, int64_t timestamp, int64_t step) = 0;
  // Forgets the points added so far: the store sends the page again from its first point (a read that is retried).
  virtual void clear() = 0;
};

struct MetricHistoryBulkIntervalRequest {
  std::vector<std::string> run_ids;
  std::string metric_key;
  std::optional<int64_t> start_step;
  std::optional<int64_t> end_step;
  int64_t max_results = 2500;
};

// A run removed for good by TrackingStore::hard_delete_run or with its experiment: what removing its artifacts
// needs (the database no longer knows them afterwards).
struct RemovedRun {
  std::string run_id;
  std::string artifact_uri;
};

class TrackingStore {
 public:
  virtual ~TrackingStore() = default;

  // The schema of the backend database: calls that need MLflow 3's tables
  // answer a kMlflow2 database with store::kUpgradeToMlflow3Hint.
  virtual store::SchemaGeneration schema_generation() const = 0;
  // The server has gone quiet: caches kept only for speed may go back to the system (sql::Database's
  // release_idle_memory; the registry and logged-model stores of the same database share them). Thread-safe.
  virtual void release_idle_memory() {}

  // Experiments. `artifact_location` empty = derived from the default root.
  virtual std::string create_experiment(const std::string& name, const std::string& artifact_location,
                                        const std::vector<ExperimentTag>& tags) = 0;
  virtual Experiment get_experiment(const std::string& experiment_id) = 0;
  // The active one when an active and a deleted experiment share the name.
  virtual Experiment get_experiment_by_name(const std::string& name) = 0;
  virtual Page<Experiment> search_experiments(const SearchExperimentsRequest& request) = 0;
  virtual void delete_experiment(const std::string& experiment_id) = 0;
  virtual void restore_experiment(const std::string& experiment_id) = 0;
  virtual void rename_experiment(const std::string& experiment_id, const std::string& new_name) = 0;
  virtual void set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) = 0;
  virtual void delete_experiment_tag(const std::string& experiment_id, const std::string& key) = 0;

  // Runs.
  virtual Run create_run(const CreateRunRequest& request) = 0;
  virtual RunInfo update_run(const UpdateRunRequest& request) = 0;
  virtual Run get_run(const std::string& run_id) = 0;
  // The id of the run's experiment, without reading the rest of the run (checked on every request
  // with authorization on); RESOURCE_DOES_NOT_EXIST as get_run.
  virtual std::string experiment_id_of_run(const std::string& run_id) = 0;
  virtual void delete_run(const std::string& run_id) = 0;
  virtual void restore_run(const std::string& run_id) = 0;
  virtual Page<Run> search_runs(const SearchRunsRequest& request) = 0;

  // Logging. log_batch is all-or-nothing: one transaction. A metric naming a model_id (MLflow 3) is also
  // recorded on that logged model, which must exist and not be deleted (RESOURCE_DOES_NOT_EXIST); on a
  // database with MLflow 2.9's schema its model and dataset fields are ignored.
  virtual void log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                         const std::vector<Param>& params, const std::vector<RunTag>& tags) = 0;
  // Dataset inputs and (MLflow 3) logged models used by the run. On a database with MLflow 2.9's schema `models`
  // is ignored, as the 2.9 server ignores fields it does not know.
  virtual void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                          const std::vector<ModelInput>& models) = 0;
  // MLflow 3: logged models the run produced. Each model must exist and not be deleted
  // (RESOURCE_DOES_NOT_EXIST); logging a model again updates its step. Needs MLflow 3's schema.
  virtual void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) = 0;
  virtual void set_tag(const std::string& run_id, const RunTag& tag) = 0;
  // Sets run tag `key` to `next(current value, nullopt when unset)` in one transaction, so that concurrent
  // updates of one tag (a run's model history) run one after the other and none is lost. `next` may run
  // more than once (a retried transaction) and may throw to refuse the update.
  using TagUpdate = std::function<std::string(const std::optional<std::string>& current)>;
  virtual void update_tag(const std::string& run_id, const std::string& key, const TagUpdate& next) = 0;
  virtual void delete_tag(const std::string& run_id, const std::string& key) = 0;

  // Metric history: every point of one key, in the order of get_metric_history_page.
  virtual std::vector<Metric> get_metric_history(const std::string& run_id, const std::string& key) = 0;
  // A page of it; a malformed page token is INVALID_PARAMETER_VALUE.
  virtual Page<Metric> get_metric_history_page(const MetricHistoryPageRequest& request) = 0;
  // The same page handed to `sink` point by point; returns its next page token ("" on the last page).
  virtual std::string read_metric_history_page(const MetricHistoryPageRequest& request, MetricHistorySink& sink) = 0;
  // Legacy UI call: points of one key for several runs, at most max_results per run.
  virtual std::vector<MetricWithRunId> get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                               const std::string& key, int64_t max_results) = 0;
  virtual std::vector<MetricWithRunId> get_metric_history_bulk_interval(
      const MetricHistoryBulkIntervalRequest& request) = 0;

  virtual std::vector<DatasetSummary> search_datasets(const std::vector<std::string>& experiment_ids) = 0;

  // Permanent deletion (`mlflowcpp gc`, as MLflow's _get_deleted_runs, _hard_delete_run and
  // _hard_delete_experiment). Each removal is one transaction that first checks, under lock, that its subject is
  // still in the deleted stage, so a run or experiment restored by a concurrent request meanwhile is kept.

  // The runs in the deleted stage with deleted_time at or before `deleted_at_or_before` (ms since the epoch), in
  // deletion order. As in MLflow, runs without a deleted_time (deleted by MLflow before it recorded one) are not
  // listed; they are removed when named or with their experiment.
  virtual std::vector<std::string> deleted_run_ids(int64_t deleted_at_or_before) = 0;
  // Removes a run in the deleted stage with its metrics, latest metrics, params, tags, dataset inputs and their
  // tags, links to logged models and the logged-model metrics it recorded. Datasets stay: they belong to the
  // experiment. nullopt when the run is not in the deleted stage (any more); RESOURCE_DOES_NOT_EXIST when absent.
  virtual std::optional<RemovedRun> hard_delete_run(const std::string& run_id) = 0;
  // Removes an experiment in the deleted stage with everything that belongs to it: its runs (as hard_delete_run,
  // whatever their stage), tags, datasets, logged models, traces and scorers. Returns the runs removed with it;
  // nullopt when the experiment is not in the deleted stage (any more); RESOURCE_DOES_NOT_EXIST when absent.
  virtual std::optional<std::vector<RemovedRun>> hard_delete_experiment(const std::string& experiment_id) = 0;
};

}  // namespace mlflowcpp::server
