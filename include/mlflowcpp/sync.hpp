#pragma once

// Copying runs from one tracking store to another: runs tracked offline (into a
// local store, or a server that is going away) uploaded to an MLflow server
// later. Both sides are plain MlflowClients, so any pair of stores works.
//
// What is copied: active experiments (by name, created on the target with their
// tags when missing) and their active runs (run name, user, status, start and end
// time, params, tags, every metric point, dataset inputs, every artifact file),
// and registered models with their versions (tags, aliases, descriptions, stage),
// each version pointing at the copy of its run. Deleted runs, experiments and
// model versions, logged models (MLflow 3) and traces are not copied.
//
// Idempotent and resumable: every target run carries the tags kSyncSourceRunIdTag
// and kSyncSourceTag from the call that creates it, so a later sync finds it and
// sends only what it lacks (metric points compared as a multiset of (key, step,
// timestamp, value); artifacts by path and size). A sync stopped at any point and
// started again completes without duplicates.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace mlflowcpp {

// On a target run: the id of the run it copies, and the identity of the store that run is in.
inline constexpr const char* kSyncSourceRunIdTag = "mlflowcpp.sync.source_run_id";
inline constexpr const char* kSyncSourceTag = "mlflowcpp.sync.source";
// On a source run, once it is fully copied: kSyncTargetRunIdTagPrefix + "." + sync_target_key(target identity),
// valued with the target run's id (one tag per target, so one source may be synced to several servers).
inline constexpr const char* kSyncTargetRunIdTagPrefix = "mlflowcpp.sync.target_run_id";
// On a target model version: "<source model name>/<source version>".
inline constexpr const char* kSyncSourceVersionTag = "mlflowcpp.sync.source_version";
// Tags below this prefix are the sync's own bookkeeping: never copied.
inline constexpr const char* kSyncTagPrefix = "mlflowcpp.sync.";

// How far a sync has got; handed to SyncOptions::on_progress.
struct SyncProgress {
  int64_t runs_done = 0;
  int64_t runs_total = 0;
  int64_t points = 0;  // metric points sent (or, in a dry run, to be sent)
  int64_t bytes = 0;   // artifact bytes uploaded
  double seconds = 0;  // since the sync started
  double points_per_second = 0;
};

struct SyncOptions {
  // Experiments to copy, by name; empty: every active experiment of the source.
  std::vector<std::string> experiment_names;
  // Reads both sides and reports what would be copied; writes nothing on either.
  bool dry_run = false;
  // log-batch requests (and artifact files) in flight at once; at least 1.
  int parallelism = 4;
  // Stable names of the two stores (a tracking URI without credentials). Empty:
  // the tracking URI of a connection made by make_connection(), credentials removed.
  std::string source_identity;
  std::string target_identity;
  // Called from the calling thread as the sync advances; empty: no reports.
  std::function<void(const SyncProgress&)> on_progress;
};

// One thing the sync acted on. `kind`: "experiment", "run", "registered_model" or "model_version".
struct SyncEntry {
  std::string kind;
  std::string source;  // the experiment or model name, the run id, "<model>/<version>"
  std::string target;  // its counterpart on the target (empty when not created)
  std::string detail;  // e.g. "120 points, 2 files"
};

struct SyncFailure {
  std::string what;  // e.g. "run 3f2a... (experiment 'train')"
  std::string why;
};

// Totals of what was copied (or, in a dry run, would be).
struct SyncCounts {
  int64_t experiments_created = 0;
  int64_t runs_created = 0;
  int64_t runs_updated = 0;
  int64_t runs_unchanged = 0;
  int64_t metric_points = 0;
  int64_t params = 0;
  int64_t tags = 0;
  int64_t dataset_inputs = 0;
  int64_t artifact_files = 0;
  int64_t artifact_bytes = 0;
  int64_t registered_models_created = 0;
  int64_t model_versions_created = 0;
};

struct SyncReport {
  std::vector<SyncEntry> created;
  std::vector<SyncEntry> updated;
  std::vector<SyncEntry> skipped;  // already complete on the target, or not copyable (with the reason)
  std::vector<SyncFailure> failures;
  std::vector<std::string> warnings;  // things that did not stop the copy (e.g. the source refused the bookkeeping tag)
  SyncCounts copied;
  bool dry_run = false;

  bool ok() const { return failures.empty(); }
  // Nothing was (or would be) written to the target.
  bool nothing_copied() const { return created.empty() && updated.empty(); }
};

// Copies from `from` to `to` as described at the top of this header. A failure of
// one run or model is recorded in the report and the others go on; only problems
// with the options (no identity for a side, an unknown experiment name is a
// failure entry instead) throw MlflowException (INVALID_PARAMETER_VALUE).
MLFLOWCPP_EXPORT SyncReport sync_runs(MlflowClient& from, MlflowClient& to, const SyncOptions& options = {});

// The identity of a store for the bookkeeping tags: its URI with any user name,
// password or token removed ("http://u:p@host:5000/" -> "http://host:5000").
MLFLOWCPP_EXPORT std::string sync_store_identity(const std::string& tracking_uri);

// The short key that tells targets apart in the source's bookkeeping tag: eight
// hex digits of a fixed hash (FNV-1a, 32 bits) of the target's identity.
MLFLOWCPP_EXPORT std::string sync_target_key(const std::string& target_identity);

}  // namespace mlflowcpp
