// SqlLoggedModelStore: construction and the writes.
#include "server/store/sql_logged_model_store.hpp"

#include "server/store/random_ids.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_store_checks.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <fmt/format.h>

namespace mlflowcpp::server::store {
namespace {

constexpr const char* kModelsFolder = "models";
constexpr const char* kArtifactsFolder = "artifacts";

void require_active_experiment(const Experiment& experiment) {
  if (experiment.lifecycle_stage != LifecycleStage::kActive) {
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          fmt::format("The experiment {} must be in the 'active' state. Current state is {}.",
                                      experiment.experiment_id, lifecycle_column(experiment.lifecycle_stage)));
  }
}

void bind_optional(sql::Statement& statement, int index, const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind_null(index);
  }
}

void upsert_tag(sql::Connection& connection, const std::string& model_id, int64_t experiment_id,
                const LoggedModelTag& tag) {
  auto upsert = connection.statement(sql_dialect::upsert(
      connection.dialect(), "logged_model_tags (model_id, experiment_id, tag_key, tag_value) VALUES (?, ?, ?, ?)",
      {"model_id", "tag_key"}, {"tag_value"}));
  upsert->bind(1, model_id);
  upsert->bind(2, experiment_id);
  upsert->bind(3, tag.key);
  upsert->bind(4, tag.value);
  upsert->execute();
}

// Params never change: a key logged again must carry the value it has.
void insert_param(sql::Connection& connection, const std::string& model_id, int64_t experiment_id,
                  const LoggedModelParameter& param) {
  auto existing = connection.statement(
      "SELECT param_value FROM logged_model_params WHERE model_id = ? AND param_key = ?");
  existing->bind(1, model_id);
  existing->bind(2, param.key);
  if (existing->step()) {
    const std::string value = existing->column(0).as_string();
    if (value == param.value) return;
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          fmt::format("Changing param values is not allowed. Param with key='{}' was already "
                                      "logged with value='{}' for logged model ID '{}'. Attempted logging new "
                                      "value '{}'.",
                                      param.key, value, model_id, param.value));
  }
  auto insert = connection.statement(
      "INSERT INTO logged_model_params (model_id, experiment_id, param_key, param_value) VALUES (?, ?, ?, ?)");
  insert->bind(1, model_id);
  insert->bind(2, experiment_id);
  insert->bind(3, param.key);
  insert->bind(4, param.value);
  insert->execute();
}

}  // namespace

SqlLoggedModelStore::SqlLoggedModelStore(std::shared_ptr<sql::Database> database)
    : database_(std::move(database)), ids_(std::make_unique<RandomIds>()) {}

SqlLoggedModelStore::~SqlLoggedModelStore() = default;

LoggedModel SqlLoggedModelStore::create_logged_model(const CreateLoggedModelRequest& request) {
  const std::string model_id = "m-" + ids_->uuid4_hex();
  const std::string name = request.name.empty() ? ids_->run_name() : request.name;
  const int64_t now = now_millis();
  LoggedModel created;
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    const Experiment experiment = require_experiment(connection, request.experiment_id);
    require_active_experiment(experiment);
    const int64_t experiment_id = std::stoll(experiment.experiment_id);
    const std::string artifact_location = append_to_uri_path(
        append_to_uri_path(append_to_uri_path(experiment.artifact_location, kModelsFolder), model_id),
        kArtifactsFolder);
    auto insert = connection.statement(
        "INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, "
        "last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id, status_message) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)");
    insert->bind(1, model_id);
    insert->bind(2, experiment_id);
    insert->bind(3, name);
    insert->bind(4, artifact_location);
    insert->bind(5, now);
    insert->bind(6, now);
    insert->bind(7, static_cast<int64_t>(LoggedModelStatus::kPending));
    bind_optional(*insert, 8, request.model_type);
    bind_optional(*insert, 9, request.source_run_id);
    insert->execute();
    for (const LoggedModelParameter& param : request.params) insert_param(connection, model_id, experiment_id, param);
    for (const LoggedModelTag& tag : request.tags) upsert_tag(connection, model_id, experiment_id, tag);
    created = *find_logged_model(connection, model_id, /*include_deleted=*/true);
  });
  return created;
}

void SqlLoggedModelStore::delete_logged_model(const std::string& model_id) {
  const int64_t now = now_millis();
  write_transaction(*database_, [&](sql::Connection& connection) {
    auto update = connection.statement(
        "UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?");
    update->bind(1, now);
    update->bind(2, model_id);
    if (update->execute() == 0) throw logged_model_not_found(model_id);
  });
}

LoggedModel SqlLoggedModelStore::finalize_logged_model(const std::string& model_id, LoggedModelStatus status) {
  const int64_t now = now_millis();
  LoggedModel finalized;
  write_transaction(*database_, [&](sql::Connection& connection) {
    auto update = connection.statement(
        "UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?");
    update->bind(1, static_cast<int64_t>(status));
    update->bind(2, now);
    update->bind(3, model_id);
    if (update->execute() == 0) throw logged_model_not_found(model_id);
    finalized = *find_logged_model(connection, model_id, /*include_deleted=*/true);
  });
  return finalized;
}

void SqlLoggedModelStore::set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    const int64_t experiment_id = require_logged_model_experiment(connection, model_id);
    for (const LoggedModelTag& tag : tags) upsert_tag(connection, model_id, experiment_id, tag);
  });
}

void SqlLoggedModelStore::delete_logged_model_tag(const std::string& model_id, const std::string& key) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_logged_model_experiment(connection, model_id);
    auto remove = connection.statement("DELETE FROM logged_model_tags WHERE model_id = ? AND tag_key = ?");
    remove->bind(1, model_id);
    remove->bind(2, key);
    if (remove->execute() == 0) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist,
                            fmt::format("No tag with key '{}' found for model with ID '{}'.", key, model_id));
    }
  });
}

void SqlLoggedModelStore::log_logged_model_params(const std::string& model_id,
                                                  const std::vector<LoggedModelParameter>& params) {
  // A concurrent insert of the same key surfaces as a unique violation; the
  // job then runs again and compares with the value that won.
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    const int64_t experiment_id = require_logged_model_experiment(connection, model_id);
    for (const LoggedModelParameter& param : params) insert_param(connection, model_id, experiment_id, param);
  });
}

}  // namespace mlflowcpp::server::store
