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
#include <thread>
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
  postgres().psql(name,
                  "INSERT INTO users (username, password_hash, is_admin) VALUES ('alice', 'h', true), ('bob', 'h', "
                  "false);"
                  "INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES ('1', 1, 'EDIT');"
                  "INSERT INTO scorer_permissions (experiment_id, scorer_name, user_id, permission) "
                  "VALUES ('1', 's', 1, 'EDIT'), ('1', 's', 2, 'READ');");
  auto store = open_auth_store(uri);
  const auto alice = store->find_user("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_TRUE(alice->is_admin);
  EXPECT_FALSE(store->find_user("bob")->is_admin);
  EXPECT_EQ(store->experiment_permission(alice->id, "1"), Permission::kEdit);
  // Ids continue from MLflow's sequence.
  EXPECT_EQ(store->create_user("carol", "h", false).id, 3);
  store->delete_user("alice");
  EXPECT_EQ(postgres().psql(name, "SELECT user_id FROM scorer_permissions"), "2\n");
  EXPECT_EQ(postgres().psql(name, "SELECT count(*) FROM experiment_permissions"), "0\n");
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
  std::vector<std::thread> replicas;
  std::atomic<int> failures{0};
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      try {
        open_auth_store(uri);
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
        ++failures;
      }
    });
  }
  for (auto& replica : replicas) replica.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(postgres().psql(name, "SELECT count(*) FROM alembic_version"), "1\n");
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
