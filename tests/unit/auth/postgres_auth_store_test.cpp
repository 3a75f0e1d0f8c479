// The basic-auth app's store on PostgreSQL (a real PostgreSQL 15 server): the
// shared AuthStore cases, the schema of a new database, a database written by
// MLflow's migrations, and revision checks.

#include "server/auth/auth_store_factory.hpp"
#include "unit/auth/auth_store_contract.hpp"
#include "unit/auth/mlflow_auth_ddl.hpp"

#include "testing/postgres_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::auth::testing {
namespace {

// One server for the whole program, started by the first test that needs it.
mlflowcpp::testing::PostgresProcess& postgres() {
  static mlflowcpp::testing::PostgresProcess server;
  return server;
}

std::string new_database(const std::string& prefix) {
  static std::atomic<int> next{0};
  return prefix + std::to_string(next++);
}

INSTANTIATE_TEST_SUITE_P(Postgres, AuthStoreContract,
                         ::testing::Values(AuthStoreBackend{
                             "Postgres",
                             [] { return open_auth_store(postgres().create_database(new_database("c"))); }}),
                         backend_name);

// MLflow's initial auth migration (8606fa83a998) and what MLflow 3.6 adds, as SQLAlchemy emits them here.
const std::string kMlflowInitialMigration = mlflow_initial_auth_migration("SERIAL");
const std::string kMlflow36Upgrade = mlflow_36_auth_upgrade("SERIAL");

// The columns of the public tables, as information_schema describes them.
constexpr const char* kColumns =
    "SELECT string_agg(table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
    "coalesce(column_default, '-'), E'\\n' ORDER BY table_name, ordinal_position) "
    "FROM information_schema.columns WHERE table_schema = 'public'";
constexpr const char* kConstraints =
    "SELECT string_agg(conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid), E'\\n' "
    "ORDER BY conrelid::regclass::text, conname) FROM pg_constraint WHERE connamespace = 'public'::regnamespace";

TEST(PostgresAuthDatabase, ANewDatabaseHasMlflowsInitialAuthSchema) {
  const std::string ours = new_database("ours");
  const std::string theirs = new_database("theirs");
  open_auth_store(postgres().create_database(ours));
  postgres().create_database(theirs);
  postgres().psql(theirs, kMlflowInitialMigration);
  EXPECT_EQ(postgres().psql(ours, "SELECT version_num FROM alembic_version"), "8606fa83a998\n");
  EXPECT_EQ(postgres().psql(ours, kColumns), postgres().psql(theirs, kColumns));
  EXPECT_EQ(postgres().psql(ours, kConstraints), postgres().psql(theirs, kConstraints));
}

TEST(PostgresAuthDatabase, ServesADatabaseWrittenByMlflowAndDeletesScorerGrantsWithTheUser) {
  const std::string name = new_database("mlflow");
  const std::string uri = postgres().create_database(name);
  postgres().psql(name, kMlflowInitialMigration);
  postgres().psql(name, kMlflow36Upgrade);
  postgres().psql(name, kMlflowWrittenRows);
  auto store = open_auth_store(uri);
  expect_serves_mlflow_written_rows(*store, [&](const std::string& query) { return postgres().psql(name, query); });
}

TEST(PostgresAuthDatabase, RefusesAnotherRevisionOrOtherTables) {
  const std::string revision = new_database("revision");
  const std::string revision_uri = postgres().create_database(revision);
  postgres().psql(revision, kMlflowInitialMigration);
  postgres().psql(revision, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
  const std::string message = open_error(revision_uri);
  EXPECT_NE(message.find("alembic revision ffffffffffff"), std::string::npos) << message;

  const std::string other = new_database("other");
  const std::string other_uri = postgres().create_database(other);
  postgres().psql(other, "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY)");
  EXPECT_NE(open_error(other_uri).find("not those of MLflow's basic-auth app"), std::string::npos);
}

TEST(PostgresAuthDatabase, ReplicasStartingTogetherCreateTheSchemaOnce) {
  const std::string name = new_database("replicas");
  const std::string uri = postgres().create_database(name);
  open_as_four_replicas_at_once(uri);
  EXPECT_EQ(postgres().psql(name, "SELECT count(*) FROM alembic_version"), "1\n");
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
