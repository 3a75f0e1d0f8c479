#pragma once

// The tracking service: MLflow's rules for every tracking call (required
// values, limits, key rules, paging bounds) in front of the store. It knows
// nothing of HTTP; the handlers turn requests into these calls and results into
// JSON. Every rule violation throws MlflowException (INVALID_PARAMETER_VALUE).

#include "server/artifacts/artifact_lister.hpp"
#include "server/search/id_scope.hpp"
#include "server/store/tracking_store.hpp"

#include <mlflowcpp/entities.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server {

struct ArtifactListing {
  std::string root_uri;
  std::vector<FileInfo> files;
};

class TrackingService {
 public:
  // Upper bound and default of the UI's legacy get-history-bulk.
  static constexpr int64_t kMaxHistoryBulkResults = 25000;
  static constexpr std::size_t kMaxHistoryBulkRunIds = 100;
  static constexpr std::size_t kMaxBulkIntervalRunIds = 100;
  static constexpr int64_t kMaxBulkIntervalResults = 2500;
  static constexpr std::size_t kMaxSearchDatasetsExperimentIds = 20;

  TrackingService(TrackingStore& store, const ArtifactLister& artifacts);

  // Where this service lists artifacts; the artifact routes resolve roots through it too.
  const ArtifactLister& artifact_lister() const { return artifacts_; }

  // Experiments. An empty artifact_location means "derive it from the default root".
  std::string create_experiment(const std::string& name, const std::string& artifact_location,
                                const std::vector<ExperimentTag>& tags);
  Experiment get_experiment(const std::string& experiment_id);
  Experiment get_experiment_by_name(const std::string& name);
  // max_results 0 means "not given", which MLflow refuses for this call.
  Page<Experiment> search_experiments(const SearchExperimentsRequest& request);
  void delete_experiment(const std::string& experiment_id);
  void restore_experiment(const std::string& experiment_id);
  void rename_experiment(const std::string& experiment_id, const std::string& new_name);
  void set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag);
  void delete_experiment_tag(const std::string& experiment_id, const std::string& key);

  // Runs.
  Run create_run(const CreateRunRequest& request);
  RunInfo update_run(const UpdateRunRequest& request);
  Run get_run(const std::string& run_id);
  void delete_run(const std::string& run_id);
  void restore_run(const std::string& run_id);
  Page<Run> search_runs(const SearchRunsRequest& request);

  // Logging.
  void log_metric(const std::string& run_id, const Metric& metric);
  void log_param(const std::string& run_id, const Param& param);
  void set_tag(const std::string& run_id, const RunTag& tag);
  void delete_tag(const std::string& run_id, const std::string& key);
  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics, const std::vector<Param>& params,
                 const std::vector<RunTag>& tags);
  // `models` (MLflow 3) are ignored on a database with MLflow 2.9's schema, as the 2.9 server ignores them.
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                  const std::vector<ModelInput>& models);
  // MLflow 3: the logged models a run produced. Answers a 2.9 database with the store's upgrade hint.
  void log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models);
  // Appends an MLmodel description (JSON text) to the run's tag mlflow.log-model.history.
  void log_model(const std::string& run_id, const std::string& model_json);

  // Metric history. Without max_results every point (from the page token on) and no token, as 2.x clients
  // and the UI expect; with it, at most max_results points (1..kMaxMetricHistoryPageSize) and a token when more follow.
  static constexpr int64_t kMaxMetricHistoryPageSize = 2147483647;  // the proto's int32 field
  // The page goes to `sink` point by point; returns its next page token ("" on the last page). A missing run or key
  // is an empty history.
  std::string read_metric_history(const MetricHistoryPageRequest& request, MetricHistorySink& sink);
  // max_results: default and cap kMaxHistoryBulkResults.
  std::vector<MetricWithRunId> get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                       const std::string& metric_key,
                                                       std::optional<int64_t> max_results);
  std::vector<MetricWithRunId> get_metric_history_bulk_interval(const MetricHistoryBulkIntervalRequest& request);

  // Experiment ids outside `readable_experiments` (the caller's read scope) are dropped after the checks of
  // the request; none left is an empty answer.
  std::vector<DatasetSummary> search_datasets(const std::vector<std::string>& experiment_ids,
                                              const search::IdScope& readable_experiments = search::IdScope::all());

  // `path` empty = the run's artifact root.
  ArtifactListing list_artifacts(const std::string& run_id, const std::string& path);

 private:
  // Whether the database keeps MLflow 3's links between runs and logged models; a 2.9 one ignores them.
  bool stores_model_links() const { return store_.schema_generation() == store::SchemaGeneration::kMlflow3; }

  TrackingStore& store_;
  const ArtifactLister& artifacts_;
};

}  // namespace mlflowcpp::server
