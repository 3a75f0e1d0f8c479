#include "server/store/sqlite_registry_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mlflowcpp/errors.hpp>
#include <set>
#include <utility>

#include "server/search/registry_search.hpp"
#include "server/store/sqlite_connection.hpp"
#include "server/store/sqlite_read_pool.hpp"
#include "server/store/sqlite_values.hpp"
#include "server/store/sqlite_writer.hpp"

namespace mlflowcpp::server::store {
namespace {

// What MLflow writes over a deleted version's content (its tombstone keeps
// only name, version, times, stage and storage location).
constexpr const char* kRedactedSource = "REDACTED-SOURCE-PATH";
constexpr const char* kRedactedRunId = "REDACTED-RUN-ID";
constexpr const char* kRedactedRunLink = "REDACTED-RUN-LINK";

std::optional<std::string> optional_text(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

std::optional<int64_t> optional_integer(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
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

ModelVersion version_from_row(SQLite::Statement& row) {
  ModelVersion version;
  version.name = row.getColumn(0).getString();
  version.version = std::to_string(row.getColumn(1).getInt64());
  version.creation_timestamp = row.getColumn(2).getInt64();
  version.last_updated_timestamp = optional_integer(row.getColumn(3));
  version.description = optional_text(row.getColumn(4));
  version.user_id = optional_text(row.getColumn(5));
  version.current_stage = optional_text(row.getColumn(6));
  version.source = optional_text(row.getColumn(7));
  version.run_id = optional_text(row.getColumn(8));
  // MLflow stores the status by name ("READY"); a value it would not write
  // reads as absent rather than failing every call that touches the version.
  if (const auto status = optional_text(row.getColumn(9))) version.status = parse_model_version_status(*status);
  version.status_message = optional_text(row.getColumn(10));
  version.run_link = optional_text(row.getColumn(11));
  return version;
}

std::vector<ModelVersionTag> load_version_tags(SqliteConnection& connection, const std::string& name, int64_t version) {
  std::vector<ModelVersionTag> tags;
  // rowid order: the order the tags were first set, as the official server lists them.
  auto query =
      connection.statement("SELECT key, value FROM model_version_tags WHERE name = ? AND version = ? ORDER BY rowid");
  query->bind(1, name);
  query->bind(2, static_cast<int64_t>(version));
  while (query->executeStep()) {
    tags.push_back({query->getColumn(0).getString(), query->getColumn(1).getString()});
  }
  return tags;
}

std::vector<std::string> load_version_aliases(SqliteConnection& connection, const std::string& name, int64_t version) {
  std::vector<std::string> aliases;
  auto query =
      connection.statement("SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias");
  query->bind(1, name);
  query->bind(2, static_cast<int64_t>(version));
  while (query->executeStep()) aliases.push_back(query->getColumn(0).getString());
  return aliases;
}

// A live (not deleted) version with its tags; aliases only when asked for.
std::optional<ModelVersion> find_version(SqliteConnection& connection, const std::string& name, int64_t version,
                                         bool with_aliases) {
  std::optional<ModelVersion> found;
  {
    auto query = connection.statement(std::string("SELECT ") + kVersionColumns +
                                      " FROM model_versions WHERE name = ? AND version = ? AND current_stage != '" +
                                      kStageDeletedInternal + "'");
    query->bind(1, name);
    query->bind(2, static_cast<int64_t>(version));
    if (query->executeStep()) found = version_from_row(*query);
  }
  if (!found) return found;
  found->tags = load_version_tags(connection, name, version);
  if (with_aliases) found->aliases = load_version_aliases(connection, name, version);
  return found;
}

ModelVersion require_version(SqliteConnection& connection, const std::string& name, int64_t version,
                             bool with_aliases) {
  auto found = find_version(connection, name, version, with_aliases);
  if (!found) throw version_not_found(name, version);
  return std::move(*found);
}

bool model_exists(SqliteConnection& connection, const std::string& name) {
  auto query = connection.statement("SELECT 1 FROM registered_models WHERE name = ?");
  query->bind(1, name);
  return query->executeStep();
}

void require_model(SqliteConnection& connection, const std::string& name) {
  if (!model_exists(connection, name)) throw model_not_found(name);
}

// The highest version of each stage, stages in the order their lowest live
// version appears (the official server fills a dict walking versions in order).
std::vector<ModelVersion> latest_versions(SqliteConnection& connection, const std::string& name) {
  std::vector<ModelVersion> latest;
  std::map<std::string, size_t> index_of_stage;
  {
    auto query = connection.statement(std::string("SELECT ") + kVersionColumns +
                                      " FROM model_versions WHERE name = ? AND current_stage != '" +
                                      kStageDeletedInternal + "' ORDER BY version");
    query->bind(1, name);
    while (query->executeStep()) {
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

std::optional<RegisteredModel> find_model(SqliteConnection& connection, const std::string& name) {
  std::optional<RegisteredModel> model;
  {
    auto query = connection.statement(
        "SELECT name, creation_time, last_updated_time, description FROM registered_models WHERE name = ?");
    query->bind(1, name);
    if (!query->executeStep()) return model;
    model.emplace();
    model->name = query->getColumn(0).getString();
    model->creation_timestamp = optional_integer(query->getColumn(1));
    model->last_updated_timestamp = optional_integer(query->getColumn(2));
    model->description = optional_text(query->getColumn(3));
  }
  model->latest_versions = latest_versions(connection, name);
  {
    auto query = connection.statement("SELECT key, value FROM registered_model_tags WHERE name = ? ORDER BY rowid");
    query->bind(1, name);
    while (query->executeStep()) {
      model->tags.push_back({query->getColumn(0).getString(), query->getColumn(1).getString()});
    }
  }
  {
    auto query =
        connection.statement("SELECT alias, version FROM registered_model_aliases WHERE name = ? ORDER BY alias");
    query->bind(1, name);
    while (query->executeStep()) {
      model->aliases.push_back({query->getColumn(0).getString(), std::to_string(query->getColumn(1).getInt64())});
    }
  }
  return model;
}

RegisteredModel require_model_entity(SqliteConnection& connection, const std::string& name) {
  auto model = find_model(connection, name);
  if (!model) throw model_not_found(name);
  return std::move(*model);
}

void touch_model(SqliteConnection& connection, const std::string& name, int64_t now) {
  auto update = connection.statement("UPDATE registered_models SET last_updated_time = ? WHERE name = ?");
  update->bind(1, static_cast<int64_t>(now));
  update->bind(2, name);
  update->exec();
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

std::string resolve_storage_location(SqliteConnection& connection, const std::string& source) {
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
  if (!query->executeStep()) throw fail(version_not_found(name, version).what());
  return query->getColumn(0).getString();
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

SqliteRegistryStore::SqliteRegistryStore(SqliteWriter& writer, SqliteReadPool& readers)
    : writer_(writer), readers_(readers) {}

// SQLite failures that reach a caller are not the caller's mistake.
void SqliteRegistryStore::write(const std::function<void(SqliteConnection&)>& job) {
  try {
    writer_.run(job);
  } catch (const SQLite::Exception& error) {
    throw MlflowException(ErrorCode::kInternalError, std::string("database error: ") + error.what());
  }
}

void SqliteRegistryStore::read(const std::function<void(SqliteConnection&)>& job) {
  try {
    auto lease = readers_.acquire();
    ReadTransaction transaction(*lease);
    job(*lease);
  } catch (const SQLite::Exception& error) {
    throw MlflowException(ErrorCode::kInternalError, std::string("database error: ") + error.what());
  }
}

// ---------------------------------------------------------------------------
// Registered models

RegisteredModel SqliteRegistryStore::create_registered_model(const std::string& name,
                                                             const std::vector<RegisteredModelTag>& tags,
                                                             const std::string& description) {
  RegisteredModel created;
  write([&](SqliteConnection& connection) {
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
    insert->exec();
    for (const auto& tag : deduplicated(tags)) {
      auto insert_tag = connection.statement("INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?)");
      insert_tag->bind(1, tag.key);
      insert_tag->bind(2, tag.value);
      insert_tag->bind(3, name);
      insert_tag->exec();
    }
    created = require_model_entity(connection, name);
  });
  return created;
}

RegisteredModel SqliteRegistryStore::get_registered_model(const std::string& name) {
  RegisteredModel model;
  read([&](SqliteConnection& connection) { model = require_model_entity(connection, name); });
  return model;
}

RegisteredModel SqliteRegistryStore::rename_registered_model(const std::string& name, const std::string& new_name) {
  RegisteredModel renamed;
  write([&](SqliteConnection& connection) {
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
      update->exec();
    }
    {
      // Tombstones move too, so the new name never reuses their numbers.
      auto update = connection.statement("UPDATE model_versions SET name = ?, last_updated_time = ? WHERE name = ?");
      update->bind(1, new_name);
      update->bind(2, static_cast<int64_t>(now));
      update->bind(3, name);
      update->exec();
    }
    // The schema declares ON UPDATE CASCADE, but SQLite enforces foreign keys
    // only when a connection asks for it: move the dependents explicitly.
    for (const char* sql : {"UPDATE registered_model_tags SET name = ? WHERE name = ?",
                            "UPDATE model_version_tags SET name = ? WHERE name = ?",
                            "UPDATE registered_model_aliases SET name = ? WHERE name = ?"}) {
      auto update = connection.statement(sql);
      update->bind(1, new_name);
      update->bind(2, name);
      update->exec();
    }
    renamed = require_model_entity(connection, new_name);
  });
  return renamed;
}

RegisteredModel SqliteRegistryStore::update_registered_model(const std::string& name, const std::string& description) {
  RegisteredModel updated;
  write([&](SqliteConnection& connection) {
    require_model(connection, name);
    auto update =
        connection.statement("UPDATE registered_models SET description = ?, last_updated_time = ? WHERE name = ?");
    update->bind(1, description);
    update->bind(2, static_cast<int64_t>(now_millis()));
    update->bind(3, name);
    update->exec();
    updated = require_model_entity(connection, name);
  });
  return updated;
}

void SqliteRegistryStore::delete_registered_model(const std::string& name) {
  write([&](SqliteConnection& connection) {
    require_model(connection, name);
    // Dependents first, so the deletes hold whether or not foreign keys are enforced.
    for (const char* sql :
         {"DELETE FROM model_version_tags WHERE name = ?", "DELETE FROM registered_model_aliases WHERE name = ?",
          "DELETE FROM model_versions WHERE name = ?", "DELETE FROM registered_model_tags WHERE name = ?",
          "DELETE FROM registered_models WHERE name = ?"}) {
      auto remove = connection.statement(sql);
      remove->bind(1, name);
      remove->exec();
    }
  });
}

Page<RegisteredModel> SqliteRegistryStore::search_registered_models(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_registered_model_query(query, search::Dialect::kSqlite);

  std::vector<RegisteredModel> models;
  read([&](SqliteConnection& connection) {
    std::vector<std::string> names;
    {
      // Not cached: the SQL text depends on the filter's shape.
      SQLite::Statement statement(connection.database(), sql.sql);
      bind_values(statement, sql.bindings);
      while (statement.executeStep()) names.push_back(statement.getColumn(0).getString());
    }
    for (const auto& name : names) {
      if (auto model = find_model(connection, name)) models.push_back(std::move(*model));
    }
  });
  return make_page(std::move(models), request.max_results, query.offset);
}

std::vector<ModelVersion> SqliteRegistryStore::get_latest_versions(const std::string& name,
                                                                   const std::vector<std::string>& stages) {
  std::vector<ModelVersion> versions;
  read([&](SqliteConnection& connection) {
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

void SqliteRegistryStore::set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) {
  write([&](SqliteConnection& connection) {
    require_model(connection, name);
    // An upsert, not INSERT OR REPLACE: the tag keeps its row and so its place in the list.
    auto upsert = connection.statement(
        "INSERT INTO registered_model_tags (key, value, name) VALUES (?, ?, ?) "
        "ON CONFLICT (key, name) DO UPDATE SET value = excluded.value");
    upsert->bind(1, tag.key);
    upsert->bind(2, tag.value);
    upsert->bind(3, name);
    upsert->exec();
  });
}

void SqliteRegistryStore::delete_registered_model_tag(const std::string& name, const std::string& key) {
  write([&](SqliteConnection& connection) {
    require_model(connection, name);
    auto remove = connection.statement("DELETE FROM registered_model_tags WHERE name = ? AND key = ?");
    remove->bind(1, name);
    remove->bind(2, key);
    remove->exec();
  });
}

// ---------------------------------------------------------------------------
// Aliases

void SqliteRegistryStore::set_registered_model_alias(const std::string& name, const std::string& alias,
                                                     int64_t version) {
  write([&](SqliteConnection& connection) {
    require_version(connection, name, version, false);
    auto upsert = connection.statement(
        "INSERT INTO registered_model_aliases (alias, version, name) VALUES (?, ?, ?) "
        "ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version");
    upsert->bind(1, alias);
    upsert->bind(2, static_cast<int64_t>(version));
    upsert->bind(3, name);
    upsert->exec();
  });
}

void SqliteRegistryStore::delete_registered_model_alias(const std::string& name, const std::string& alias) {
  write([&](SqliteConnection& connection) {
    require_model(connection, name);
    auto remove = connection.statement("DELETE FROM registered_model_aliases WHERE name = ? AND alias = ?");
    remove->bind(1, name);
    remove->bind(2, alias);
    remove->exec();
  });
}

ModelVersion SqliteRegistryStore::get_model_version_by_alias(const std::string& name, const std::string& alias) {
  ModelVersion found;
  read([&](SqliteConnection& connection) {
    std::optional<int64_t> version;
    {
      auto query = connection.statement("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?");
      query->bind(1, name);
      query->bind(2, alias);
      if (query->executeStep()) version = query->getColumn(0).getInt64();
    }
    // The official server answers a missing alias with INVALID_PARAMETER_VALUE (400).
    if (!version) throw invalid_parameter(fmt::format("Registered model alias {} not found.", alias));
    found = require_version(connection, name, *version, true);
  });
  return found;
}

// ---------------------------------------------------------------------------
// Model versions

ModelVersion SqliteRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  ModelVersion created;
  write([&](SqliteConnection& connection) {
    const std::string storage_location = resolve_storage_location(connection, request.source);
    require_model(connection, request.name);
    int64_t version = 1;
    {
      // Tombstones count: a deleted version's number is never handed out again.
      auto query = connection.statement("SELECT MAX(version) FROM model_versions WHERE name = ?");
      query->bind(1, request.name);
      if (query->executeStep() && !query->getColumn(0).isNull()) version = query->getColumn(0).getInt64() + 1;
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
      insert->exec();
    }
    for (const auto& tag : deduplicated(request.tags)) {
      auto insert_tag =
          connection.statement("INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?)");
      insert_tag->bind(1, tag.key);
      insert_tag->bind(2, tag.value);
      insert_tag->bind(3, request.name);
      insert_tag->bind(4, static_cast<int64_t>(version));
      insert_tag->exec();
    }
    touch_model(connection, request.name, now);
    created = require_version(connection, request.name, version, true);
  });
  return created;
}

ModelVersion SqliteRegistryStore::get_model_version(const std::string& name, int64_t version) {
  ModelVersion found;
  read([&](SqliteConnection& connection) { found = require_version(connection, name, version, true); });
  return found;
}

ModelVersion SqliteRegistryStore::update_model_version(const std::string& name, int64_t version,
                                                       const std::optional<std::string>& description) {
  ModelVersion updated;
  write([&](SqliteConnection& connection) {
    require_version(connection, name, version, false);
    auto update = connection.statement(
        "UPDATE model_versions SET description = ?, last_updated_time = ? WHERE name = ? AND version = ?");
    if (description) {
      update->bind(1, *description);
    } else {
      update->bind(1);  // NULL
    }
    update->bind(2, static_cast<int64_t>(now_millis()));
    update->bind(3, name);
    update->bind(4, static_cast<int64_t>(version));
    update->exec();
    updated = require_version(connection, name, version, true);
  });
  return updated;
}

ModelVersion SqliteRegistryStore::transition_model_version_stage(const std::string& name, int64_t version,
                                                                 const std::string& stage,
                                                                 bool archive_existing_versions) {
  ModelVersion transitioned;
  write([&](SqliteConnection& connection) {
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
      archive->exec();
    }
    {
      auto update = connection.statement(
          "UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE name = ? AND version = ?");
      update->bind(1, stage);
      update->bind(2, static_cast<int64_t>(now));
      update->bind(3, name);
      update->bind(4, static_cast<int64_t>(version));
      update->exec();
    }
    touch_model(connection, name, now);
    transitioned = require_version(connection, name, version, true);
  });
  return transitioned;
}

void SqliteRegistryStore::delete_model_version(const std::string& name, int64_t version) {
  write([&](SqliteConnection& connection) {
    require_version(connection, name, version, false);
    const int64_t now = now_millis();
    touch_model(connection, name, now);
    {
      auto remove = connection.statement("DELETE FROM registered_model_aliases WHERE name = ? AND version = ?");
      remove->bind(1, name);
      remove->bind(2, static_cast<int64_t>(version));
      remove->exec();
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
    redact->exec();
  });
}

Page<ModelVersion> SqliteRegistryStore::search_model_versions(const SearchRegistryRequest& request) {
  search::RegistryQuery query;
  query.filter = request.filter;
  query.order_by = request.order_by;
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_model_version_query(query, search::Dialect::kSqlite);

  std::vector<ModelVersion> versions;
  read([&](SqliteConnection& connection) {
    std::vector<std::pair<std::string, int64_t>> keys;
    {
      SQLite::Statement statement(connection.database(), sql.sql);
      bind_values(statement, sql.bindings);
      while (statement.executeStep()) {
        keys.emplace_back(statement.getColumn(0).getString(), statement.getColumn(1).getInt64());
      }
    }
    for (const auto& [name, number] : keys) {
      // Search results carry no aliases, as on the official server.
      if (auto version = find_version(connection, name, number, false)) versions.push_back(std::move(*version));
    }
  });
  return make_page(std::move(versions), request.max_results, query.offset);
}

std::string SqliteRegistryStore::get_model_version_download_uri(const std::string& name, int64_t version) {
  std::string uri;
  read([&](SqliteConnection& connection) {
    auto query = connection.statement(
        "SELECT COALESCE(NULLIF(storage_location, ''), source) FROM model_versions "
        "WHERE name = ? AND version = ? AND current_stage != 'Deleted_Internal'");
    query->bind(1, name);
    query->bind(2, static_cast<int64_t>(version));
    if (!query->executeStep()) throw version_not_found(name, version);
    uri = query->getColumn(0).getString();
  });
  return uri;
}

void SqliteRegistryStore::set_model_version_tag(const std::string& name, int64_t version, const ModelVersionTag& tag) {
  write([&](SqliteConnection& connection) {
    require_version(connection, name, version, false);
    auto upsert = connection.statement(
        "INSERT INTO model_version_tags (key, value, name, version) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (key, name, version) DO UPDATE SET value = excluded.value");
    upsert->bind(1, tag.key);
    upsert->bind(2, tag.value);
    upsert->bind(3, name);
    upsert->bind(4, static_cast<int64_t>(version));
    upsert->exec();
  });
}

void SqliteRegistryStore::delete_model_version_tag(const std::string& name, int64_t version, const std::string& key) {
  write([&](SqliteConnection& connection) {
    require_version(connection, name, version, false);
    auto remove = connection.statement("DELETE FROM model_version_tags WHERE name = ? AND version = ? AND key = ?");
    remove->bind(1, name);
    remove->bind(2, static_cast<int64_t>(version));
    remove->bind(3, key);
    remove->exec();
  });
}

std::optional<std::string> SqliteRegistryStore::run_artifact_uri(const std::string& run_id) {
  std::optional<std::string> uri;
  read([&](SqliteConnection& connection) {
    auto query = connection.statement("SELECT artifact_uri FROM runs WHERE run_uuid = ?");
    query->bind(1, run_id);
    if (query->executeStep()) uri = query->getColumn(0).isNull() ? "" : query->getColumn(0).getString();
  });
  return uri;
}

}  // namespace mlflowcpp::server::store
