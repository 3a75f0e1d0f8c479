#include "server/store/sql_registry_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mlflowcpp/errors.hpp>
#include <set>
#include <utility>

#include "server/search/registry_search.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

namespace mlflowcpp::server::store {
namespace {

// What MLflow writes over a deleted version's content (its tombstone keeps
// only name, version, times, stage and storage location).
constexpr const char* kRedactedSource = "REDACTED-SOURCE-PATH";
constexpr const char* kRedactedRunId = "REDACTED-RUN-ID";
constexpr const char* kRedactedRunLink = "REDACTED-RUN-LINK";

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

MlflowException version_not_found(const std::string& name, int64_t version) {
  return not_found(fmt::format("Model Version (name={}, version={}) not found", name, version));
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
  auto query = connection.statement(
      "SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY " +
      sql_dialect::insertion_order(connection.dialect()));
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
                                      sql_dialect::insertion_order(connection.dialect()));
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

// `models:/<name>/<version>` names another version: its download location is
// where the new version's files are. Only the numeric form can be resolved, as
// in the official server (stages and aliases are refused there too).
bool is_models_uri(const std::string& source) {
  constexpr std::string_view kScheme = "models:";
  if (source.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(source[i])) != kScheme[i]) return false;
  }
  return true;
}

std::string resolve_storage_location(sql::Connection& connection, const std::string& source) {
  if (!is_models_uri(source)) return source;
  const std::string path = source.substr(std::string_view("models:").size());
  auto fail = [&](const std::string& why) {
    return invalid_parameter(
        fmt::format("Unable to fetch model from model URI source artifact location '{}'.Error: {}", source, why));
  };
  if (path.size() < 2 || path[0] != '/' || path[1] == '/') throw fail("Not a proper models:/ URI");
  const std::string rest = path.substr(1);
  const size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || rest.find('/', slash + 1) != std::string::npos) {
    throw fail("Not a proper models:/ URI");
  }
  const std::string name = rest.substr(0, slash);
  const std::string version_text = rest.substr(slash + 1);
  if (version_text.empty() || version_text.size() > 18 ||
      !std::all_of(version_text.begin(), version_text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    throw fail("only models:/<name>/<version> sources can be resolved");
  }
  const int64_t version = std::stoll(version_text);
  auto query = connection.statement(
      "SELECT COALESCE(NULLIF(storage_location, ''), source) FROM model_versions "
      "WHERE name = ? AND version = ? AND current_stage != 'Deleted_Internal'");
  query->bind(1, name);
  query->bind(2, static_cast<int64_t>(version));
  if (!query->step()) throw fail(version_not_found(name, version).what());
  return query->column(0).as_string();
}

template <typename T>
Page<T> make_page(std::vector<T> rows, int64_t max_results, int64_t offset) {
  Page<T> page;
  // One row more than asked for was read: its presence says another page exists.
  if (static_cast<int64_t>(rows.size()) > max_results) {
    rows.resize(static_cast<size_t>(max_results));
    page.next_page_token = search::encode_page_token(offset + max_results);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace

SqlRegistryStore::SqlRegistryStore(std::shared_ptr<sql::Database> database) : database_(std::move(database)) {}

// ---------------------------------------------------------------------------
// Registered models

RegisteredModel SqlRegistryStore::create_registered_model(const std::string& name,
                                                          const std::vector<RegisteredModelTag>& tags,
                                                          const std::string& description) {
  RegisteredModel created;
  const auto job = [&](sql::Connection& connection) {
    if (model_exists(connection, name)) {
      throw already_exists(fmt::format("Registered Model (name={}) already exists.", name));
    }
    const int64_t now = now_millis();
    auto insert = connection.statement(
        "INSERT INTO registered_models (name, creation_time, last_updated_time, description) VALUES (?, ?, ?, ?)");
    insert->bind(1, name);
    insert->bind(2, static_cast<int64_t>(now));
    insert->bind(3, static_cast<int64_t>(now));
    insert->bind(4, description);
    insert->execute();
    for (const auto& tag : deduplicated(tags)) {
      auto insert_tag = connection.statement("INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)");
      insert_tag->bind(1, tag.key);
      insert_tag->bind(2, tag.value);
      insert_tag->bind(3, name);
      insert_tag->execute();
    }
    created = require_model_entity(connection, name);
  };
  try {
    write_transaction_keeping_unique_violation(*database_, job);
  } catch (const sql::DatabaseError&) {
    // Another transaction created the name after this one looked for it.
    throw already_exists(fmt::format("Registered Model (name={}) already exists.", name));
  }
  return created;
}

RegisteredModel SqlRegistryStore::get_registered_model(const std::string& name) {
  RegisteredModel model;
  read_transaction(*database_, [&](sql::Connection& connection) { model = require_model_entity(connection, name); });
  return model;
}

RegisteredModel SqlRegistryStore::rename_registered_model(const std::string& name, const std::string& new_name) {
  RegisteredModel renamed;
  const auto job = [&](sql::Connection& connection) {
    require_model(connection, name);
    if (new_name != name && model_exists(connection, new_name)) {
      throw already_exists(fmt::format("Registered Model (name={}) already exists.", new_name));
    }
    const int64_t now = now_millis();
    {
      auto update = connection.statement("UPDATE registered_models SET name = ?, last_updated_time = ? WHERE name = ?");
      update->bind(1, new_name);
      update->bind(2, static_cast<int64_t>(now));
      update->bind(3, name);
      update->execute();
    }
    {
      // Tombstones move too, so the new name never reuses their numbers.
      // Where the database enforces the schema's ON UPDATE CASCADE
      // (PostgreSQL) the versions already carry the new name: match both.
      auto update = connection.statement(
          "UPDATE model_versions SET name = ?, last_updated_time = ? WHERE name = ? OR name = ?");
      update->bind(1, new_name);
      update->bind(2, static_cast<int64_t>(now));
      update->bind(3, name);
      update->bind(4, new_name);
      update->execute();
    }
    // The schema declares ON UPDATE CASCADE, but SQLite enforces foreign keys
    // only when a connection asks for it: move the dependents explicitly.
    for (const char* sql : {"UPDATE registered_model_tags SET name = ? WHERE name = ?",
                            "UPDATE model_version_tags SET name = ? WHERE name = ?",
                            "UPDATE registered_model_aliases SET name = ? WHERE name = ?"}) {
      auto update = connection.statement(sql);
      update->bind(1, new_name);
      update->bind(2, name);
      update->execute();
    }
    renamed = require_model_entity(connection, new_name);
  };
  try {
    write_transaction_keeping_unique_violation(*database_, job);
  } catch (const sql::DatabaseError&) {
    // Another transaction took the name after this one looked for it.
    throw already_exists(fmt::format("Registered Model (name={}) already exists.", new_name));
  }
  return renamed;
}

RegisteredModel SqlRegistryStore::update_registered_model(const std::string& name, const std::string& description) {
  RegisteredModel updated;
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    auto update =
        connection.statement("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?");
    update->bind(1, description);
    update->bind(2, static_cast<int64_t>(now_millis()));
    update->bind(3, name);
    update->execute();
    updated = require_model_entity(connection, name);
  });
  return updated;
}

void SqlRegistryStore::delete_registered_model(const std::string& name) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    // Dependents first, so the deletes hold whether or not foreign keys are enforced.
    for (const char* sql :
         {"DELETE FROM model_version_tags WHERE name = ?", "DELETE FROM registered_model_aliases WHERE name = ?",
          "DELETE FROM model_versions WHERE name = ?", "DELETE FROM registered_model_tags WHERE name = ?",
          "DELETE FROM registered_models WHERE name = ?"}) {
      auto remove = connection.statement(sql);
      remove->bind(1, name);
      remove->execute();
    }
  });
}

Page<RegisteredModel> SqlRegistryStore::search_registered_models(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_registered_model_query(query, database_->dialect());

  std::vector<RegisteredModel> models;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::string> names;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) names.push_back(statement->column(0).as_string());
    }
    for (const auto& name : names) {
      if (auto model = find_model(connection, name)) models.push_back(std::move(*model));
    }
  });
  return make_page(std::move(models), request.max_results, query.offset);
}

std::vector<ModelVersion> SqlRegistryStore::get_latest_versions(const std::string& name,
                                                                const std::vector<std::string>& stages) {
  std::vector<ModelVersion> versions;
  read_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    versions = latest_versions(connection, name);
  });
  if (!stages.empty()) {
    const std::set<std::string> wanted(stages.begin(), stages.end());
    versions.erase(
        std::remove_if(versions.begin(), versions.end(),
                       [&](const ModelVersion& v) { return wanted.count(v.current_stage.value_or("")) == 0; }),
        versions.end());
  }
  return versions;
}

void SqlRegistryStore::set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    // Insert unless there, then update, not INSERT OR REPLACE: the tag keeps its row and so its place in the
    // list. (No ON CONFLICT target: the key has the workspace in it in MLflow 3's schema, not in 2.9's.)
    auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
        connection.dialect(), "registered_model_tags (key, value, name) VALUES (?, ?, ?)"));
    insert->bind(1, tag.key);
    insert->bind(2, tag.value);
    insert->bind(3, name);
    insert->execute();
    auto update = connection.statement("UPDATE registered_model_tags SET value = ? WHERE name = ? AND key = ?");
    update->bind(1, tag.value);
    update->bind(2, name);
    update->bind(3, tag.key);
    update->execute();
  });
}

void SqlRegistryStore::delete_registered_model_tag(const std::string& name, const std::string& key) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    auto remove = connection.statement("DELETE FROM registered_model_tags WHERE name = ? AND key = ?");
    remove->bind(1, name);
    remove->bind(2, key);
    remove->execute();
  });
}

// ---------------------------------------------------------------------------
// Aliases

void SqlRegistryStore::set_registered_model_alias(const std::string& name, const std::string& alias,
                                                  int64_t version) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    // Insert unless there, then update: no ON CONFLICT target, which differs between MLflow 2.9's and 3's keys.
    auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
        connection.dialect(), "registered_model_aliases (alias, version, name) VALUES (?, ?, ?)"));
    insert->bind(1, alias);
    insert->bind(2, static_cast<int64_t>(version));
    insert->bind(3, name);
    insert->execute();
    auto update = connection.statement("UPDATE registered_model_aliases SET version = ? WHERE name = ? AND alias = ?");
    update->bind(1, static_cast<int64_t>(version));
    update->bind(2, name);
    update->bind(3, alias);
    update->execute();
  });
}

void SqlRegistryStore::delete_registered_model_alias(const std::string& name, const std::string& alias) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_model(connection, name);
    auto remove = connection.statement("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?");
    remove->bind(1, name);
    remove->bind(2, alias);
    remove->execute();
  });
}

ModelVersion SqlRegistryStore::get_model_version_by_alias(const std::string& name, const std::string& alias) {
  ModelVersion found;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::optional<int64_t> version;
    {
      auto query = connection.statement("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?");
      query->bind(1, name);
      query->bind(2, alias);
      if (query->step()) version = query->column(0).as_int64();
    }
    // The official server answers a missing alias with INVALID_PARAMETER_VALUE (400).
    if (!version) throw invalid_parameter(fmt::format("Registered model alias {} not found.", alias));
    found = require_version(connection, name, *version, true);
  });
  return found;
}

// ---------------------------------------------------------------------------
// Model versions

ModelVersion SqlRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  ModelVersion created;
  // The model's row is locked before the next number is read. Should another
  // writer still insert that number first (a database written by an older
  // server), the next run picks the number after it.
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    const std::string storage_location = resolve_storage_location(connection, request.source);
    require_model_locked(connection, request.name);
    int64_t version = 1;
    {
      // Tombstones count: a deleted version's number is never handed out again.
      auto query = connection.statement("SELECT MAX(version) FROM model_versions WHERE name = ?");
      query->bind(1, request.name);
      if (query->step() && !query->column(0).is_null()) version = query->column(0).as_int64() + 1;
    }
    const int64_t now = now_millis();
    {
      auto insert = connection.statement(
          "INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, "
          "current_stage, source, run_id, status, status_message, run_link, storage_location) "
          "VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, 'READY', NULL, ?, ?)");
      insert->bind(1, request.name);
      insert->bind(2, static_cast<int64_t>(version));
      insert->bind(3, static_cast<int64_t>(now));
      insert->bind(4, static_cast<int64_t>(now));
      insert->bind(5, request.description);
      insert->bind(6, kModelStageNone);
      insert->bind(7, request.source);
      insert->bind(8, request.run_id);
      insert->bind(9, request.run_link);
      insert->bind(10, storage_location);
      insert->execute();
    }
    for (const auto& tag : deduplicated(request.tags)) {
      auto insert_tag =
          connection.statement("INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)");
      insert_tag->bind(1, tag.key);
      insert_tag->bind(2, tag.value);
      insert_tag->bind(3, request.name);
      insert_tag->bind(4, static_cast<int64_t>(version));
      insert_tag->execute();
    }
    touch_model(connection, request.name, now);
    created = require_version(connection, request.name, version, true);
  });
  return created;
}

ModelVersion SqlRegistryStore::get_model_version(const std::string& name, int64_t version) {
  ModelVersion found;
  read_transaction(*database_,
                   [&](sql::Connection& connection) { found = require_version(connection, name, version, true); });
  return found;
}

ModelVersion SqlRegistryStore::update_model_version(const std::string& name, int64_t version,
                                                    const std::optional<std::string>& description) {
  ModelVersion updated;
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    auto update = connection.statement(
        "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?");
    if (description) {
      update->bind(1, *description);
    } else {
      update->bind_null(1);
    }
    update->bind(2, static_cast<int64_t>(now_millis()));
    update->bind(3, name);
    update->bind(4, static_cast<int64_t>(version));
    update->execute();
    updated = require_version(connection, name, version, true);
  });
  return updated;
}

ModelVersion SqlRegistryStore::transition_model_version_stage(const std::string& name, int64_t version,
                                                              const std::string& stage,
                                                              bool archive_existing_versions) {
  ModelVersion transitioned;
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    const int64_t now = now_millis();
    if (archive_existing_versions) {
      auto archive = connection.statement(
          "UPDATE model_versions SET current_stage = ?, last_updated_time = ? "
          "WHERE name = ? AND version != ? AND current_stage = ?");
      archive->bind(1, kModelStageArchived);
      archive->bind(2, static_cast<int64_t>(now));
      archive->bind(3, name);
      archive->bind(4, static_cast<int64_t>(version));
      archive->bind(5, stage);
      archive->execute();
    }
    {
      auto update = connection.statement(
          "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?");
      update->bind(1, stage);
      update->bind(2, static_cast<int64_t>(now));
      update->bind(3, name);
      update->bind(4, static_cast<int64_t>(version));
      update->execute();
    }
    touch_model(connection, name, now);
    transitioned = require_version(connection, name, version, true);
  });
  return transitioned;
}

void SqlRegistryStore::delete_model_version(const std::string& name, int64_t version) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    const int64_t now = now_millis();
    touch_model(connection, name, now);
    {
      auto remove = connection.statement("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?");
      remove->bind(1, name);
      remove->bind(2, static_cast<int64_t>(version));
      remove->execute();
    }
    // The row stays as a tombstone (tags and storage location kept, content
    // redacted), exactly as the official server leaves it.
    auto redact = connection.statement(
        "UPDATE model_versions SET current_stage = ?, last_updated_time = ?, description = NULL, user_id = NULL, "
        "source = ?, run_id = ?, run_link = ?, status_message = NULL WHERE name = ? AND version = ?");
    redact->bind(1, kStageDeletedInternal);
    redact->bind(2, static_cast<int64_t>(now));
    redact->bind(3, kRedactedSource);
    redact->bind(4, kRedactedRunId);
    redact->bind(5, kRedactedRunLink);
    redact->bind(6, name);
    redact->bind(7, static_cast<int64_t>(version));
    redact->execute();
  });
}

Page<ModelVersion> SqlRegistryStore::search_model_versions(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_model_version_query(query, database_->dialect());

  std::vector<ModelVersion> versions;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::pair<std::string, int64_t>> keys;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) {
        keys.emplace_back(statement->column(0).as_string(), statement->column(1).as_int64());
      }
    }
    for (const auto& [name, number] : keys) {
      // Search results carry no aliases, as on the official server.
      if (auto version = find_version(connection, name, number, false)) versions.push_back(std::move(*version));
    }
  });
  return make_page(std::move(versions), request.max_results, query.offset);
}

std::string SqlRegistryStore::get_model_version_download_uri(const std::string& name, int64_t version) {
  std::string uri;
  read_transaction(*database_, [&](sql::Connection& connection) {
    auto query = connection.statement(
        "SELECT COALESCE(NULLIF(storage_location, ''), source) FROM model_versions "
        "WHERE name = ? AND version = ? AND current_stage != 'Deleted_Internal'");
    query->bind(1, name);
    query->bind(2, static_cast<int64_t>(version));
    if (!query->step()) throw version_not_found(name, version);
    uri = query->column(0).as_string();
  });
  return uri;
}

void SqlRegistryStore::set_model_version_tag(const std::string& name, int64_t version, const ModelVersionTag& tag) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    // Insert unless there, then update: no ON CONFLICT target, which differs between MLflow 2.9's and 3's keys.
    auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
        connection.dialect(), "model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)"));
    insert->bind(1, tag.key);
    insert->bind(2, tag.value);
    insert->bind(3, name);
    insert->bind(4, static_cast<int64_t>(version));
    insert->execute();
    auto update =
        connection.statement("UPDATE model_version_tags SET value = ? WHERE name = ? AND version = ? AND key = ?");
    update->bind(1, tag.value);
    update->bind(2, name);
    update->bind(3, static_cast<int64_t>(version));
    update->bind(4, tag.key);
    update->execute();
  });
}

void SqlRegistryStore::delete_model_version_tag(const std::string& name, int64_t version, const std::string& key) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_version(connection, name, version, false);
    auto remove = connection.statement("DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?");
    remove->bind(1, name);
    remove->bind(2, static_cast<int64_t>(version));
    remove->bind(3, key);
    remove->execute();
  });
}

std::optional<std::string> SqlRegistryStore::run_artifact_uri(const std::string& run_id) {
  std::optional<std::string> uri;
  read_transaction(*database_, [&](sql::Connection& connection) {
    auto query = connection.statement("SELECT artifact_uri FROM runs WHERE run_uuid = ?");
    query->bind(1, run_id);
    if (query->step()) uri = query->column(0).is_null() ? "" : query->column(0).as_string();
  });
  return uri;
}

}  // namespace mlflowcpp::server::store
