#pragma once

// What registering an MLflow 3 logged model as a model version reads and
// writes in the logged-model tables, on the registry's connection, so that it
// joins the transaction creating the version.

#include "server/store/schema_generation.hpp"
#include "server/store/sql_database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace mlflowcpp::server::store {

// The parts of a logged model that registering it uses.
struct RegistrableLoggedModel {
  std::string model_id;
  int64_t experiment_id = 0;
  std::string artifact_location;
  std::optional<std::string> source_run_id;
};

// mlflow3_schema_required (the upgrade hint) on a database with
// MLflow 2.9's schema (it has no logged-model tables). `what` names what
// needed them: "Registering logged model 'm-...'".
void require_logged_model_tables(SchemaGeneration generation, const std::string& what);

// An active (not deleted) logged model; nullopt when there is none. With
// `lock` its row is held until the transaction ends (PostgreSQL), so two
// registrations of one model do not both rewrite its tag from the same value.
std::optional<RegistrableLoggedModel> find_registrable_logged_model(sql::Connection& connection,
                                                                    const std::string& model_id, bool lock);

// Adds version `version` of registered model `name` to the model's
// mlflow.modelVersions tag (model_versions_tag.hpp), as the official server
// does after registering it. The model's update time is left as it is there.
void add_to_model_versions_tag(sql::Connection& connection, const RegistrableLoggedModel& model,
                               const std::string& name, int64_t version);

}  // namespace mlflowcpp::server::store
