// Reading the registry's rows, shared by the parts of SqlRegistryStore.

#include "server/store/sql_registry_rows.hpp"

#include "server/store/sql_dialect.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <map>
#include <utility>

namespace mlflowcpp::server::store {
namespace {

std::optional<std::string> optional_text(const sql::Column& column) {
  if (column.is_null()) return std::nullopt;
  return column.as_string();
}

std::optional<int64_t> optional_integer(const sql::Column& column) {
  if (column.is_null()) return std::nullopt;
  return column.as_int64();
}

MlflowException model_not_found(const std::string& name) {
  return not_found(fmt::format("Registered Model with name={} not found", name));
}

// ---------------------------------------------------------------------------
// Reading rows (on any connection: the writer inside its jobs, readers inside
// read transactions).

constexpr const char* kVersionColumns =
    "name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, "
    "status, status_message, run_link";

ModelVersion version_from_row(const sql::Statement& row) {
  ModelVersion version;
  version.name = row.column(0).as_string();
  version.version = std::to_string(row.column(1).as_int64());
  version.creation_timestamp = row.column(2).as_int64();
  version.last_updated_timestamp = optional_integer(row.column(3));
  version.description = optional_text(row.column(4));
  version.user_id = optional_text(row.column(5));
  version.current_stage = optional_text(row.column(6));
  version.source = optional_text(row.column(7));
  version.run_id = optional_text(row.column(8));
  // MLflow stores the status by name ("READY"); a value it would not write
  // reads as absent rather than failing every call that touches the version.
  if (const auto status = optional_text(row.column(9))) version.status = parse_model_version_status(*status);
  version.status_message = optional_text(row.column(10));
  version.run_link = optional_text(row.column(11));
  return version;
}

std::vector<ModelVersionTag> load_version_tags(sql::Connection& connection, const std::string& name, int64_t version) {
  std::vector<ModelVersionTag> tags;
  // Insertion order: the order the tags were first set, as the official server lists them.
  auto query =
      connection.statement("SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY " +
                           sql_dialect::insertion_order(connection.dialect(), "model_version_tags"));
  query->bind(1, name);
  query->bind(2, static_cast<int64_t>(version));
  while (query->step()) {
    tags.push_back({query->column(0).as_string(), query->column(1).as_string()});
  }
  return tags;
}

std::vector<std::string> load_version_aliases(sql::Connection& connection, const std::string& name, int64_t version) {
  std::vector<std::string> aliases;
  auto query =
      connection.statement("SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias");
  query->bind(1, name);
  query->bind(2, static_cast<int64_t>(version));
  while (query->step()) aliases.push_back(query->column(0).as_string());
  return aliases;
}

}  // namespace

MlflowException version_not_found(const std::string& name, int64_t version) {
  return not_found(fmt::format("Model Version (name={}, version={}) not found", name, version));
}

// A live (not deleted) version with its tags; aliases only when asked for.
std::optional<ModelVersion> find_version(sql::Connection& connection, const std::string& name, int64_t version,
                                         bool with_aliases) {
  std::optional<ModelVersion> found;
  {
    auto query = connection.statement(std::string("SELECT ") + kVersionColumns +
                                      " FROM model_versions WHERE name = ? AND version = ? AND current_stage != '" +
                                      kStageDeletedInternal + "'");
    query->bind(1, name);
    query->bind(2, static_cast<int64_t>(version));
    if (query->step()) found = version_from_row(*query);
  }
  if (!found) return found;
  found->tags = load_version_tags(connection, name, version);
  if (with_aliases) found->aliases = load_version_aliases(connection, name, version);
  return found;
}

ModelVersion require_version(sql::Connection& connection, const std::string& name, int64_t version,
                             bool with_aliases) {
  auto found = find_version(connection, name, version, with_aliases);
  if (!found) throw version_not_found(name, version);
  return std::move(*found);
}

bool model_exists(sql::Connection& connection, const std::string& name) {
  auto query = connection.statement("SELECT 1 FROM registered_models WHERE name = ?");
  query->bind(1, name);
  return query->step();
}

void require_model(sql::Connection& connection, const std::string& name) {
  if (!model_exists(connection, name)) throw model_not_found(name);
}

// require_model, holding the model's row until the transaction ends: version
// numbers are MAX + 1, so two transactions creating versions of one model
// must not both read the same MAX (PostgreSQL, READ COMMITTED).
void require_model_locked(sql::Connection& connection, const std::string& name) {
  auto query = connection.statement("SELECT 1 FROM registered_models WHERE name = ?" +
                                    std::string(sql_dialect::row_lock(connection.dialect())));
  query->bind(1, name);
  if (!query->step()) throw model_not_found(name);
}

// The highest version of each stage, stages in the order their lowest live
// version appears (the official server fills a dict walking versions in order).
std::vector<ModelVersion> latest_versions(sql::Connection& connection, const std::string& name) {
  std::vector<ModelVersion> latest;
  std::map<std::string, size_t> index_of_stage;
  {
    auto query = connection.statement(std::string("SELECT ") + kVersionColumns +
                                      " FROM model_versions WHERE name = ? AND current_stage != '" +
                                      kStageDeletedInternal + "' ORDER BY version");
    query->bind(1, name);
    while (query->step()) {
      ModelVersion version = version_from_row(*query);
      const std::string stage = version.current_stage.value_or("");
      const auto found = index_of_stage.find(stage);
      if (found == index_of_stage.end()) {
        index_of_stage.emplace(stage, latest.size());
        latest.push_back(std::move(version));
      } else {
        latest[found->second] = std::move(version);  // ascending order: a later row is higher
      }
    }
  }
  for (auto& version : latest) version.tags = load_version_tags(connection, name, std::stoll(version.version));
  return latest;
}

std::optional<RegisteredModel> find_model(sql::Connection& connection, const std::string& name) {
  std::optional<RegisteredModel> model;
  {
    auto query = connection.statement(
        "SELECT name, creation_time, last_updated_time, description FROM registered_models WHERE name = ?");
    query->bind(1, name);
    if (!query->step()) return model;
    model.emplace();
    model->name = query->column(0).as_string();
    model->creation_timestamp = optional_integer(query->column(1));
    model->last_updated_timestamp = optional_integer(query->column(2));
    model->description = optional_text(query->column(3));
  }
  model->latest_versions = latest_versions(connection, name);
  {
    auto query = connection.statement("SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY " +
                                      sql_dialect::insertion_order(connection.dialect(), "registered_model_tags"));
    query->bind(1, name);
    while (query->step()) {
      model->tags.push_back({query->column(0).as_string(), query->column(1).as_string()});
    }
  }
  {
    auto query =
        connection.statement("SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias");
    query->bind(1, name);
    while (query->step()) {
      model->aliases.push_back({query->column(0).as_string(), std::to_string(query->column(1).as_int64())});
    }
  }
  return model;
}

RegisteredModel require_model_entity(sql::Connection& connection, const std::string& name) {
  auto model = find_model(connection, name);
  if (!model) throw model_not_found(name);
  return std::move(*model);
}

void touch_model(sql::Connection& connection, const std::string& name, int64_t now) {
  auto update = connection.statement("UPDATE registered_models SET last_updated_time = ? WHERE name = ?");
  update->bind(1, static_cast<int64_t>(now));
  update->bind(2, name);
  update->execute();
}

void insert_or_update(sql::Connection& connection, std::string_view table,
                      const std::vector<std::pair<std::string_view, search::SqlValue>>& keys,
                      std::string_view value_column, const search::SqlValue& value) {
  std::string columns(value_column);
  std::string placeholders = "?";
  std::string key_condition;
  std::vector<search::SqlValue> insert_values{value};
  std::vector<search::SqlValue> update_values{value};
  for (const auto& [column, key] : keys) {
    columns += fmt::format(", {}", column);
    placeholders += ", ?";
    key_condition += fmt::format("{}{} = ?", key_condition.empty() ? "" : " AND ", column);
    insert_values.push_back(key);
    update_values.push_back(key);
  }
  auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
      connection.dialect(), fmt::format("{} ({}) VALUES ({})", table, columns, placeholders)));
  sql::bind_values(*insert, insert_values);
  insert->execute();
  auto update = connection.statement(fmt::format("UPDATE {} SET {} = ? WHERE {}", table, value_column, key_condition));
  sql::bind_values(*update, update_values);
  update->execute();
}

}  // namespace mlflowcpp::server::store
