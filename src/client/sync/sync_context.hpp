#pragma once

// What the parts of one sync share: both clients, the options, the report, the
// progress counters, the worker threads and the runs copied so far.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/sync.hpp>

#include "client/sync/bounded_workers.hpp"
#include "client/sync/progress_meter.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace mlflowcpp::client::sync {

// A source run and its copy, for what refers to runs: nested runs' parent tags and model versions.
struct RunMapping {
  std::string target_run_id;  // empty in a dry run when the copy does not exist yet
  std::string source_artifact_uri;
  std::string target_artifact_uri;
};

struct SyncContext {
  SyncContext(MlflowClient& from_client, MlflowClient& to_client, const SyncOptions& sync_options, std::string source,
              std::string target, SyncReport& sync_report, ProgressMeter& meter, BoundedWorkers& worker_threads,
              std::filesystem::path scratch)
      : from(from_client),
        to(to_client),
        options(sync_options),
        source_identity(std::move(source)),
        target_identity(std::move(target)),
        report(sync_report),
        progress(meter),
        workers(worker_threads),
        scratch_dir(std::move(scratch)) {}

  MlflowClient& from;
  MlflowClient& to;
  const SyncOptions& options;
  std::string source_identity;
  std::string target_identity;
  SyncReport& report;
  ProgressMeter& progress;
  BoundedWorkers& workers;
  // Where artifact files wait between download and upload, each in a numbered slot of its own.
  std::filesystem::path scratch_dir;
  uint64_t next_scratch_slot = 0;
  // Source run id -> its copy, for every run of the synced experiments.
  std::map<std::string, RunMapping> runs;
  // Whether a warning that the source refuses writes was given already.
  bool warned_source_read_only = false;

  std::function<void()> tick() {
    return [this] { progress.report(); };
  }
};

// Experiment ids of the target by source experiment id, for the runs to go into (empty in a dry run when the
// experiment does not exist on the target yet).
using ExperimentMap = std::map<std::string, std::string>;

}  // namespace mlflowcpp::client::sync
