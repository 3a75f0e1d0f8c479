#include "client/sync/run_sync.hpp"

#include "client/log_batch_planner.hpp"
#include "client/sync/artifact_sync.hpp"
#include "client/sync/metric_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <set>
#include <unordered_map>

namespace mlflowcpp::client::sync {
namespace {

constexpr const char* kParentRunIdTag = "mlflow.parentRunId";
constexpr const char* kUserTag = "mlflow.user";
constexpr int64_t kHistoryPageSize = 200000;

bool is_bookkeeping(const std::string& key) { return key.rfind(kSyncTagPrefix, 0) == 0; }

// The tags the copy must carry: the source's without the sync's own, a parent pointing at the parent's copy.
std::vector<RunTag> expected_tags(const SyncContext& context, const Run& source) {
  std::vector<RunTag> tags;
  for (const auto& tag : source.data.tags) {
    if (is_bookkeeping(tag.key)) continue;
    RunTag copy = tag;
    if (tag.key == kParentRunIdTag) {
      auto parent = context.runs.find(tag.value);
      if (parent != context.runs.end() && !parent->second.target_run_id.empty()) {
        copy.value = parent->second.target_run_id;
      }
    }
    tags.push_back(std::move(copy));
  }
  return tags;
}

// What identifies a dataset input: its dataset and its tags (the context), in a fixed order.
std::string input_identity(const DatasetInput& input) {
  std::vector<std::string> tags;
  for (const auto& tag : input.tags) tags.push_back(tag.key + "=" + tag.value);
  std::sort(tags.begin(), tags.end());
  std::string identity = input.dataset.name + '\n' + input.dataset.digest;
  for (const auto& tag : tags) identity += '\n' + tag;
  return identity;
}

// What one run's sync copied, for the report.
struct RunTally {
  int64_t points = 0;
  int64_t params = 0;
  int64_t tags = 0;
  int64_t inputs = 0;
  ArtifactTally artifacts;
  bool run_fields = false;  // status, end time or name brought up to date

  bool anything() const { return points || params || tags || inputs || artifacts.files || run_fields; }
  std::string describe() const {
    return fmt::format("{} points, {} params, {} tags, {} inputs, {} files ({} bytes)", points, params, tags, inputs,
                       artifacts.files, artifacts.bytes);
  }
};

// Every point of one metric, asked for in one answer (a server that pages anyway is followed page by page): paging
// through a long history costs servers a sort per page.
std::vector<Metric> whole_history(MlflowClient& client, const std::string& run_id, const std::string& key) {
  std::vector<Metric> points;
  std::string page_token;
  do {
    Page<Metric> page = client.get_metric_history_page(run_id, key, kHistoryPageSize, page_token);
    if (points.empty()) {
      points = std::move(page.items);
    } else {
      points.insert(points.end(), std::make_move_iterator(page.items.begin()),
                    std::make_move_iterator(page.items.end()));
    }
    page_token = std::move(page.next_page_token);
  } while (!page_token.empty());
  return points;
}

// Sends the metric points the copy lacks, key by key: the requests of one key go out on the workers while the next
// key's histories are read.
void sync_metrics(SyncContext& context, const Run& source, const std::string& target_run_id, bool copy_is_new,
                  RunTally& tally) {
  for (const auto& latest : source.data.metrics) {
    std::vector<Metric> history = whole_history(context.from, source.info.run_id, latest.key);
    std::vector<Metric> present;
    if (!copy_is_new) present = whole_history(context.to, target_run_id, latest.key);
    std::vector<Metric> missing = missing_points(std::move(history), std::move(present));
    // Logged models are not copied, so the points may not name them on the target.
    for (auto& point : missing) point.model_id.clear(), point.dataset_name.clear(), point.dataset_digest.clear();
    tally.points += int64_t(missing.size());
    if (context.options.dry_run) {
      context.progress.add_points(int64_t(missing.size()));
      continue;
    }
    for (auto& chunk : plan_log_batch(missing, {}, {})) {
      auto points = std::make_shared<std::vector<Metric>>(std::move(chunk.metrics));
      MlflowClient& to = context.to;
      ProgressMeter& progress = context.progress;
      context.workers.submit(
          [&to, &progress, points, target_run_id] {
            to.log_batch(target_run_id, *points);
            progress.add_points(int64_t(points->size()));
          },
          context.tick());
    }
  }
}

void rethrow_first(const std::vector<std::exception_ptr>& errors) {
  if (!errors.empty()) std::rethrow_exception(errors.front());
}

// Records on the source run which run is its copy (per target), unless it says so already.
void record_copy_on_source(SyncContext& context, const Run& source, const std::string& target_run_id) {
  const std::string key = std::string(kSyncTargetRunIdTagPrefix) + "." + sync_target_key(context.target_identity);
  for (const auto& tag : source.data.tags) {
    if (tag.key == key && tag.value == target_run_id) return;
  }
  try {
    context.from.set_tag(source.info.run_id, key, target_run_id);
  } catch (const MlflowException& error) {
    if (!context.warned_source_read_only) {
      context.report.warnings.push_back(
          fmt::format("the source refused the tag {} ({}); runs are still found on the target by their own tags", key,
                      error.what()));
      context.warned_source_read_only = true;
    }
  }
}

}  // namespace

std::map<std::string, std::string> find_copies(SyncContext& context, const std::string& target_experiment_id) {
  SearchRunsRequest request;
  request.experiment_ids = {target_experiment_id};
  // The filter narrows the answer; the check below decides (an identity with quotes is not put into a filter).
  if (context.source_identity.find_first_of("'\"\\`") == std::string::npos) {
    request.filter = fmt::format("tags.`{}` = '{}'", kSyncSourceTag, context.source_identity);
  }
  std::map<std::string, std::string> copies;
  for (const auto& run : context.to.search_all_runs(request)) {
    std::string source_run_id, source_identity;
    for (const auto& tag : run.data.tags) {
      if (tag.key == kSyncSourceRunIdTag) source_run_id = tag.value;
      if (tag.key == kSyncSourceTag) source_identity = tag.value;
    }
    if (source_run_id.empty() || source_identity != context.source_identity) continue;
    // Two copies of one run cannot come from this code (the create is not repeated); keep the first if someone made
    // one anyway.
    copies.emplace(source_run_id, run.info.run_id);
  }
  return copies;
}

std::vector<Run> parents_first(std::vector<Run> runs) {
  std::unordered_map<std::string, std::string> parent_of;
  for (const auto& run : runs) {
    for (const auto& tag : run.data.tags) {
      if (tag.key == kParentRunIdTag) parent_of[run.info.run_id] = tag.value;
    }
  }
  std::set<std::string> present;
  for (const auto& run : runs) present.insert(run.info.run_id);
  // Depth in the nesting among these runs; the walk stops after runs.size() steps, so a cycle cannot hang it.
  auto depth = [&](const std::string& run_id) {
    std::size_t levels = 0;
    std::string current = run_id;
    while (levels <= runs.size()) {
      auto parent = parent_of.find(current);
      if (parent == parent_of.end() || !present.count(parent->second)) break;
      current = parent->second;
      ++levels;
    }
    return levels;
  };
  std::vector<std::pair<std::size_t, std::size_t>> order;  // depth, position
  for (std::size_t i = 0; i < runs.size(); ++i) order.emplace_back(depth(runs[i].info.run_id), i);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Run> sorted;
  sorted.reserve(runs.size());
  for (const auto& [level, position] : order) sorted.push_back(std::move(runs[position]));
  return sorted;
}

void sync_run(SyncContext& context, const Run& listed, const std::string& target_experiment_id,
              const std::optional<std::string>& existing_copy) {
  const bool dry_run = context.options.dry_run;
  // Read again: a search's answer may leave out the inputs.
  const Run source = context.from.get_run(listed.info.run_id);
  const std::vector<RunTag> tags = expected_tags(context, source);
  RunTally tally;
  std::vector<RunTag> changed_tags;  // tags the copy lacks or holds with another value

  Run target;
  const bool copy_is_new = !existing_copy;
  if (existing_copy) {
    target = context.to.get_run(*existing_copy);
  } else if (!dry_run) {
    CreateRunRequest create;
    create.experiment_id = target_experiment_id;
    create.run_name = source.info.run_name;
    create.start_time = source.info.start_time;
    // A creating call's mlflow.user tag also fills the run's user; a source run whose user differs from that tag
    // (MLflow 2.9 servers leave the user empty) gets the tag afterwards, so its copy keeps both as they are.
    for (const auto& tag : tags) {
      if (tag.key == kUserTag && tag.value != source.info.user_id) {
        changed_tags.push_back(tag);
      } else {
        create.tags.push_back(tag);
      }
    }
    // In the creating call itself: there is never a copy the next sync could not find.
    create.tags.push_back({kSyncSourceRunIdTag, source.info.run_id});
    create.tags.push_back({kSyncSourceTag, context.source_identity});
    target = context.to.create_run(create);
    tally.tags += int64_t(tags.size() - changed_tags.size());
  } else {
    tally.tags += int64_t(tags.size());
  }
  const std::string& target_run_id = target.info.run_id;
  RunMapping& mapping = context.runs[source.info.run_id];
  mapping.source_artifact_uri = source.info.artifact_uri;
  mapping.target_run_id = target_run_id;
  mapping.target_artifact_uri = target.info.artifact_uri;

  // Params are written once: the same value is skipped, another value is a conflict the report names.
  std::vector<Param> params;
  std::vector<std::string> conflicts;
  for (const auto& param : source.data.params) {
    auto present = std::find_if(target.data.params.begin(), target.data.params.end(),
                                [&](const Param& p) { return p.key == param.key; });
    if (present == target.data.params.end()) {
      params.push_back(param);
    } else if (present->value != param.value) {
      conflicts.push_back(fmt::format("param '{}' is '{}' on the source but '{}' on the target", param.key, param.value,
                                      present->value));
    }
  }
  if (!copy_is_new) {
    for (const auto& tag : tags) {
      auto present = std::find_if(target.data.tags.begin(), target.data.tags.end(),
                                  [&](const RunTag& t) { return t.key == tag.key; });
      if (present == target.data.tags.end() || present->value != tag.value) changed_tags.push_back(tag);
    }
  }
  tally.params += int64_t(params.size());
  tally.tags += int64_t(changed_tags.size());
  if (!dry_run && (!params.empty() || !changed_tags.empty())) {
    context.to.log_batch(target_run_id, {}, params, changed_tags);
  }

  std::vector<DatasetInput> inputs;
  std::set<std::string> present_inputs;
  for (const auto& input : target.inputs.dataset_inputs) present_inputs.insert(input_identity(input));
  for (const auto& input : source.inputs.dataset_inputs) {
    if (!present_inputs.count(input_identity(input))) inputs.push_back(input);
  }
  tally.inputs += int64_t(inputs.size());
  if (!dry_run && !inputs.empty()) context.to.log_inputs(target_run_id, inputs);

  // Whatever fails below, the workers are drained before this run is left: their tasks refer to it.
  try {
    sync_metrics(context, source, target_run_id, copy_is_new, tally);
    tally.artifacts = sync_artifacts(context, source.info.artifact_uri, target.info.artifact_uri);
  } catch (...) {
    context.workers.wait();
    throw;
  }
  rethrow_first(context.workers.wait(context.tick()));

  // Status and end time last: a copy that reads FINISHED has everything the source had when it finished.
  UpdateRunRequest update;
  if (source.info.status != target.info.status) update.status = source.info.status;
  if (source.info.end_time && source.info.end_time != target.info.end_time) update.end_time = source.info.end_time;
  if (!source.info.run_name.empty() && source.info.run_name != target.info.run_name) {
    update.run_name = source.info.run_name;
  }
  if (update.status || update.end_time || update.run_name) {
    if (!copy_is_new) tally.run_fields = true;
    if (!dry_run) context.to.update_run(target_run_id, update);
  }

  SyncCounts& counts = context.report.copied;
  counts.metric_points += tally.points;
  counts.params += tally.params;
  counts.tags += tally.tags;
  counts.dataset_inputs += tally.inputs;
  counts.artifact_files += tally.artifacts.files;
  counts.artifact_bytes += tally.artifacts.bytes;
  SyncEntry entry{"run", source.info.run_id, target_run_id, tally.describe()};
  if (copy_is_new) {
    ++counts.runs_created;
    context.report.created.push_back(std::move(entry));
  } else if (tally.anything()) {
    ++counts.runs_updated;
    context.report.updated.push_back(std::move(entry));
  } else {
    ++counts.runs_unchanged;
    entry.detail = "complete on the target";
    context.report.skipped.push_back(std::move(entry));
  }

  if (!conflicts.empty()) {
    std::string why = conflicts.front();
    if (conflicts.size() > 1) why += fmt::format(" (and {} more)", conflicts.size() - 1);
    throw invalid_parameter(why);
  }
  if (!dry_run) record_copy_on_source(context, source, target_run_id);
}

}  // namespace mlflowcpp::client::sync
