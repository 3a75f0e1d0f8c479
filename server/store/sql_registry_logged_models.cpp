#include "server/store/sql_registry_logged_models.hpp"

#include "server/store/model_versions_tag.hpp"
#include "server/store/sql_dialect.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server::store {

void require_logged_model_tables(SchemaGeneration generation, const std::string& what) {
  if (generation == SchemaGeneration::kMlflow3) return;
  throw mlflow3_schema_required(what);
}

std::optional<RegistrableLoggedModel> find_registrable_logged_model(sql::Connection& connection,
                                                                    const std::string& model_id, bool lock) {
  auto query = connection.statement(
      "SELECT experiment_id, artifact_location, source_run_id FROM logged_models "
      "WHERE model_id = ? AND lifecycle_stage = 'active'" +
      std::string(lock ? sql_dialect::row_lock(connection.dialect()) : ""));
  query->bind(1, model_id);
  if (!query->step()) return std::nullopt;
  RegistrableLoggedModel model;
  model.model_id = model_id;
  model.experiment_id = query->column(0).as_int64();
  model.artifact_location = query->column(1).as_string();
  if (!query->column(2).is_null()) model.source_run_id = query->column(2).as_string();
  return model;
}

void add_to_model_versions_tag(sql::Connection& connection, const RegistrableLoggedModel& model,
                               const std::string& name, int64_t version) {
  std::optional<std::string> existing;
  {
    auto query = connection.statement("SELECT tag_value FROM logged_model_tags WHERE model_id = ? AND tag_key = ?");
    query->bind(1, model.model_id);
    query->bind(2, kModelVersionsTagKey);
    if (query->step()) existing = query->column(0).as_string();
  }
  auto upsert = connection.statement(sql_dialect::upsert(
      connection.dialect(), "logged_model_tags (model_id, experiment_id, tag_key, tag_value) VALUES (?, ?, ?, ?)",
      {"model_id", "tag_key"}, {"tag_value"}));
  upsert->bind(1, model.model_id);
  upsert->bind(2, model.experiment_id);
  upsert->bind(3, kModelVersionsTagKey);
  upsert->bind(4, model_versions_tag_with(existing, name, version));
  upsert->execute();
}

}  // namespace mlflowcpp::server::store
