// SqlRegistryStore: model versions, their tags, stages and download locations.

#include "server/store/sql_logged_model_store.hpp"
#include "server/store/sql_registry_logged_models.hpp"
#include "server/store/sql_registry_rows.hpp"
#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace mlflowcpp::server::store {
namespace {

// What MLflow writes over a deleted version's content (its tombstone keeps
// only name, version, times, stage and storage location).
constexpr const char* kRedactedSource = "REDACTED-SOURCE-PATH";
constexpr const char* kRedactedRunId = "REDACTED-RUN-ID";
constexpr const char* kRedactedRunLink = "REDACTED-RUN-LINK";

// Where a new version's files are, and the logged model its source names.
struct ResolvedSource {
  std::string storage_location;
  std::optional<RegistrableLoggedModel> logged_model;  // for a models:/<model_id> source
};

bool is_models_uri(const std::string& source) { return starts_with_ignoring_case(source, "models:"); }

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

// A `models:/` source names what the new version copies: `models:/<name>/<version>`
// another version (its download location is where the files are), and, since
// MLflow 3, `models:/<model_id>` a logged model (its artifact location). Stages,
// `latest` and aliases cannot be resolved, as in the official server.
ResolvedSource resolve_source(sql::Connection& connection, SchemaGeneration generation, const std::string& source) {
  if (!is_models_uri(source)) return {source, std::nullopt};
  const std::string path = source.substr(std::string_view("models:").size());
  const auto message = [&](const std::string& why) {
    return fmt::format("Unable to fetch model from model URI source artifact location '{}'.Error: {}", source, why);
  };
  const auto fail = [&](const std::string& why) { return invalid_parameter(message(why)); };
  if (path.size() < 2 || path[0] != '/' || path[1] == '/') throw fail("Not a proper models:/ URI");
  const std::string rest = path.substr(1);
  const size_t slash = rest.find('/');
  if (slash == std::string::npos) {
    if (rest.find('@') != std::string::npos || is_blank(rest)) throw fail("Not a proper models:/ URI");
    require_logged_model_tables(generation, fmt::format("The model version source '{}'", source));
    auto model = find_registrable_logged_model(connection, rest, /*lock=*/false);
    // The official server answers this with a 500; a missing model is a 404.
    if (!model) throw not_found(message(logged_model_not_found(rest).what()));
    return {model->artifact_location, std::move(model)};
  }
  if (slash == 0 || rest.find('/', slash + 1) != std::string::npos) throw fail("Not a proper models:/ URI");
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
  return {query->column(0).as_string(), std::nullopt};
}

// The run a version records: the one given, else the source run of the logged
// model its source names, else that of the logged model it registers (NULL
// when that model has none).
std::optional<std::string> version_run_id(const std::string& given, const ResolvedSource& source,
                                          const std::optional<RegistrableLoggedModel>& registered) {
  std::optional<std::string> run_id = given;
  const auto unset = [&] { return !run_id || run_id->empty(); };
  if (unset() && source.logged_model) run_id = source.logged_model->source_run_id;
  if (unset() && registered) run_id = registered->source_run_id;
  return run_id;
}

}  // namespace

// ---------------------------------------------------------------------------
// Model versions

ModelVersion SqlRegistryStore::create_model_version(const CreateModelVersionRequest& request) {
  const SchemaGeneration generation = database_->schema_generation();
  if (!request.model_id.empty()) {
    require_logged_model_tables(generation, fmt::format("Registering logged model '{}'", request.model_id));
  }
  ModelVersion created;
  // The model's row is locked before the next number is read. Should another
  // writer still insert that number first (a database written by an older
  // server), the next run picks the number after it. A logged model being
  // registered is locked after it, so concurrent registrations of one logged
  // model each append to the tag the previous one wrote.
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    const ResolvedSource source = resolve_source(connection, generation, request.source);
    require_model_locked(connection, request.name);
    std::optional<RegistrableLoggedModel> registered;
    if (!request.model_id.empty()) {
      registered = find_registrable_logged_model(connection, request.model_id, /*lock=*/true);
      if (!registered) throw logged_model_not_found(request.model_id);
    }
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
      if (const auto run_id = version_run_id(request.run_id, source, registered)) {
        insert->bind(8, *run_id);
      } else {
        insert->bind_null(8);
      }
      insert->bind(9, request.run_link);
      insert->bind(10, source.storage_location);
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
    if (registered) add_to_model_versions_tag(connection, *registered, request.name, version);
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
    insert_or_update(connection, "model_version_tags",
                     {{"name", name}, {"version", static_cast<int64_t>(version)}, {"key", tag.key}}, "value", tag.value);
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

std::optional<std::string> SqlRegistryStore::logged_model_artifact_location(const std::string& model_id) {
  require_logged_model_tables(database_->schema_generation(), fmt::format("Logged model '{}'", model_id));
  std::optional<std::string> location;
  read_transaction(*database_, [&](sql::Connection& connection) {
    if (auto model = find_registrable_logged_model(connection, model_id, /*lock=*/false)) {
      location = std::move(model->artifact_location);
    }
  });
  return location;
}

}  // namespace mlflowcpp::server::store
