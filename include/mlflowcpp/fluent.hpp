#pragma once

// The fluent layer for training loops: start_run() returns an ActiveRun that
// ends its run when it goes out of scope. Built only on MlflowClient.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace mlflowcpp {

namespace client {
class SystemMetricsSampler;
}

struct StartRunOptions {
  // The experiment, the first of: experiment_id; experiment_name (created when
  // missing); MLFLOW_EXPERIMENT_NAME (created when missing; must agree with
  // MLFLOW_EXPERIMENT_ID when both are set); MLFLOW_EXPERIMENT_ID; the Default
  // experiment "0".
  std::optional<std::string> experiment_id;
  std::optional<std::string> experiment_name;
  // Resume this run instead of creating one. Unset: MLFLOW_RUN_ID, except for nested runs.
  std::optional<std::string> run_id;
  std::string run_name;  // empty: the server picks one
  // Makes this a nested run: tagged mlflow.parentRunId.
  std::optional<std::string> parent_run_id;
  std::vector<RunTag> tags;  // on top of the system tags; a user tag wins over a system tag
  std::string description;   // stored as the tag mlflow.note.content
  // Log MLflow's system metrics (system/cpu_utilization_percentage, ...) while
  // the run lasts, from a thread of their own. Unset:
  // MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING. See README.md, "System metrics".
  std::optional<bool> log_system_metrics;
  // Log this run's metrics, params and tags in the background (true) or in
  // the calling thread (false). Unset: as the client does (MLFLOW_ENABLE_ASYNC_LOGGING).
  std::optional<bool> async_logging;
  // Where unset settings come from; unset: the process environment.
  EnvironmentLookup environment;
};

class ActiveRun;
MLFLOWCPP_EXPORT ActiveRun start_run(MlflowClient client, StartRunOptions options);

// A run in progress, ended exactly once: by end()/kill(), or by the destructor.
// The destructor ends it FINISHED on a normal scope exit and FAILED when the
// scope is left by an exception. "Left by an exception" compares
// std::uncaught_exceptions() with its value when the run started, so a run
// started inside a catch block or inside a destructor during unwinding still
// ends FINISHED when its own scope exits normally.
//
// With system metrics on (StartRunOptions::log_system_metrics), ending the run
// stops their sampling first, without waiting out the sampling interval.
//
// Logging methods throw MlflowException like MlflowClient does. With
// asynchronous logging they queue and return, and what failed in the background
// is thrown by flush() or end(), which sends the queue before ending the run.
// The destructor never throws: if ending the run (or sending its queue) fails
// it reports the failure on stderr.
//
// @par Thread Safety
// The logging methods may be called from many threads at once. end(), kill(),
// moves and destruction must not race with other calls on the same object.
//
// @par Example
// @code
//   mlflowcpp::StartRunOptions options;
//   options.run_name = "baseline";
//   mlflowcpp::ActiveRun run = mlflowcpp::start_run(options);
//   run.log_param("lr", 0.01);
//   for (int step = 0; step < 100; ++step) run.log_metric("loss", train_one_epoch(), step);
//   // Leaving the scope ends the run FINISHED, or FAILED if train_one_epoch() threw.
// @endcode
class MLFLOWCPP_EXPORT ActiveRun {
 public:
  ActiveRun(MlflowClient client, RunInfo info, int uncaught_exceptions_at_start);
  ~ActiveRun();
  ActiveRun(const ActiveRun&) = delete;
  ActiveRun& operator=(const ActiveRun&) = delete;
  ActiveRun(ActiveRun&& other) noexcept;
  // Ends this run (as the destructor would) before taking over the other one.
  ActiveRun& operator=(ActiveRun&& other) noexcept;

  const std::string& run_id() const noexcept { return info_.run_id; }
  const std::string& experiment_id() const noexcept { return info_.experiment_id; }
  // As the server described the run when it started (or when it ended, after end()).
  const RunInfo& info() const noexcept { return info_; }
  MlflowClient& client() noexcept { return client_; }
  bool ended() const noexcept { return ended_; }

  // Step before timestamp, as in MLflow's Python API and MetricOptions.
  void log_metric(const std::string& key, double value, int64_t step = 0,
                  std::optional<int64_t> timestamp = std::nullopt);
  void log_metric(const std::string& key, double value, const MetricOptions& options);
  // All values at one step and one timestamp, in as few requests as the limits allow.
  void log_metrics(const std::map<std::string, double>& metrics, int64_t step = 0);
  void log_param(const std::string& key, const std::string& value);
  void log_param(const std::string& key, const char* value) { log_param(key, std::string(value)); }
  // Numbers and booleans as MLflow's Python client would print them ("0.01", "32", "true").
  template <typename Number, typename = std::enable_if_t<std::is_arithmetic_v<Number>>>
  void log_param(const std::string& key, Number value) {
    log_param(key, format_param_value(value));
  }
  void log_params(const std::map<std::string, std::string>& params);
  void set_tag(const std::string& key, const std::string& value);
  void set_tags(const std::map<std::string, std::string>& tags);
  void delete_tag(const std::string& key);
  void log_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params = {},
                 const std::vector<RunTag>& tags = {});
  void log_inputs(const std::vector<DatasetInput>& datasets);

  // A child run, tagged mlflow.parentRunId = this run, in this run's experiment
  // unless `options` name another.
  ActiveRun start_nested_run(StartRunOptions options = {});

  // Blocks until everything logged so far has reached the server; throws what
  // failed since the last flush (see MlflowClient::flush()).
  void flush() { client_.flush(); }

  // Sends what is queued, then ends the run now with `status`; later calls do
  // nothing. The run is ended even when sending failed; that failure is thrown afterwards.
  void end(RunStatus status = RunStatus::kFinished);
  // Ends the run KILLED.
  void kill() { end(RunStatus::kKilled); }

 private:
  static std::string format_param_value(bool value) { return value ? "True" : "False"; }
  static std::string format_param_value(double value);
  static std::string format_param_value(long long value);
  static std::string format_param_value(unsigned long long value);
  template <typename Number>
  static std::string format_param_value(Number value) {
    if constexpr (std::is_floating_point_v<Number>) {
      return format_param_value(static_cast<double>(value));
    } else if constexpr (std::is_signed_v<Number>) {
      return format_param_value(static_cast<long long>(value));
    } else {
      return format_param_value(static_cast<unsigned long long>(value));
    }
  }
  void end_on_scope_exit() noexcept;

  // start_run attaches the system metrics sampler.
  friend ActiveRun start_run(MlflowClient client, StartRunOptions options);

  MlflowClient client_;
  RunInfo info_;
  int uncaught_exceptions_at_start_ = 0;
  bool ended_ = false;
  std::unique_ptr<client::SystemMetricsSampler> system_metrics_;  // null when off or once ended
};

// Starts (or resumes, see StartRunOptions::run_id) a run with the system tags
// the official client sets: mlflow.user, mlflow.source.name, mlflow.source.type,
// mlflow.source.git.commit (inside a git work tree), mlflow.runName (when named),
// mlflow.parentRunId (nested).
MLFLOWCPP_EXPORT ActiveRun start_run(StartRunOptions options = {});
// The same over a given client.
MLFLOWCPP_EXPORT ActiveRun start_run(MlflowClient client, StartRunOptions options = {});

// The experiment a new run goes to, resolved as documented on StartRunOptions
// (creating an experiment named by option or environment when missing).
MLFLOWCPP_EXPORT std::string resolve_experiment_id(MlflowClient& client, const StartRunOptions& options);

}  // namespace mlflowcpp
