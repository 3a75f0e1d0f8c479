// SqliteTrackingStore: construction, the read/write plumbing, experiments.
// Runs and logging are in sqlite_tracking_store_runs.cpp, searches and metric
// history in sqlite_tracking_store_queries.cpp.

#include "server/store/sqlite_tracking_store.hpp"

#include "server/store/random_ids.hpp"
#include "server/store/sqlite_checkpointer.hpp"
#include "server/store/sqlite_entity_reader.hpp"
#include "server/store/sqlite_read_pool.hpp"
#include "server/store/sqlite_schema.hpp"
#include "server/store/sqlite_store_checks.hpp"
#include "server/store/sqlite_values.hpp"
#include "server/store/sqlite_writer.hpp"

#include <mlflowcpp/errors.hpp>

#include <SQLiteCpp/Exception.h>

#include <algorithm>
#include <stdexcept>

namespace mlflowcpp::server::store {

namespace {

// WAL size (pages) at which the background checkpoint runs: SQLite's default.
constexpr int kCheckpointPages = 1000;

std::unique_ptr<SqliteConnection> open_writer(const SqliteStoreOptions& options) {
  try {
    return std::make_unique<SqliteConnection>(options.database_path, ConnectionMode::kReadWrite,
                                              options.busy_timeout_ms);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open the SQLite database '" + options.database_path + "': " + error.what());
  }
}

// SQLite failures that reach a caller are not the caller's mistake.
[[noreturn]] void rethrow_as_internal_error(const SQLite::Exception& error) {
  throw MlflowException(ErrorCode::kInternalError, std::string("database error: ") + error.what());
}

}  // namespace

SqliteTrackingStore::SqliteTrackingStore(const SqliteStoreOptions& options)
    : options_(options), ids_(std::make_unique<RandomIds>()) {
  auto writer_connection = open_writer(options_);
  prepare_database(*writer_connection, options_.database_path,
                   SchemaOptions{options_.default_artifact_root, options_.synchronous_full});
  try {
    checkpointer_ = std::make_unique<SqliteCheckpointer>(options_.database_path, options_.busy_timeout_ms,
                                                         kCheckpointPages);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open '" + options_.database_path + "' for checkpoints: " + error.what());
  }
  checkpointer_->attach(*writer_connection);
  writer_ = std::make_unique<SqliteWriter>(std::move(writer_connection));
  try {
    readers_ = std::make_unique<SqliteReadPool>(options_.database_path, std::max<size_t>(1, options_.read_connections),
                                                options_.busy_timeout_ms);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open read connections to '" + options_.database_path + "': " + error.what());
  }
}

SqliteTrackingStore::~SqliteTrackingStore() = default;

void SqliteTrackingStore::write(const std::function<void(SqliteConnection&)>& job) {
  try {
    writer_->run(job);
  } catch (const SQLite::Exception& error) {
    rethrow_as_internal_error(error);
  }
}

void SqliteTrackingStore::read(const std::function<void(SqliteConnection&)>& job) {
  try {
    auto connection = readers_->acquire();
    ReadTransaction transaction(*connection);
    job(*connection);
  } catch (const SQLite::Exception& error) {
    rethrow_as_internal_error(error);
  }
}

// ---------------------------------------------------------------------------
// Experiments

namespace {

void upsert_experiment_tag(SqliteConnection& connection, int64_t experiment_id, const ExperimentTag& tag) {
  auto upsert = connection.statement(
      "INSERT INTO experiment_tags (key, value, experiment_id) VALUES (?, ?, ?) "
      "ON CONFLICT (key, experiment_id) DO UPDATE SET value = excluded.value");
  upsert->bind(1, tag.key);
  upsert->bind(2, tag.value);
  upsert->bind(3, static_cast<int64_t>(experiment_id));
  upsert->exec();
}

void require_active_experiment_for_tags(const Experiment& experiment) {
  if (experiment.lifecycle_stage != LifecycleStage::kActive) {
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          "The experiment " + experiment.experiment_id +
                              " must be in the 'active' state. Current state is deleted.");
  }
}

// The experiment when it is in `stage`; otherwise RESOURCE_DOES_NOT_EXIST, as
// MLflow's store looks experiments up by id and stage together.
Experiment require_experiment_in_stage(SqliteConnection& connection, const std::string& experiment_id,
                                       LifecycleStage stage) {
  Experiment experiment = require_experiment(connection, experiment_id);
  if (experiment.lifecycle_stage != stage) throw experiment_not_found(experiment_id);
  return experiment;
}

}  // namespace

std::string SqliteTrackingStore::create_experiment(const std::string& name, const std::string& artifact_location,
                                                   const std::vector<ExperimentTag>& tags) {
  if (name.empty()) throw MlflowException(ErrorCode::kInvalidParameterValue, "Invalid experiment name: ''");
  int64_t experiment_id = 0;
  write([&](SqliteConnection& connection) {
    if (auto existing = find_experiment_by_name(connection, name)) {
      throw MlflowException(ErrorCode::kResourceAlreadyExists,
                            "Experiment(name=" + name + ") already exists." +
                                (existing->lifecycle_stage == LifecycleStage::kDeleted
                                     ? " It is deleted; restore it or choose another name."
                                     : ""));
    }
    int64_t now = now_millis();
    {
      auto insert = connection.statement(
          "INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time) "
          "VALUES (?, ?, 'active', ?, ?)");
      insert->bind(1, name);
      if (artifact_location.empty()) {
        insert->bind(2);  // NULL until the id is known
      } else {
        insert->bind(2, artifact_location);
      }
      insert->bind(3, static_cast<int64_t>(now));
      insert->bind(4, static_cast<int64_t>(now));
      insert->exec();
    }
    experiment_id = connection.database().getLastInsertRowid();
    if (artifact_location.empty()) {
      auto update = connection.statement("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?");
      update->bind(1, append_to_uri_path(options_.default_artifact_root, std::to_string(experiment_id)));
      update->bind(2, static_cast<int64_t>(experiment_id));
      update->exec();
    }
    for (const auto& tag : tags) upsert_experiment_tag(connection, experiment_id, tag);
  });
  return std::to_string(experiment_id);
}

Experiment SqliteTrackingStore::get_experiment(const std::string& experiment_id) {
  auto id = parse_experiment_id(experiment_id);
  if (!id) throw experiment_not_found(experiment_id);
  std::optional<Experiment> experiment;
  read([&](SqliteConnection& connection) { experiment = find_experiment(connection, *id); });
  if (!experiment) throw experiment_not_found(experiment_id);
  return std::move(*experiment);
}

Experiment SqliteTrackingStore::get_experiment_by_name(const std::string& name) {
  std::optional<Experiment> experiment;
  read([&](SqliteConnection& connection) { experiment = find_experiment_by_name(connection, name); });
  if (!experiment) {
    throw MlflowException(ErrorCode::kResourceDoesNotExist, "Could not find experiment with name '" + name + "'");
  }
  return std::move(*experiment);
}

void SqliteTrackingStore::delete_experiment(const std::string& experiment_id) {
  write([&](SqliteConnection& connection) {
    Experiment experiment = require_experiment_in_stage(connection, experiment_id, LifecycleStage::kActive);
    if (experiment.experiment_id == "0") {
      throw MlflowException(ErrorCode::kInvalidParameterValue,
                            "Cannot delete the default experiment '0'. This is an internally reserved experiment.");
    }
    int64_t id = std::stoll(experiment.experiment_id);
    int64_t now = now_millis();
    {
      auto update = connection.statement(
          "UPDATE experiments SET lifecycle_stage = 'deleted', last_update_time = ? WHERE experiment_id = ?");
      update->bind(1, static_cast<int64_t>(now));
      update->bind(2, static_cast<int64_t>(id));
      update->exec();
    }
    // Its active runs go with it; runs deleted earlier keep their deleted_time.
    auto runs = connection.statement(
        "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? "
        "WHERE experiment_id = ? AND lifecycle_stage = 'active'");
    runs->bind(1, static_cast<int64_t>(now));
    runs->bind(2, static_cast<int64_t>(id));
    runs->exec();
  });
}

void SqliteTrackingStore::restore_experiment(const std::string& experiment_id) {
  write([&](SqliteConnection& connection) {
    Experiment experiment = require_experiment_in_stage(connection, experiment_id, LifecycleStage::kDeleted);
    int64_t id = std::stoll(experiment.experiment_id);
    {
      auto update = connection.statement(
          "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?");
      update->bind(1, static_cast<int64_t>(now_millis()));
      update->bind(2, static_cast<int64_t>(id));
      update->exec();
    }
    // As MLflow's SQL store: every run of the experiment comes back.
    auto runs = connection.statement(
        "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL "
        "WHERE experiment_id = ? AND lifecycle_stage = 'deleted'");
    runs->bind(1, static_cast<int64_t>(id));
    runs->exec();
  });
}

void SqliteTrackingStore::rename_experiment(const std::string& experiment_id, const std::string& new_name) {
  if (new_name.empty()) throw MlflowException(ErrorCode::kInvalidParameterValue, "Invalid experiment name: ''");
  write([&](SqliteConnection& connection) {
    Experiment experiment = require_experiment(connection, experiment_id);
    if (experiment.lifecycle_stage != LifecycleStage::kActive) {
      // MLflow answers INVALID_STATE (a 500) for this user mistake; a 400 fits.
      throw MlflowException(ErrorCode::kInvalidParameterValue, "Cannot rename a non-active experiment.");
    }
    if (experiment.name == new_name) return;
    if (find_experiment_by_name(connection, new_name)) {
      throw MlflowException(ErrorCode::kBadRequest, "Experiment(name=" + new_name + ") already exists.");
    }
    auto update =
        connection.statement("UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?");
    update->bind(1, new_name);
    update->bind(2, static_cast<int64_t>(now_millis()));
    update->bind(3, static_cast<int64_t>(std::stoll(experiment.experiment_id)));
    update->exec();
  });
}

void SqliteTrackingStore::set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) {
  write([&](SqliteConnection& connection) {
    Experiment experiment = require_experiment(connection, experiment_id);
    require_active_experiment_for_tags(experiment);
    upsert_experiment_tag(connection, std::stoll(experiment.experiment_id), tag);
  });
}

void SqliteTrackingStore::delete_experiment_tag(const std::string& experiment_id, const std::string& key) {
  write([&](SqliteConnection& connection) {
    Experiment experiment = require_experiment(connection, experiment_id);
    require_active_experiment_for_tags(experiment);
    auto remove = connection.statement("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?");
    remove->bind(1, static_cast<int64_t>(std::stoll(experiment.experiment_id)));
    remove->bind(2, key);
    if (remove->exec() == 0) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist,
                            "No tag with name: " + key + " in experiment with id " + experiment_id);
    }
  });
}

}  // namespace mlflowcpp::server::store
