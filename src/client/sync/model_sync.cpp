#include "client/sync/model_sync.hpp"

#include "client/sync/sync_uris.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace mlflowcpp::client::sync {
namespace {

// A registry filter naming one model (MLflow's grammar quotes strings with ' or ").
std::string name_filter(const std::string& name) {
  const char quote = name.find('\'') == std::string::npos ? '\'' : '"';
  return fmt::format("name = {}{}{}", quote, name, quote);
}

std::string tag_value(const std::vector<ModelVersionTag>& tags, const std::string& key) {
  for (const auto& tag : tags) {
    if (tag.key == key) return tag.value;
  }
  return {};
}

long long version_number(const std::string& version) {
  try {
    return std::stoll(version);
  } catch (const std::exception&) {
    return 0;
  }
}

class ModelCopier {
 public:
  ModelCopier(SyncContext& context, const RegisteredModel& source) : context_(context), source_(source) {}

  // The versions of this model that can be copied (their run was copied, or they name no run), in version order;
  // the others are reported as skipped.
  std::vector<ModelVersion> copyable_versions() {
    std::vector<ModelVersion> versions;
    SearchModelVersionsRequest request;
    request.filter = name_filter(source_.name);
    for (auto& version : context_.from.search_all_model_versions(request)) {
      if (version.status && *version.status != ModelVersionStatus::kReady) continue;
      const std::string run_id = version.run_id.value_or("");
      if (!run_id.empty() && !context_.runs.count(run_id)) {
        context_.report.skipped.push_back({"model_version", source_.name + "/" + version.version, "",
                                           "its run " + run_id + " is not among the synced runs"});
        continue;
      }
      versions.push_back(std::move(version));
    }
    std::sort(versions.begin(), versions.end(), [](const ModelVersion& a, const ModelVersion& b) {
      return version_number(a.version) < version_number(b.version);
    });
    return versions;
  }

  void copy(const std::vector<ModelVersion>& versions) {
    const RegisteredModel full = context_.from.get_registered_model(source_.name);
    std::optional<RegisteredModel> target = ensure_model(full);
    std::map<std::string, ModelVersion> copies;  // source version -> its copy
    if (target) {
      SearchModelVersionsRequest request;
      request.filter = name_filter(source_.name);
      for (auto& version : context_.to.search_all_model_versions(request)) {
        const std::string origin = tag_value(version.tags, kSyncSourceVersionTag);
        const std::string prefix = source_.name + "/";
        if (origin.rfind(prefix, 0) == 0) copies.emplace(origin.substr(prefix.size()), std::move(version));
      }
    }
    std::map<std::string, std::string> version_map;  // source version -> target version
    for (const auto& version : versions) {
      auto found = copies.find(version.version);
      if (found != copies.end()) {
        version_map[version.version] = found->second.version;
        update_version(version, found->second);
      } else {
        version_map[version.version] = create_version(version);
      }
    }
    sync_aliases(full, target, version_map);
  }

 private:
  // The target's model, created when missing; its tags and description brought up to date. nullopt in a dry run
  // when it would be created.
  std::optional<RegisteredModel> ensure_model(const RegisteredModel& full) {
    std::optional<RegisteredModel> target;
    try {
      target = context_.to.get_registered_model(full.name);
    } catch (const MlflowException& error) {
      if (error.code() != ErrorCode::kResourceDoesNotExist) throw;
    }
    if (!target) {
      ++context_.report.copied.registered_models_created;
      if (context_.options.dry_run) {
        context_.report.created.push_back({"registered_model", full.name, "", "would be created"});
        return std::nullopt;
      }
      try {
        target = context_.to.create_registered_model(full.name, full.tags, full.description.value_or(""));
        context_.report.created.push_back({"registered_model", full.name, full.name, ""});
        return target;
      } catch (const MlflowException& error) {
        if (error.code() != ErrorCode::kResourceAlreadyExists) throw;
        --context_.report.copied.registered_models_created;
        target = context_.to.get_registered_model(full.name);  // created by someone else meanwhile
      }
    }
    int changes = 0;
    for (const auto& tag : full.tags) {
      auto present = std::find_if(target->tags.begin(), target->tags.end(),
                                  [&](const RegisteredModelTag& t) { return t.key == tag.key; });
      if (present != target->tags.end() && present->value == tag.value) continue;
      ++changes;
      if (!context_.options.dry_run) context_.to.set_registered_model_tag(full.name, tag.key, tag.value);
    }
    if (full.description && full.description != target->description) {
      ++changes;
      if (!context_.options.dry_run) context_.to.update_registered_model(full.name, *full.description);
    }
    if (changes > 0) {
      context_.report.updated.push_back({"registered_model", full.name, full.name, fmt::format("{} changes", changes)});
    }
    return target;
  }

  std::string create_version(const ModelVersion& version) {
    const std::string what = source_.name + "/" + version.version;
    ++context_.report.copied.model_versions_created;
    if (context_.options.dry_run) {
      context_.report.created.push_back({"model_version", what, "", "would be created"});
      return {};
    }
    CreateModelVersionRequest create;
    create.name = source_.name;
    create.source = version.source.value_or("");
    const std::string run_id = version.run_id.value_or("");
    if (!run_id.empty()) {
      const RunMapping& run = context_.runs.at(run_id);
      create.run_id = run.target_run_id;
      create.source = rewrite_model_source(
          create.source, {run_id, run.source_artifact_uri, run.target_run_id, run.target_artifact_uri});
    }
    for (const auto& tag : version.tags) {
      if (tag.key.rfind(kSyncTagPrefix, 0) != 0) create.tags.push_back(tag);
    }
    create.tags.push_back({kSyncSourceVersionTag, what});
    create.run_link = version.run_link.value_or("");
    create.description = version.description.value_or("");
    ModelVersion created = context_.to.create_model_version(create);
    const std::string stage = version.current_stage.value_or(kModelStageNone);
    if (stage != kModelStageNone) context_.to.transition_model_version_stage(source_.name, created.version, stage);
    context_.report.created.push_back({"model_version", what, source_.name + "/" + created.version, ""});
    return created.version;
  }

  void update_version(const ModelVersion& version, const ModelVersion& copy) {
    const std::string what = source_.name + "/" + version.version;
    int changes = 0;
    const bool dry_run = context_.options.dry_run;
    for (const auto& tag : version.tags) {
      if (tag.key.rfind(kSyncTagPrefix, 0) == 0 || tag_value(copy.tags, tag.key) == tag.value) continue;
      ++changes;
      if (!dry_run) context_.to.set_model_version_tag(source_.name, copy.version, tag.key, tag.value);
    }
    if (version.description && version.description.value_or("") != copy.description.value_or("")) {
      ++changes;
      if (!dry_run) context_.to.update_model_version(source_.name, copy.version, version.description);
    }
    const std::string stage = version.current_stage.value_or(kModelStageNone);
    if (stage != copy.current_stage.value_or(kModelStageNone)) {
      ++changes;
      if (!dry_run) context_.to.transition_model_version_stage(source_.name, copy.version, stage);
    }
    if (changes > 0) {
      context_.report.updated.push_back(
          {"model_version", what, source_.name + "/" + copy.version, fmt::format("{} changes", changes)});
    } else {
      context_.report.skipped.push_back(
          {"model_version", what, source_.name + "/" + copy.version, "complete on the target"});
    }
  }

  void sync_aliases(const RegisteredModel& full, const std::optional<RegisteredModel>& target,
                    const std::map<std::string, std::string>& version_map) {
    for (const auto& alias : full.aliases) {
      auto mapped = version_map.find(alias.version);
      if (mapped == version_map.end() || mapped->second.empty()) continue;  // its version is not copied (yet)
      const bool present = target && std::any_of(target->aliases.begin(), target->aliases.end(), [&](const auto& a) {
                             return a.alias == alias.alias && a.version == mapped->second;
                           });
      if (present) continue;
      if (!context_.options.dry_run) context_.to.set_registered_model_alias(full.name, alias.alias, mapped->second);
      context_.report.updated.push_back({"registered_model", full.name, full.name,
                                         fmt::format("alias {} -> version {}", alias.alias, mapped->second)});
    }
  }

  SyncContext& context_;
  const RegisteredModel& source_;
};

}  // namespace

void sync_registered_models(SyncContext& context, bool all_models) {
  std::vector<RegisteredModel> models;
  try {
    models = context.from.search_all_registered_models();
  } catch (const std::exception& error) {
    context.report.failures.push_back({"registered models", error.what()});
    return;
  }
  for (const auto& model : models) {
    try {
      ModelCopier copier(context, model);
      std::vector<ModelVersion> versions = copier.copyable_versions();
      if (versions.empty() && !all_models) continue;  // nothing of the synced experiments
      copier.copy(versions);
    } catch (const std::exception& error) {
      context.report.failures.push_back({fmt::format("registered model '{}'", model.name), error.what()});
    }
  }
}

}  // namespace mlflowcpp::client::sync
