#include "server/store/mlflow_schema_check.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlflowcpp::server::store {

std::string read_alembic_revision(sql::Connection& connection, const std::string& alembic_table) {
  std::vector<std::string> revisions;
  auto query = connection.statement("SELECT version_num FROM " + alembic_table);
  while (query->step()) revisions.push_back(query->column(0).as_string());
  if (revisions.size() > 1) return revisions[0] + " (and " + std::to_string(revisions.size() - 1) + " more)";
  return revisions.empty() ? "none" : revisions[0];
}

SchemaGeneration check_mlflow_schema(sql::Connection& connection, const std::vector<std::string>& tables,
                                     const SchemaCheckTarget& target) {
  const auto has = [&](const char* name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
  if (!has("alembic_version") || !has("experiments")) {
    throw std::runtime_error(target.database +
                             " is not an MLflow tracking database (it has tables but no MLflow schema); use " +
                             target.other_database + " or one created by MLflow");
  }
  const std::string revision = read_alembic_revision(connection, target.alembic_table);
  if (revision == kMlflow3AlembicRevision) return SchemaGeneration::kMlflow3;
  if (revision == kMlflow2AlembicRevision) return SchemaGeneration::kMlflow2;
  throw std::runtime_error("the MLflow database " + target.database + " is at alembic revision " + revision +
                           "; this server reads MLflow 3's schema (revision " + kMlflow3AlembicRevision +
                           ") and MLflow 2.9.2's (revision " + kMlflow2AlembicRevision +
                           "). Migrate it with `mlflow db upgrade` from the MLflow version whose schema it should " +
                           "have, or use " + target.other_database);
}

}  // namespace mlflowcpp::server::store
