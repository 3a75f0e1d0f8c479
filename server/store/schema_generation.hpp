#pragma once

// Which of the two MLflow schemas a backend database holds. Both serve the
// MLflow 2.x tracking and registry calls; only MLflow 3's has the tables of its
// later features (logged models, traces, ...).

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

}  // namespace mlflowcpp::server::store
