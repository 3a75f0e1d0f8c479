#include <mlflowcpp/fluent.hpp>

#include "client/system_metrics/system_metrics_sampler.hpp"
#include "client/system_metrics/system_metrics_settings.hpp"
#include "client/system_tags.hpp"

#include <exception>

namespace mlflowcpp {
namespace {

std::optional<std::string> non_empty(const EnvironmentLookup& environment, const char* variable) {
  auto value = environment(variable);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// The id of the experiment with that name, created when there is none.
std::string get_or_create_experiment(MlflowClient& client, const std::string& name) {
  auto fetch = [&]() -> std::optional<std::string> {
    auto experiment = client.get_experiment_by_name(name);
    if (!experiment) return std::nullopt;
    if (experiment->lifecycle_stage == LifecycleStage::kDeleted) {
      throw invalid_parameter("Experiment '" + name + "' (id " + experiment->experiment_id +
                              ") is deleted: restore it or choose another name");
    }
    return experiment->experiment_id;
  };
  if (auto id = fetch()) return *id;
  try {
    return client.create_experiment(name);
  } catch (const MlflowException& error) {
    // Another process created it between our lookup and our create.
    if (error.code() != ErrorCode::kResourceAlreadyExists) throw;
    if (auto id = fetch()) return *id;
    throw;
  }
}

// Later tags replace earlier ones with the same key.
void put_tag(std::vector<RunTag>& tags, const std::string& key, const std::string& value) {
  for (auto& tag : tags) {
    if (tag.key == key) {
      tag.value = value;
      return;
    }
  }
  tags.push_back({key, value});
}

ActiveRun resume_run(MlflowClient& client, const std::string& run_id, const StartRunOptions& options,
                     int uncaught_exceptions) {
  Run run = client.get_run(run_id);
  if (run.info.lifecycle_stage == LifecycleStage::kDeleted) {
    throw invalid_parameter("Cannot resume run " + run_id + ": it is deleted");
  }
  if (options.experiment_id && *options.experiment_id != run.info.experiment_id) {
    throw invalid_parameter("Run " + run_id + " belongs to experiment " + run.info.experiment_id +
                            ", not to the requested experiment " + *options.experiment_id);
  }
  std::vector<RunTag> tags;
  if (options.parent_run_id) put_tag(tags, "mlflow.parentRunId", *options.parent_run_id);
  if (!options.description.empty()) put_tag(tags, "mlflow.note.content", options.description);
  for (const auto& tag : options.tags) put_tag(tags, tag.key, tag.value);
  client.log_batch(run_id, {}, {}, tags);

  UpdateRunRequest update;
  update.status = RunStatus::kRunning;
  if (!options.run_name.empty()) update.run_name = options.run_name;
  RunInfo info = client.update_run(run_id, update);
  return ActiveRun(client, info, uncaught_exceptions);
}

}  // namespace

std::string resolve_experiment_id(MlflowClient& client, const StartRunOptions& options) {
  if (options.experiment_id) return *options.experiment_id;
  if (options.experiment_name) return get_or_create_experiment(client, *options.experiment_name);

  const EnvironmentLookup& environment = options.environment ? options.environment : process_environment();
  auto id_from_environment = non_empty(environment, "MLFLOW_EXPERIMENT_ID");
  if (auto name = non_empty(environment, "MLFLOW_EXPERIMENT_NAME")) {
    std::string id = get_or_create_experiment(client, *name);
    if (id_from_environment && *id_from_environment != id) {
      throw invalid_parameter("MLFLOW_EXPERIMENT_NAME '" + *name + "' names experiment " + id +
                              " but MLFLOW_EXPERIMENT_ID is " + *id_from_environment);
    }
    return id;
  }
  if (id_from_environment) {
    try {
      return client.get_experiment(*id_from_environment).experiment_id;
    } catch (const MlflowException& error) {
      if (error.code() != ErrorCode::kResourceDoesNotExist) throw;
      throw invalid_parameter("MLFLOW_EXPERIMENT_ID names experiment " + *id_from_environment +
                              ", which does not exist");
    }
  }
  return "0";  // the Default experiment every server has
}

ActiveRun start_run(StartRunOptions options) {
  if (!options.environment) options.environment = process_environment();
  MlflowClient client(make_connection(resolve_client_options(ClientOptions{}, options.environment)));
  return start_run(std::move(client), std::move(options));
}

ActiveRun start_run(MlflowClient client, StartRunOptions options) {
  // The destructor compares against this count to tell a normal scope exit from unwinding.
  int uncaught_exceptions = std::uncaught_exceptions();
  if (!options.environment) options.environment = process_environment();
  const EnvironmentLookup& environment = options.environment;
  if (options.async_logging && *options.async_logging != client.async_logging()) {
    if (*options.async_logging) {
      const ResolvedClientOptions* resolved = client.connection()->resolved_options();
      client.enable_async_logging(resolved ? async_logging_options(*resolved) : AsyncLoggingOptions{});
    } else {
      client.disable_async_logging();
    }
  }

  // MLFLOW_RUN_ID names the program's own run, never a child's.
  std::optional<std::string> resume_id = options.run_id;
  if (!resume_id && !options.parent_run_id) resume_id = non_empty(environment, "MLFLOW_RUN_ID");
  // Settled before the first request, so a malformed variable creates no run.
  auto system_metrics =
      client::system_metrics::resolve_system_metrics_settings(options.log_system_metrics, environment);
  auto with_system_metrics = [&](ActiveRun run) {
    if (system_metrics) {
      run.system_metrics_ = std::make_unique<client::SystemMetricsSampler>(run.client_, run.run_id(), *system_metrics,
                                                                           resume_id.has_value());
    }
    return run;
  };
  if (resume_id) return with_system_metrics(resume_run(client, *resume_id, options, uncaught_exceptions));

  std::string experiment_id = resolve_experiment_id(client, options);
  std::vector<RunTag> tags = client::system_tags(environment);
  if (!options.run_name.empty()) put_tag(tags, "mlflow.runName", options.run_name);
  if (options.parent_run_id) put_tag(tags, "mlflow.parentRunId", *options.parent_run_id);
  if (!options.description.empty()) put_tag(tags, "mlflow.note.content", options.description);
  for (const auto& tag : options.tags) put_tag(tags, tag.key, tag.value);

  CreateRunRequest request;
  request.experiment_id = experiment_id;
  request.run_name = options.run_name;
  request.tags = std::move(tags);
  Run run = client.create_run(request);
  return with_system_metrics(ActiveRun(std::move(client), std::move(run.info), uncaught_exceptions));
}

}  // namespace mlflowcpp
