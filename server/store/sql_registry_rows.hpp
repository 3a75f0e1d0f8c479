#pragma once

// Reading the model registry's rows, on any connection (the writer inside its
// jobs, readers inside read transactions): what the parts of SqlRegistryStore
// (registered models, model versions, searches) share. Deleted versions
// (tombstones) are never found.

#include "server/store/registry_store.hpp"
#include "server/store/sql_database.hpp"

#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/registry_entities.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::server::store {

// RESOURCE_DOES_NOT_EXIST for a version, in MLflow's words.
MlflowException version_not_found(const std::string& name, int64_t version);

// A live version with its tags; aliases only when asked for.
std::optional<ModelVersion> find_version(sql::Connection& connection, const std::string& name, int64_t version,
                                         bool with_aliases);
// find_version, or RESOURCE_DOES_NOT_EXIST.
ModelVersion require_version(sql::Connection& connection, const std::string& name, int64_t version,
                             bool with_aliases);

bool model_exists(sql::Connection& connection, const std::string& name);
// RESOURCE_DOES_NOT_EXIST unless the model exists.
void require_model(sql::Connection& connection, const std::string& name);
// require_model, holding the model's row until the transaction ends: version
// numbers are MAX + 1, so two transactions creating versions of one model
// must not both read the same MAX (PostgreSQL, READ COMMITTED).
void require_model_locked(sql::Connection& connection, const std::string& name);

// The highest version of each stage, stages in the order their lowest live
// version appears (the official server fills a dict walking versions in order).
std::vector<ModelVersion> latest_versions(sql::Connection& connection, const std::string& name);

// A whole registered model: latest versions, tags, aliases.
std::optional<RegisteredModel> find_model(sql::Connection& connection, const std::string& name);
// find_model, or RESOURCE_DOES_NOT_EXIST.
RegisteredModel require_model_entity(sql::Connection& connection, const std::string& name);

// Sets the model's last_updated_time to `now`.
void touch_model(sql::Connection& connection, const std::string& name, int64_t now);

// Sets `value_column` of the row of `table` whose key columns hold `keys`: inserts the row unless it is
// there, then updates it. Not INSERT ... ON CONFLICT: the registry tables' unique keys carry the workspace
// in MLflow 3's schema and not in 2.9's, so no conflict target fits both. Not INSERT OR REPLACE either:
// the row keeps its place in the lists it is read back in.
void insert_or_update(sql::Connection& connection, std::string_view table,
                      const std::vector<std::pair<std::string_view, search::SqlValue>>& keys,
                      std::string_view value_column, const search::SqlValue& value);

// Tags given twice in one request: the last value wins, in the place of the first.
template <typename Tag>
std::vector<Tag> deduplicated(const std::vector<Tag>& tags) {
  std::vector<Tag> result;
  for (const auto& tag : tags) {
    auto same = std::find_if(result.begin(), result.end(), [&](const Tag& t) { return t.key == tag.key; });
    if (same == result.end()) {
      result.push_back(tag);
    } else {
      same->value = tag.value;
    }
  }
  return result;
}

}  // namespace mlflowcpp::server::store
