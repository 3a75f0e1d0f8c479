// The basic-auth app's store on MySQL / MariaDB (a throwaway MariaDB server):
// the shared AuthStore cases, the schema of a new database, what MLflow's own
// migration leaves there, a database written by hand as MLflow's users do,
// revision checks, and replicas starting together.

#include "server/auth/auth_store_factory.hpp"
#include "unit/auth/auth_store_contract.hpp"
#include "unit/auth/mlflow_auth_ddl.hpp"

#include "testing/mariadb_process.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::server::auth::testing {
namespace {

using mlflowcpp::testing::MariadbProcess;

// One server for the whole program, started by the first test that needs it; null without MariaDB.
MariadbProcess* mariadb() {
  static const std::unique_ptr<MariadbProcess> server =
      MariadbProcess::installed() ? std::make_unique<MariadbProcess>() : nullptr;
  return server.get();
}

std::string new_database(const std::string& prefix) {
  static std::atomic<int> next{0};
  return prefix + std::to_string(next++);
}

#define SKIP_WITHOUT_MARIADB() \
  if (mariadb() == nullptr) GTEST_SKIP() << "MariaDB is not installed (scripts/install-deps.sh --test installs it)"

INSTANTIATE_TEST_SUITE_P(Mysql, AuthStoreContract,
                         ::testing::Values(AuthStoreBackend{"Mysql",
                                                            []() -> std::unique_ptr<AuthStore> {
                                                              if (mariadb() == nullptr) return nullptr;
                                                              return open_auth_store(
                                                                  mariadb()->create_database(new_database("c")));
                                                            },
                                                            true}),
                         backend_name);

#define SKIP_WITHOUT_MARIADB() \
  if (mariadb() == nullptr) GTEST_SKIP() << "MariaDB is not installed (scripts/install-deps.sh --test installs it)"

// MLflow's initial auth migration as SQLAlchemy emits it on MySQL, which fails there, and the same with the second
// foreign key renamed, as MLflow's users create the database by hand (MLflow issue 9642).
const std::string kMlflowInitialMigration = mlflow_initial_auth_migration("INTEGER AUTO_INCREMENT");
std::string hand_written_initial_migration() {
  std::string ddl = kMlflowInitialMigration;
  const std::string second_fk =
      "CONSTRAINT fk_user_id FOREIGN KEY(user_id) REFERENCES users (id), \n\tCONSTRAINT unique_name_user";
  const auto at = ddl.find(second_fk);
  if (at == std::string::npos) throw std::logic_error("the migration text changed");
  ddl.replace(at, std::string("CONSTRAINT fk_user_id").size(), "CONSTRAINT fk_user_id_reg_model");
  return ddl;
}
const std::string kMlflow36Upgrade = mlflow_36_auth_upgrade("INTEGER AUTO_INCREMENT");

// The database's DDL as mariadb-dump prints it, without its comments (which name the database and the time).
std::string ddl_of(const std::string& database) {
  std::string ddl;
  std::istringstream lines(mariadb()->dump_schema(database));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("--", 0) != 0) ddl += line + "\n";
  }
  return ddl;
}

std::string error_code_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& error) {
    return error.error_code();
  }
  return "no error";
}

TEST(MysqlAuthDatabase, ANewDatabaseHasMlflowsSchemaWithTheSecondForeignKeyRenamed) {
  SKIP_WITHOUT_MARIADB();
  const std::string ours = new_database("ours");
  const std::string theirs = new_database("theirs");
  open_auth_store(mariadb()->create_database(ours));
  mariadb()->create_database(theirs);
  mariadb()->sql(theirs, hand_written_initial_migration());
  EXPECT_EQ(mariadb()->sql(ours, "SELECT version_num FROM alembic_version"), "8606fa83a998\n");
  EXPECT_EQ(ddl_of(ours), ddl_of(theirs));
  EXPECT_NE(ddl_of(ours).find("CONSTRAINT `fk_user_id_reg_model` FOREIGN KEY"), std::string::npos) << ddl_of(ours);
}

TEST(MysqlAuthDatabase, FinishesWhatMlflowsOwnMigrationLeavesHere) {
  SKIP_WITHOUT_MARIADB();
  const std::string name = new_database("halfway");
  const std::string uri = mariadb()->create_database(name);
  // InnoDB refuses the second constraint named fk_user_id; MySQL has committed the tables before it.
  EXPECT_THROW(mariadb()->sql(name, kMlflowInitialMigration), std::runtime_error);
  EXPECT_EQ(mariadb()->sql(name, "SHOW TABLES"), "alembic_version\nexperiment_permissions\nusers\n");

  auto store = open_auth_store(uri);
  EXPECT_EQ(mariadb()->sql(name, "SELECT version_num FROM alembic_version"), "8606fa83a998\n");
  const std::string fresh = new_database("fresh");
  open_auth_store(mariadb()->create_database(fresh));
  EXPECT_EQ(ddl_of(name), ddl_of(fresh));
  store->create_user("alice", "h", false);
  EXPECT_EQ(store->create_registered_model_grant("m", "alice", Permission::kEdit).permission, "EDIT");
}

TEST(MysqlAuthDatabase, FinishesWhatMlflow36sOwnMigrationLeavesHere) {
  SKIP_WITHOUT_MARIADB();
  const std::string name = new_database("halfway36");
  const std::string uri = mariadb()->create_database(name);
  // MLflow 3.6 runs the same migration with its revisions in alembic_version_auth.
  const std::string migration = kMlflowInitialMigration.substr(kMlflowInitialMigration.find("CREATE TABLE users"));
  mariadb()->sql(name,
                 "CREATE TABLE alembic_version_auth (version_num VARCHAR(32) NOT NULL, "
                 "CONSTRAINT alembic_version_auth_pkc PRIMARY KEY (version_num))");
  EXPECT_THROW(mariadb()->sql(name, migration), std::runtime_error);

  auto store = open_auth_store(uri);
  EXPECT_EQ(mariadb()->sql(name, "SELECT version_num FROM alembic_version_auth"), "8606fa83a998\n");
  EXPECT_EQ(mariadb()->sql(name, "SHOW TABLES"),
            "alembic_version_auth\nexperiment_permissions\nregistered_model_permissions\nusers\n");
  store->create_user("alice", "h", false);
  EXPECT_EQ(store->create_registered_model_grant("m", "alice", Permission::kRead).permission, "READ");
}

TEST(MysqlAuthDatabase, ServesADatabaseWrittenByHandAndDeletesScorerGrantsWithTheUser) {
  SKIP_WITHOUT_MARIADB();
  const std::string name = new_database("mlflow");
  const std::string uri = mariadb()->create_database(name);
  mariadb()->sql(name, hand_written_initial_migration());
  mariadb()->sql(name, kMlflow36Upgrade);
  mariadb()->sql(name, kMlflowWrittenRows);
  auto store = open_auth_store(uri);
  expect_serves_mlflow_written_rows(*store, [&](const std::string& query) { return mariadb()->sql(name, query); });
}

TEST(MysqlAuthDatabase, UsernamesDifferingOnlyInCaseAreOneUserAsInMlflowThere) {
  SKIP_WITHOUT_MARIADB();
  auto store = open_auth_store(mariadb()->create_database(new_database("case")));
  const User alice = store->create_user("alice", "h", false);
  EXPECT_EQ(error_code_of([&] { store->create_user("ALICE", "other", true); }), "RESOURCE_ALREADY_EXISTS");
  const auto found = store->find_user("Alice");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, alice.id);
  EXPECT_EQ(found->username, "alice");
  EXPECT_FALSE(found->is_admin);
}

TEST(MysqlAuthDatabase, RefusesAnotherRevisionOrOtherTables) {
  SKIP_WITHOUT_MARIADB();
  const std::string revision = new_database("revision");
  const std::string revision_uri = mariadb()->create_database(revision);
  mariadb()->sql(revision, hand_written_initial_migration());
  mariadb()->sql(revision, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
  const std::string message = open_error(revision_uri);
  EXPECT_NE(message.find("alembic revision ffffffffffff"), std::string::npos) << message;
  EXPECT_EQ(message.find(MariadbProcess::kPassword), std::string::npos) << message;

  const std::string other = new_database("other");
  const std::string other_uri = mariadb()->create_database(other);
  mariadb()->sql(other, "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY)");
  EXPECT_NE(open_error(other_uri).find("not those of MLflow's basic-auth app"), std::string::npos);
}

TEST(MysqlAuthDatabase, ReplicasStartingTogetherCreateTheSchemaOnce) {
  SKIP_WITHOUT_MARIADB();
  const std::string name = new_database("replicas");
  const std::string uri = mariadb()->create_database(name);
  open_as_four_replicas_at_once(uri);
  EXPECT_EQ(mariadb()->sql(name, "SELECT count(*) FROM alembic_version"), "1\n");
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
