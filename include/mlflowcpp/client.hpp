#pragma once

// MlflowClient: the tracking API, one method per REST call, like the official
// Python MlflowClient. Explicit ids everywhere; no notion of an "active" run
// (that is the fluent layer, <mlflowcpp/fluent.hpp>).

#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/async_logging.hpp>
#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/export.hpp>
#include <mlflowcpp/logged_model.hpp>
#include <mlflowcpp/model.hpp>
#include <mlflowcpp/registry_entities.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp {

namespace client {
class AsyncLogger;
class ServerFeatures;
}

struct SearchExperimentsRequest {
  std::string filter;                 // e.g. "name LIKE 'exp-%'"; empty: all
  std::vector<std::string> order_by;  // e.g. {"creation_time DESC"}
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;  // per page; the server accepts up to 50000
  std::string page_token;      // from a previous page; empty: the first page
};

struct SearchRunsRequest {
  std::vector<std::string> experiment_ids;
  std::string filter;  // e.g. "metrics.loss < 0.5 and params.lr = '0.01'"
  std::vector<std::string> order_by;
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;  // per page; the server accepts up to 50000
  std::string page_token;
};

struct CreateRunRequest {
  std::string experiment_id;
  std::string run_name;               // empty: the server picks one
  std::optional<int64_t> start_time;  // epoch ms; unset: now
  std::vector<RunTag> tags;           // the tag mlflow.user also fills the run's user_id
};

// Changes to a run; unset fields stay as they are.
struct UpdateRunRequest {
  std::optional<RunStatus> status;
  std::optional<int64_t> end_time;  // epoch ms
  std::optional<std::string> run_name;
};

// The optional parts of a logged metric value, in the order of MLflow's Python
// API (step, then timestamp). A struct rather than more positional arguments, so
// that later fields can join without changing what existing calls mean.
struct MetricOptions {
  std::optional<int64_t> step;       // unset: 0
  std::optional<int64_t> timestamp;  // epoch ms; unset: now
  // MLflow 3: the logged model the value measures ("m-..."), and the dataset it
  // was measured on. Sent only when set; servers before MLflow 3 ignore them.
  // (The initializers keep MetricOptions{step, timestamp} free of
  // missing-initializer warnings in callers' builds.)
  std::optional<std::string> model_id = std::nullopt;
  std::optional<std::string> dataset_name = std::nullopt;
  std::optional<std::string> dataset_digest = std::nullopt;
};

// --- MLflow 3 logged models -----------------------------------------------------

struct CreateLoggedModelRequest {
  std::string experiment_id;
  std::string name;           // empty: the server picks one
  std::string source_run_id;  // the run that produced the model; empty: none
  std::string model_type;     // free text, e.g. "classifier"; empty: none
  std::vector<LoggedModelParameter> params;
  std::vector<LoggedModelTag> tags;
};

// One ordering of a logged-model search: "name", "creation_timestamp", ... or
// "metrics.<key>", optionally the metric's value on one dataset.
struct LoggedModelOrderBy {
  std::string field_name;
  std::optional<bool> ascending;  // unset: the server's default, ascending
  std::optional<std::string> dataset_name;
  std::optional<std::string> dataset_digest;
};

// Limits the metrics a search's filter and order see to those on a dataset.
struct LoggedModelDatasetFilter {
  std::string dataset_name;
  std::optional<std::string> dataset_digest;
};

struct SearchLoggedModelsRequest {
  std::vector<std::string> experiment_ids;  // at least one
  std::string filter;  // comparisons joined by AND, e.g. "metrics.accuracy > 0.9 AND params.alpha = '0.1'"
  std::vector<LoggedModelDatasetFilter> datasets;
  std::vector<LoggedModelOrderBy> order_by;
  std::optional<int64_t> max_results;  // per page; unset: the server's default
  std::string page_token;
};

// A model a run produced, at a step of the run (runs/outputs).
struct LoggedModelOutput {
  std::string model_id;
  int64_t step = 0;
};

// What log_model records about a model on an MLflow 3 server beyond its
// files; a 2.x server has no logged models and these are not sent.
struct LogModelOptions {
  std::string model_type;                       // e.g. "classifier"; empty: none
  std::vector<LoggedModelParameter> params;     // on top of the run's params, which the model gets too
  std::vector<LoggedModelTag> tags;
  int64_t step = 0;                             // the run's step the model belongs to
};

// Model registry searches. Filters use MLflow's registry grammar, e.g.
// "name LIKE 'fraud-%'" or "name = 'fraud' and tags.team = 'risk'".
struct SearchRegisteredModelsRequest {
  std::string filter;                 // empty: all models
  std::vector<std::string> order_by;  // e.g. {"name ASC"}, {"last_updated_timestamp DESC"}
  int64_t max_results = 100;          // per page; the server accepts up to 1000
  std::string page_token;
};

struct SearchModelVersionsRequest {
  std::string filter;  // e.g. "name = 'fraud'", "run_id = '...'"; empty: all versions
  std::vector<std::string> order_by;
  int64_t max_results = 1000;  // per page; the server accepts up to 200000
  std::string page_token;
};

struct CreateModelVersionRequest {
  std::string name;    // the registered model; it must exist
  std::string source;  // where the model's files are, e.g. "runs:/<run_id>/model" or an artifact URI
  std::string run_id;  // the run that produced it; empty: none
  std::vector<ModelVersionTag> tags;
  std::string run_link;
  std::string description;
  // MLflow 3: the logged model the version is made from (with source "models:/<model_id>"); empty: none.
  std::string model_id;
};

// The tracking API of an MLflow server (the official one or `mlflowcpp server`).
// Every method is one REST call, except where noted (log_batch may split into
// several calls; get_metric_history, search_all_runs and search_all_experiments
// walk every page).
//
// Errors: every method throws MlflowException carrying the server's error_code,
// the HTTP status and message; TransportError (a subclass) when the server could
// not be reached after the retries the call allows (see make_connection() for
// which calls are retried after which failures) or within its deadline. An
// error leaves the client usable.
//
// Asynchronous logging (off by default; MLFLOW_ENABLE_ASYNC_LOGGING=true,
// ClientOptions::async_logging or enable_async_logging() switch it on):
// log_metric, log_param, set_tag and log_batch queue their items and return at
// once; a background sender sends them as runs/log-batch requests, each run's
// points of one key in the order logged. Their errors are not thrown by the
// call: flush() reports them (and AsyncLoggingOptions::on_error as they
// happen). Reads of runs and metrics, delete_tag and update_run first wait
// until what was queued before them has been sent. Copies share the queue; the
// last copy to go sends what is left before it is destroyed.
//
// @par Thread Safety
// A client is a cheap value: copies share one Connection, which pools its HTTP
// connections. Any number of threads may call any method on the same client or
// its copies concurrently, except enable_async_logging() and
// disable_async_logging(), which change this object.
//
// @par Example
// @code
//   mlflowcpp::MlflowClient client;  // MLFLOW_TRACKING_URI and friends
//   std::string experiment_id = client.create_experiment("my-experiment");
//   mlflowcpp::Run run = client.create_run({experiment_id, "first-try"});
//   client.log_param(run.info.run_id, "lr", "0.01");
//   for (int step = 0; step < 10; ++step) {
//     mlflowcpp::MetricOptions at_step;
//     at_step.step = step;
//     client.log_metric(run.info.run_id, "loss", 1.0 / (step + 1), at_step);
//   }
//   client.set_terminated(run.info.run_id);
// @endcode
class MLFLOWCPP_EXPORT MlflowClient {
 public:
  // Configured from the environment (MLFLOW_TRACKING_URI, ...). Throws
  // MlflowException (INVALID_PARAMETER_VALUE) when no tracking URI is set or a
  // setting is malformed; no request is sent before the first call.
  MlflowClient();
  // `options` first, the environment for what they leave unset (see client_options.hpp).
  explicit MlflowClient(const ClientOptions& options);
  // Over any connection: a mock in tests, a decorator, a shared one.
  explicit MlflowClient(std::shared_ptr<Connection> connection);

  // A copy shares the connection and takes the progress callback set at the time of copying.
  MlflowClient(const MlflowClient& other);
  MlflowClient& operator=(const MlflowClient& other);
  MlflowClient(MlflowClient&& other) noexcept = default;
  MlflowClient& operator=(MlflowClient&& other) noexcept = default;
  ~MlflowClient() = default;

  const std::shared_ptr<Connection>& connection() const noexcept { return connection_; }

  // --- Asynchronous logging ----------------------------------------------------
  // Gives this client object (and the copies made from it afterwards) a queue
  // and a sender of its own; items a previous queue held are sent first.
  void enable_async_logging(AsyncLoggingOptions options = {});
  // Waits until what this object queued has been sent; it then logs synchronously.
  void disable_async_logging();
  bool async_logging() const noexcept { return async_logger_ != nullptr; }
  // Blocks until everything queued before the call is acknowledged by the
  // server or has failed for good. Throws MlflowException when any request
  // failed since the previous flush (the first failure's code and status; the
  // message counts the items not stored). Does nothing when logging synchronously.
  void flush();
  // All zero when logging synchronously.
  AsyncLoggingStats async_logging_stats() const;

  // --- Experiments -----------------------------------------------------------
  // Returns the new experiment's id. RESOURCE_ALREADY_EXISTS when the name is taken.
  std::string create_experiment(const std::string& name, const std::string& artifact_location = {},
                                const std::vector<ExperimentTag>& tags = {});
  Experiment get_experiment(const std::string& experiment_id);
  // nullopt when no experiment has that name (deleted ones included in the lookup, as the server does).
  std::optional<Experiment> get_experiment_by_name(const std::string& name);
  Page<Experiment> search_experiments(const SearchExperimentsRequest& request = {});
  // Every page of the search, in order; `request.page_token` is the starting point.
  std::vector<Experiment> search_all_experiments(SearchExperimentsRequest request = {});
  void rename_experiment(const std::string& experiment_id, const std::string& new_name);
  void delete_experiment(const std::string& experiment_id);
  void restore_experiment(const std::string& experiment_id);
  void set_experiment_tag(const std::string& experiment_id, const std::string& key, const std::string& value);
  void delete_experiment_tag(const std::string& experiment_id, const std::string& key);

  // --- Runs ------------------------------------------------------------------
  Run create_run(const CreateRunRequest& request);
  Run get_run(const std::string& run_id);
  RunInfo update_run(const std::string& run_id, const UpdateRunRequest& update);
  // Ends a run: status (FINISHED by default) and end time (now by default).
  RunInfo set_terminated(const std::string& run_id, RunStatus status = RunStatus::kFinished,
                         std::optional<int64_t> end_time = std::nullopt);
  void delete_run(const std::string& run_id);
  void restore_run(const std::string& run_id);
  Page<Run> search_runs(const SearchRunsRequest& request);
  // Every page of the search, in order.
  std::vector<Run> search_all_runs(SearchRunsRequest request);

  // --- Logging ---------------------------------------------------------------
  void log_metric(const std::string& run_id, const std::string& key, double value,
                  const MetricOptions& options = {});
  // The older form, timestamp before step (the reverse of ActiveRun::log_metric and MLflow's Python API).
  [[deprecated("use log_metric(run_id, key, value, MetricOptions{step, timestamp})")]]
  void log_metric(const std::string& run_id, const std::string& key, double value, std::optional<int64_t> timestamp,
                  int64_t step = 0);
  void log_param(const std::string& run_id, const std::string& key, const std::string& value);
  void set_tag(const std::string& run_id, const std::string& key, const std::string& value);
  void delete_tag(const std::string& run_id, const std::string& key);
  // Any number of items: sent as as few requests as the server's limits allow
  // (1000 metrics, 100 params, 100 tags, 1000 items and ~1 MB per request).
  // Items of one kind keep their order. Nothing is sent when all lists are empty.
  void log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                 const std::vector<Param>& params = {}, const std::vector<RunTag>& tags = {});
  void log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets);
  // MLflow 3: records that the run produced these logged models (runs/outputs).
  void log_outputs(const std::string& run_id, const std::vector<LoggedModelOutput>& models);
  // Every recorded point of one metric, all pages.
  std::vector<Metric> get_metric_history(const std::string& run_id, const std::string& key);
  // One page of it: up to `max_results` points from `page_token` on. Unset `max_results` asks for every point in one
  // answer, which servers give (MLflow's own too) without sorting page by page: the fastest way to read a long
  // history whole, at the cost of one large response.
  Page<Metric> get_metric_history_page(const std::string& run_id, const std::string& key,
                                       std::optional<int64_t> max_results, const std::string& page_token = "");

  // --- MLflow 3 logged models -------------------------------------------------
  // Servers before MLflow 3 answer these with ENDPOINT_NOT_FOUND. Model ids are
  // "m-" + 32 hex digits; an unknown or deleted one is RESOURCE_DOES_NOT_EXIST.

  // A new model, LOGGED_MODEL_PENDING until finalized; its files go below the
  // returned info.artifact_uri.
  LoggedModel create_logged_model(const CreateLoggedModelRequest& request);
  LoggedModel get_logged_model(const std::string& model_id);
  // A page of the models of the experiments (deleted models excluded).
  Page<LoggedModel> search_logged_models(const SearchLoggedModelsRequest& request);
  // Every page of the search, in order; `request.page_token` is the starting point.
  std::vector<LoggedModel> search_all_logged_models(SearchLoggedModelsRequest request);
  // Sets the final status: LOGGED_MODEL_READY, or LOGGED_MODEL_UPLOAD_FAILED.
  LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status);
  // Adds the tags, replacing the values of keys the model already has.
  void set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags);
  // RESOURCE_DOES_NOT_EXIST when the model has no such tag.
  void delete_logged_model_tag(const std::string& model_id, const std::string& key);
  // The model disappears from get and search; deleting it again is not an error.
  void delete_logged_model(const std::string& model_id);
  void log_model_params(const std::string& model_id, const std::vector<LoggedModelParameter>& params);

  // --- Model registry: registered models ------------------------------------
  // RESOURCE_ALREADY_EXISTS when the name is taken.
  RegisteredModel create_registered_model(const std::string& name, const std::vector<RegisteredModelTag>& tags = {},
                                          const std::string& description = {});
  RegisteredModel get_registered_model(const std::string& name);
  // The versions, tags and aliases move along.
  RegisteredModel rename_registered_model(const std::string& name, const std::string& new_name);
  RegisteredModel update_registered_model(const std::string& name, const std::string& description);
  // Deletes the model with all its versions, tags and aliases.
  void delete_registered_model(const std::string& name);
  Page<RegisteredModel> search_registered_models(const SearchRegisteredModelsRequest& request = {});
  // Every page of the search, in order; `request.page_token` is the starting point.
  std::vector<RegisteredModel> search_all_registered_models(SearchRegisteredModelsRequest request = {});
  // The highest version in each of `stages` (any spelling of None, Staging,
  // Production, Archived); every stage when empty.
  std::vector<ModelVersion> get_latest_versions(const std::string& name, const std::vector<std::string>& stages = {});
  void set_registered_model_tag(const std::string& name, const std::string& key, const std::string& value);
  // Deleting a tag the model does not have is not an error.
  void delete_registered_model_tag(const std::string& name, const std::string& key);
  // Points `alias` at `version` (moving it if it points elsewhere). The names
  // "latest" and "v<N>" are reserved (INVALID_PARAMETER_VALUE).
  void set_registered_model_alias(const std::string& name, const std::string& alias, const std::string& version);
  void delete_registered_model_alias(const std::string& name, const std::string& alias);
  ModelVersion get_model_version_by_alias(const std::string& name, const std::string& alias);

  // --- Model registry: model versions ---------------------------------------
  // `version` is the decimal version number ("1", "2", ...); anything else is
  // INVALID_PARAMETER_VALUE, a version that does not exist RESOURCE_DOES_NOT_EXIST.
  ModelVersion create_model_version(const CreateModelVersionRequest& request);
  ModelVersion get_model_version(const std::string& name, const std::string& version);
  // nullopt leaves the description unset (NULL), as the official client does when given None.
  ModelVersion update_model_version(const std::string& name, const std::string& version,
                                    const std::optional<std::string>& description);
  // `stage`: None, Staging, Production or Archived, any case. With
  // `archive_existing_versions`, the versions already in Staging/Production move to Archived.
  ModelVersion transition_model_version_stage(const std::string& name, const std::string& version,
                                              const std::string& stage, bool archive_existing_versions = false);
  // Version numbers are never reused; the aliases pointing at it go too.
  void delete_model_version(const std::string& name, const std::string& version);
  Page<ModelVersion> search_model_versions(const SearchModelVersionsRequest& request = {});
  // Every page of the search, in order; `request.page_token` is the starting point.
  std::vector<ModelVersion> search_all_model_versions(SearchModelVersionsRequest request = {});
  // Where the version's files are to be downloaded from (an artifact URI such as "mlflow-artifacts:/...").
  std::string get_model_version_download_uri(const std::string& name, const std::string& version);
  void set_model_version_tag(const std::string& name, const std::string& version, const std::string& key,
                             const std::string& value);
  void delete_model_version_tag(const std::string& name, const std::string& version, const std::string& key);

  // --- models:/ URIs -----------------------------------------------------------
  // Where the files of the model a models:/ URI names are to be downloaded
  // from: the logged model's artifact_uri for an MLflow 3 model id, else
  // get_model_version_download_uri of the registered version:
  //   models:/<model_id>        the logged model ("m-" + 32 hex digits; MLflow 3 servers)
  //   models:/<name>/<version>  that version
  //   models:/<name>/<stage>    the highest version in the stage (None, Staging, Production, Archived; any case)
  //   models:/<name>/latest     the highest version of any stage
  //   models:/<name>@<alias>    the version the alias points at
  // INVALID_PARAMETER_VALUE for a URI of another form or an unknown stage;
  // RESOURCE_DOES_NOT_EXIST when the model or version does not exist or the stage
  // holds no version (an alias that does not exist is INVALID_PARAMETER_VALUE,
  // as MLflow servers answer it). One or two REST calls.
  std::string resolve_model_uri(const std::string& uri);

  // --- Artifacts (repositories: <mlflowcpp/artifacts.hpp>) ---------------------
  // The run's artifact_uri picks where files go: the tracking server's artifact
  // proxy for mlflow-artifacts: URIs (over this client's connection), S3 itself
  // for s3:// URIs (with the S3 settings of the environment: MLFLOW_S3_ENDPOINT_URL,
  // AWS_ACCESS_KEY_ID, ...), a copy for local paths and file:// URIs; other
  // schemes are NOT_IMPLEMENTED.
  // Artifact paths are POSIX relative paths ("" is the run's root); an absolute
  // one or one with ".." is INVALID_PARAMETER_VALUE. Each call reads the run once.

  // Stores `local_file` as <artifact_path>/<its file name>.
  void log_artifact(const std::string& run_id, const std::filesystem::path& local_file,
                    const std::string& artifact_path = "");
  // Stores every file below `local_dir` (recursively) under `artifact_path`, keeping relative paths.
  void log_artifacts(const std::string& run_id, const std::filesystem::path& local_dir,
                     const std::string& artifact_path = "");
  // Stores `text` as the file `artifact_file` (e.g. "notes/summary.txt").
  void log_text(const std::string& run_id, const std::string& text, const std::string& artifact_file);
  // The direct children of `path`, with run-relative paths (the tracking API's artifacts/list).
  std::vector<FileInfo> list_artifacts(const std::string& run_id, const std::string& path = "");
  // Downloads `path` (a file, or a directory with everything below it; "" the
  // whole run) into the directory `local_dst`, creating it. Returns the local
  // path of what was downloaded. Files are written under a temporary name and
  // renamed when complete.
  std::filesystem::path download_artifacts(const std::string& run_id, const std::string& path,
                                           const std::filesystem::path& local_dst);
  // The same for a URI: runs:/<run_id>/<path>, mlflow-artifacts:/..., a local path or file:// URI.
  std::filesystem::path download_artifacts_from_uri(const std::string& artifact_uri,
                                                    const std::filesystem::path& local_dst);

  // --- Models (MLmodel directories, <mlflowcpp/model.hpp>) ----------------------
  // Logs the model in `local_dir` plus an `MLmodel` file written from `info`
  // (MLflow's YAML format, with the model's id or a fresh uuid, the run id and
  // the creation time). `local_dir` itself is not changed.
  //
  // Against an MLflow 3 server, as MLflow 3's Python client does: creates a
  // logged model named `artifact_path` in the run's experiment with the run as
  // its source (params: the run's, then options.params), links it to the run at
  // options.step (runs/outputs), uploads the files to the model's artifact_uri
  // and finalizes it LOGGED_MODEL_READY, or LOGGED_MODEL_UPLOAD_FAILED when the
  // upload fails (the upload's error is then thrown). Returns "models:/<model_id>".
  //
  // Against an older server (POST logged-models answers ENDPOINT_NOT_FOUND; the
  // client remembers that, and its copies share the answer): uploads to
  // <artifact_path> in the run's artifacts and records the model in the run
  // (runs/log-model, the `mlflow.log-model.history` tag); `options` are not
  // sent. Returns "runs:/<run_id>/<artifact_path>". The same happens, without
  // being remembered, when an MLflow 3 server's database still has MLflow 2.9's
  // schema (NOT_IMPLEMENTED or INVALID_STATE).
  std::string log_model(const std::string& run_id, const std::filesystem::path& local_dir,
                        const std::string& artifact_path, const ModelInfo& info,
                        const LogModelOptions& options = {});
  // Registers the model at `source` as a new version of the registered model
  // `name`, creating the registered model when it does not exist yet. A
  // runs:/<run_id>/<path> source is stored as the run's artifact URI + path,
  // with the version's run_id set. A models:/<model_id> source (MLflow 3) is
  // sent as it is, with the version's model_id; the server sets the version's
  // run_id to the logged model's source run. Waits (polling) until the version leaves
  // PENDING_REGISTRATION; DEADLINE_EXCEEDED when that takes longer than
  // `timeout`, INTERNAL_ERROR when the registration failed.
  ModelVersion register_model(const std::string& source, const std::string& name,
                              std::chrono::milliseconds timeout = std::chrono::minutes(5));
  // Downloads the files of the model a models:/ URI names (resolve_model_uri, models:/<model_id> too),
  // or of any artifact URI, into the directory `local_dst`; returns the local path.
  std::string download_model(const std::string& model_uri, const std::string& local_dst);

  // Called as artifact files move (bytes done and the file's size, per file)
  // by log_artifact(s), download_artifacts and the model calls of this client
  // and its later copies. Empty: no reports. May be called while other threads
  // use the client: a transfer keeps the callback it started with.
  void set_artifact_progress_callback(ArtifactProgressCallback callback);

 private:
  // The callback for a transfer starting now (empty when none is set).
  ArtifactProgressCallback artifact_progress() const;
  // Before a call that must see what was logged: waits until the queue has been sent.
  void wait_for_queued_logging() const;

  std::shared_ptr<Connection> connection_;
  // Whether the server has MLflow 3's logged models, once log_model found out;
  // shared by copies, which talk to the same server.
  std::shared_ptr<client::ServerFeatures> server_features_;
  // Replaced whole and read with std::atomic_load/atomic_store, so setting it
  // never races with a transfer reading it. Null only in a moved-from client.
  std::shared_ptr<const ArtifactProgressCallback> artifact_progress_;
  // Null when logging synchronously; shared by copies.
  std::shared_ptr<client::AsyncLogger> async_logger_;
};

// The asynchronous logging settings ClientOptions and the environment give
// (the buffering time; the rest at their defaults).
MLFLOWCPP_EXPORT AsyncLoggingOptions async_logging_options(const ResolvedClientOptions& options);

// Epoch milliseconds now, the timestamp MLflow uses everywhere.
MLFLOWCPP_EXPORT int64_t now_epoch_millis();

}  // namespace mlflowcpp
