// sync_runs(): the order of a sync. Experiments first (the runs need their ids on the target), then the runs of
// each, parents before their nested runs (whose parent tag must name the parent's copy), then the registered
// models (whose versions must name the runs' copies).

#include <mlflowcpp/sync.hpp>

#include "client/sync/experiment_sync.hpp"
#include "client/sync/model_sync.hpp"
#include "client/sync/run_sync.hpp"
#include "client/sync/scratch_directory.hpp"
#include "client/sync/sync_context.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <system_error>

namespace mlflowcpp {
namespace {

using client::sync::SyncContext;

std::string identity_of(const std::string& given, const MlflowClient& client, const char* side) {
  if (!given.empty()) return given;
  const ResolvedClientOptions* resolved = client.connection()->resolved_options();
  if (!resolved) {
    throw invalid_parameter(
        fmt::format("sync: the {} connection has no tracking URI; name the store in "
                    "SyncOptions::{}_identity",
                    side, side));
  }
  return sync_store_identity(resolved->tracking_uri);
}

// One cheap read on each side, so that an unreachable or refusing store is one clear failure, not one per run.
bool both_sides_answer(SyncContext& context) {
  SearchExperimentsRequest probe;
  probe.max_results = 1;
  bool ok = true;
  for (auto [client, side] : {std::pair<MlflowClient*, const char*>{&context.from, "source"},
                              std::pair<MlflowClient*, const char*>{&context.to, "target"}}) {
    try {
      client->search_experiments(probe);
    } catch (const std::exception& error) {
      context.report.failures.push_back(
          {fmt::format("the {} ({})", side,
                       side == std::string("source") ? context.source_identity : context.target_identity),
           error.what()});
      ok = false;
    }
  }
  return ok;
}

void sync_experiment_runs(SyncContext& context, const Experiment& experiment, const std::vector<Run>& runs) {
  std::optional<std::string> target_experiment_id;
  try {
    target_experiment_id = client::sync::target_experiment(context, experiment);
  } catch (const std::exception& error) {
    context.report.failures.push_back({fmt::format("experiment '{}'", experiment.name), error.what()});
  }
  if (!target_experiment_id) {
    for (std::size_t i = 0; i < runs.size(); ++i) context.progress.run_done();
    return;
  }
  std::map<std::string, std::string> copies;
  if (!target_experiment_id->empty()) copies = client::sync::find_copies(context, *target_experiment_id);
  for (const auto& run : runs) {
    try {
      auto copy = copies.find(run.info.run_id);
      client::sync::sync_run(context, run, *target_experiment_id,
                             copy == copies.end() ? std::nullopt : std::optional<std::string>(copy->second));
    } catch (const std::exception& error) {
      context.report.failures.push_back(
          {fmt::format("run {} (experiment '{}')", run.info.run_id, experiment.name), error.what()});
    }
    context.progress.run_done();
    context.progress.report();
  }
}

}  // namespace

SyncReport sync_runs(MlflowClient& from, MlflowClient& to, const SyncOptions& options) {
  if (options.parallelism < 1) throw invalid_parameter("sync: parallelism must be at least 1");
  const std::string source_identity = identity_of(options.source_identity, from, "source");
  const std::string target_identity = identity_of(options.target_identity, to, "target");
  if (source_identity == target_identity) {
    throw invalid_parameter("sync: the source and the target are the same store (" + source_identity + ")");
  }
  // Copies that log synchronously, whatever the environment says: every request's outcome is needed here.
  MlflowClient source = from;
  MlflowClient target = to;
  source.disable_async_logging();
  target.disable_async_logging();

  SyncReport report;
  report.dry_run = options.dry_run;
  client::sync::ProgressMeter progress(options.on_progress);
  const auto scratch = client::sync::ScratchDirectory::in_temp_directory();
  client::sync::BoundedWorkers workers(options.parallelism);
  SyncContext context(source, target, options, source_identity, target_identity, report, progress, workers,
                      scratch.path());
  if (!both_sides_answer(context)) return report;

  struct ExperimentRuns {
    Experiment experiment;
    std::vector<Run> runs;
  };
  std::vector<ExperimentRuns> plan;
  try {
    for (auto& experiment : client::sync::source_experiments(context)) {
      SearchRunsRequest request;
      request.experiment_ids = {experiment.experiment_id};
      std::vector<Run> runs = client::sync::parents_first(source.search_all_runs(request));
      plan.push_back({std::move(experiment), std::move(runs)});
    }
  } catch (const std::exception& error) {
    report.failures.push_back({"the source's experiments and runs", error.what()});
    return report;
  }
  int64_t total = 0;
  for (const auto& entry : plan) total += int64_t(entry.runs.size());
  progress.set_runs_total(total);
  progress.report(true);

  for (const auto& entry : plan) sync_experiment_runs(context, entry.experiment, entry.runs);
  client::sync::sync_registered_models(context, options.experiment_names.empty());
  progress.report(true);
  return report;
}

}  // namespace mlflowcpp
