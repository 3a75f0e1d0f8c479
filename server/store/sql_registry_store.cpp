// SqlRegistryStore: registered models, their tags and aliases.

#include "server/store/sql_registry_rows.hpp"
#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <set>
#include <utility>

namespace mlflowcpp::server::store {

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
    insert_or_update(connection, "registered_model_tags", {{"name", name}, {"key", tag.key}}, "value", tag.value);
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
    insert_or_update(connection, "registered_model_aliases", {{"name", name}, {"alias", alias}}, "version",
                     static_cast<int64_t>(version));
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

}  // namespace mlflowcpp::server::store
