#pragma once

// Which of the two MLflow schemas a backend database holds. Both serve the
// MLflow 2.x tracking and registry calls; only MLflow 3's has the tables of its
// later features (logged models, traces, ...).

#include <mlflowcpp/errors.hpp>

#include <string>
#include <string_view>

namespace mlflowcpp::server::store {

enum class SchemaGeneration {
  kMlflow2,  // MLflow 2.9.2's schema, alembic revision acf3f17fdcc7
  kMlflow3,  // MLflow 3's schema, alembic revision 1b5f0d9ad7c1 (what new databases get)
};

// The alembic revisions of the two schemas, as alembic_version holds them.
inline constexpr const char* kMlflow2AlembicRevision = "acf3f17fdcc7";
inline constexpr const char* kMlflow3AlembicRevision = "1b5f0d9ad7c1";

// What to tell a client that asks a 2.9 database for something only MLflow 3's
// schema can hold.
inline constexpr const char* kUpgradeToMlflow3Hint =
    "the backend database has MLflow 2.9's schema (alembic revision acf3f17fdcc7); upgrade it to MLflow 3's with "
    "`mlflowcpp db upgrade <backend store URI>`";

// The one answer to such a call, whichever layer meets it: INVALID_STATE (a
// code clients can tell from a mistake in the request: ours then falls back
// to MLflow 2's way of logging a model) with status 400 rather than MLflow's
// 500 for that code, since a 5xx would invite clients to retry. `feature`
// names what was asked ("Run outputs").
inline MlflowException mlflow3_schema_required(std::string_view feature) {
  return MlflowException(std::string(error_code_name(ErrorCode::kInvalidState)), 400,
                         std::string(feature) + ": MLflow 3's tables are needed, and " + kUpgradeToMlflow3Hint + ".");
}

}  // namespace mlflowcpp::server::store
