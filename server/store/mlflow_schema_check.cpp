#include "server/store/mlflow_schema_check.hpp"

#include <algorithm>
#include <stdexcept>

namespace mlflowcpp::server::store {

void check_mlflow_schema(sql::Connection& connection, const std::vector<std::string>& tables,
                         const SchemaCheckTarget& target) {
  const auto has = [&](const char* name) { return std::find(tables.begin(), tables.end(), name) != tables.end(); };
  if (!has("alembic_version") || !has("experiments")) {
    throw std::runtime_error(target.database +
                             " is not an MLflow tracking database (it has tables but no MLflow schema); use " +
                             target.other_database + " or one created by MLflow 2.9.2");
  }
  std::vector<std::string> revisions;
  auto query = connection.statement("SELECT version_num FROM " + target.alembic_table);
  while (query->step()) revisions.push_back(query->column(0).as_string());
  if (revisions.size() != 1 || revisions[0] != kSupportedAlembicRevision) {
    const std::string found = revisions.empty() ? "none" : revisions[0];
    throw std::runtime_error("the MLflow database " + target.database + " is at alembic revision " + found +
                             "; this server reads only MLflow 2.9.2's schema (revision " +
                             kSupportedAlembicRevision + "). Migrate it with `mlflow db upgrade` from MLflow 2.9.2 " +
                             "or use " + target.other_database);
  }
}

}  // namespace mlflowcpp::server::store
