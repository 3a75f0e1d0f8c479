// SqlTrackingStore: construction and experiments. Runs and logging are in
// sql_tracking_store_runs.cpp, searches and metric history in
// sql_tracking_store_queries.cpp.

#include "server/store/sql_tracking_store.hpp"

#include "server/store/random_ids.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_entity_reader.hpp"
#include "server/store/sql_store_checks.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <mlflowcpp/errors.hpp>

#include <stdexcept>

namespace mlflowcpp::server::store {

SqlTrackingStore::SqlTrackingStore(std::shared_ptr<sql::Database> database, SqlStoreOptions options)
    : database_(std::move(database)), options_(std::move(options)), ids_(std::make_unique<RandomIds>()) {
  insert_default_experiment();
}

SqlTrackingStore::~SqlTrackingStore() = default;

void SqlTrackingStore::insert_default_experiment() {
  const std::string location = append_to_uri_path(options_.default_artifact_root, "0");
  try {
    database_->write([&](sql::Connection& connection) {
      {
        auto count = connection.statement("SELECT COUNT(*) FROM experiments");
        count->step();
        if (count->column(0).as_int64() != 0) return;
      }
      const int64_t now = now_millis();
      auto insert = connection.statement(
          "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
          "last_update_time) VALUES (0, 'Default', ?, 'active', ?, ?)");
      insert->bind(1, location);
      insert->bind(2, now);
      insert->bind(3, now);
      insert->execute();
    });
  } catch (const sql::DatabaseError& error) {
    // Another server starting on the same database inserted it first.
    if (error.kind() == sql::DatabaseError::Kind::kUniqueViolation) return;
    throw std::runtime_error(std::string("cannot create the default experiment: ") + error.what());
  }
}

// ---------------------------------------------------------------------------
// Experiments

namespace {

void upsert_experiment_tag(sql::Connection& connection, int64_t experiment_id, const ExperimentTag& tag) {
  auto upsert = connection.statement(sql_dialect::upsert(connection.dialect(),
                                                         "experiment_tags (key, value, experiment_id) VALUES (?, ?, ?)",
                                                         {"key", "experiment_id"}, {"value"}));
  upsert->bind(1, tag.key);
  upsert->bind(2, tag.value);
  upsert->bind(3, static_cast<int64_t>(experiment_id));
  upsert->execute();
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
Experiment require_experiment_in_stage(sql::Connection& connection, const std::string& experiment_id,
                                       LifecycleStage stage) {
  Experiment experiment = require_experiment(connection, experiment_id);
  if (experiment.lifecycle_stage != stage) throw experiment_not_found(experiment_id);
  return experiment;
}

}  // namespace

std::string SqlTrackingStore::create_experiment(const std::string& name, const std::string& artifact_location,
                                                const std::vector<ExperimentTag>& tags) {
  if (name.empty()) throw MlflowException(ErrorCode::kInvalidParameterValue, "Invalid experiment name: ''");
  int64_t experiment_id = 0;
  const auto job = [&](sql::Connection& connection) {
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
          "VALUES (?, ?, 'active', ?, ?)" +
          sql_dialect::returning(connection.dialect(), "experiment_id"));
      insert->bind(1, name);
      if (artifact_location.empty()) {
        insert->bind_null(2);  // NULL until the id is known
      } else {
        insert->bind(2, artifact_location);
      }
      insert->bind(3, static_cast<int64_t>(now));
      insert->bind(4, static_cast<int64_t>(now));
      experiment_id = sql_dialect::inserted_id(connection, *insert);
    }
    if (artifact_location.empty()) {
      auto update = connection.statement("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?");
      update->bind(1, append_to_uri_path(options_.default_artifact_root, std::to_string(experiment_id)));
      update->bind(2, static_cast<int64_t>(experiment_id));
      update->execute();
    }
    for (const auto& tag : tags) upsert_experiment_tag(connection, experiment_id, tag);
  };
  try {
    write_transaction_keeping_unique_violation(*database_, job);
  } catch (const sql::DatabaseError&) {
    // Another transaction created the name after this one looked for it.
    throw MlflowException(ErrorCode::kResourceAlreadyExists, "Experiment(name=" + name + ") already exists.");
  }
  return std::to_string(experiment_id);
}

Experiment SqlTrackingStore::get_experiment(const std::string& experiment_id) {
  auto id = parse_experiment_id(experiment_id);
  if (!id) throw experiment_not_found(experiment_id);
  std::optional<Experiment> experiment;
  read_transaction(*database_, [&](sql::Connection& connection) { experiment = find_experiment(connection, *id); });
  if (!experiment) throw experiment_not_found(experiment_id);
  return std::move(*experiment);
}

Experiment SqlTrackingStore::get_experiment_by_name(const std::string& name) {
  std::optional<Experiment> experiment;
  read_transaction(*database_,
                   [&](sql::Connection& connection) { experiment = find_experiment_by_name(connection, name); });
  if (!experiment) {
    throw MlflowException(ErrorCode::kResourceDoesNotExist, "Could not find experiment with name '" + name + "'");
  }
  return std::move(*experiment);
}

void SqlTrackingStore::delete_experiment(const std::string& experiment_id) {
  write_transaction(*database_, [&](sql::Connection& connection) {
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
      update->execute();
    }
    // Its active runs go with it; runs deleted earlier keep their deleted_time.
    auto runs = connection.statement(
        "UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? "
        "WHERE experiment_id = ? AND lifecycle_stage = 'active'");
    runs->bind(1, static_cast<int64_t>(now));
    runs->bind(2, static_cast<int64_t>(id));
    runs->execute();
  });
}

void SqlTrackingStore::restore_experiment(const std::string& experiment_id) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    Experiment experiment = require_experiment_in_stage(connection, experiment_id, LifecycleStage::kDeleted);
    int64_t id = std::stoll(experiment.experiment_id);
    {
      auto update = connection.statement(
          "UPDATE experiments SET lifecycle_stage = 'active', last_update_time = ? WHERE experiment_id = ?");
      update->bind(1, static_cast<int64_t>(now_millis()));
      update->bind(2, static_cast<int64_t>(id));
      update->execute();
    }
    // As MLflow's SQL store: every run of the experiment comes back.
    auto runs = connection.statement(
        "UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL "
        "WHERE experiment_id = ? AND lifecycle_stage = 'deleted'");
    runs->bind(1, static_cast<int64_t>(id));
    runs->execute();
  });
}

void SqlTrackingStore::rename_experiment(const std::string& experiment_id, const std::string& new_name) {
  if (new_name.empty()) throw MlflowException(ErrorCode::kInvalidParameterValue, "Invalid experiment name: ''");
  const auto job = [&](sql::Connection& connection) {
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
    update->execute();
  };
  try {
    write_transaction_keeping_unique_violation(*database_, job);
  } catch (const sql::DatabaseError&) {
    // Another transaction took the name after this one looked for it.
    throw MlflowException(ErrorCode::kBadRequest, "Experiment(name=" + new_name + ") already exists.");
  }
}

void SqlTrackingStore::set_experiment_tag(const std::string& experiment_id, const ExperimentTag& tag) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    Experiment experiment = require_experiment(connection, experiment_id);
    require_active_experiment_for_tags(experiment);
    upsert_experiment_tag(connection, std::stoll(experiment.experiment_id), tag);
  });
}

void SqlTrackingStore::delete_experiment_tag(const std::string& experiment_id, const std::string& key) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    Experiment experiment = require_experiment(connection, experiment_id);
    require_active_experiment_for_tags(experiment);
    auto remove = connection.statement("DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?");
    remove->bind(1, static_cast<int64_t>(std::stoll(experiment.experiment_id)));
    remove->bind(2, key);
    if (remove->execute() == 0) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist,
                            "No tag with name: " + key + " in experiment with id " + experiment_id);
    }
  });
}

}  // namespace mlflowcpp::server::store
