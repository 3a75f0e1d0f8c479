#include "client/sync/experiment_sync.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mlflowcpp::client::sync {
namespace {

std::vector<ExperimentTag> copyable_tags(const Experiment& experiment) {
  std::vector<ExperimentTag> tags;
  for (const auto& tag : experiment.tags) {
    if (tag.key.rfind(kSyncTagPrefix, 0) != 0) tags.push_back(tag);
  }
  return tags;
}

}  // namespace

std::vector<Experiment> source_experiments(SyncContext& context) {
  if (context.options.experiment_names.empty()) return context.from.search_all_experiments();
  std::vector<Experiment> experiments;
  for (const auto& name : context.options.experiment_names) {
    std::optional<Experiment> found = context.from.get_experiment_by_name(name);
    if (!found) {
      context.report.failures.push_back({fmt::format("experiment '{}'", name), "the source has no such experiment"});
    } else if (found->lifecycle_stage != LifecycleStage::kActive) {
      context.report.failures.push_back({fmt::format("experiment '{}'", name),
                                         "the experiment is deleted on the source; only active ones are copied"});
    } else if (std::none_of(experiments.begin(), experiments.end(),
                            [&](const Experiment& e) { return e.experiment_id == found->experiment_id; })) {
      experiments.push_back(std::move(*found));
    }
  }
  return experiments;
}

std::optional<std::string> target_experiment(SyncContext& context, const Experiment& source) {
  const std::string what = fmt::format("experiment '{}'", source.name);
  const std::vector<ExperimentTag> tags = copyable_tags(source);
  std::optional<Experiment> existing = context.to.get_experiment_by_name(source.name);
  if (!existing) {
    if (context.options.dry_run) {
      ++context.report.copied.experiments_created;
      context.report.created.push_back({"experiment", source.name, "", "would be created"});
      return std::string();
    }
    try {
      std::string id = context.to.create_experiment(source.name, "", tags);
      ++context.report.copied.experiments_created;
      context.report.created.push_back({"experiment", source.name, id, ""});
      return id;
    } catch (const MlflowException& error) {
      if (error.code() != ErrorCode::kResourceAlreadyExists) throw;
      existing = context.to.get_experiment_by_name(source.name);  // created by someone else meanwhile
      if (!existing) throw;
    }
  }
  if (existing->lifecycle_stage != LifecycleStage::kActive) {
    context.report.failures.push_back(
        {what, "the target has this experiment deleted: restore or rename it there, then sync again"});
    return std::nullopt;
  }
  int added = 0;
  for (const auto& tag : tags) {
    const bool present = std::any_of(existing->tags.begin(), existing->tags.end(),
                                     [&](const ExperimentTag& t) { return t.key == tag.key; });
    if (present) continue;
    if (!context.options.dry_run) context.to.set_experiment_tag(existing->experiment_id, tag.key, tag.value);
    ++added;
  }
  if (added > 0) {
    context.report.updated.push_back(
        {"experiment", source.name, existing->experiment_id, fmt::format("{} tags", added)});
  }
  return existing->experiment_id;
}

}  // namespace mlflowcpp::client::sync
