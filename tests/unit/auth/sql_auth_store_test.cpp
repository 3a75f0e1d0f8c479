// The basic-auth app's store on SQLite: the shared AuthStore cases, the
// schema of a new database, databases written by MLflow's own migrations,
// revision checks, the admin created at first start, and the cost of the
// per-request lookups.

#include "server/auth/admin_user.hpp"
#include "server/auth/auth_store_factory.hpp"
#include "server/auth/password_hash.hpp"
#include "unit/auth/auth_store_contract.hpp"
#include "unit/auth/auth_test_support.hpp"
#include "unit/auth/mlflow_auth_ddl.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

namespace mlflowcpp::server::auth::testing {
namespace {

AuthTempDir& shared_dir() {
  static AuthTempDir dir;
  return dir;
}

std::string new_database_uri() {
  static std::atomic<int> next{0};
  return "sqlite:///" + shared_dir().file("auth-" + std::to_string(next++) + ".db");
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuthStoreContract,
                         ::testing::Values(AuthStoreBackend{"Sqlite",
                                                            [] { return open_auth_store(new_database_uri()); }}),
                         backend_name);

// MLflow's initial auth migration (8606fa83a998) and what MLflow 3.6 adds, as SQLAlchemy emits them here.
const std::string kMlflowInitialMigration = mlflow_initial_auth_migration("INTEGER");
const std::string kMlflow36Upgrade = mlflow_36_auth_upgrade("INTEGER");

// A werkzeug 3.1 hash (scrypt:1024:8:1) of "werkzeug-pw", written by generate_password_hash.
constexpr const char* kWerkzeugHash =
    "scrypt:1024:8:1$qQHGITs3SJTlyOaP$4a14a6eef58e4f359d8a444bf45eb64d848c64cb0d47845df8f6b3bf936de795caef0d30c384f59"
    "32195cd360a2e9b76a7a382abac588db7b5e50d3c77c593b7";

class SqliteAuthDatabaseTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name = "auth.db") const { return dir_.file(name); }
  std::string uri(const std::string& name = "auth.db") const { return "sqlite:///" + path(name); }

  void run_sql(const std::string& sql, const std::string& name = "auth.db") const {
    SQLite::Database database(path(name), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    database.exec(sql);
  }

  std::string query_text(const std::string& sql, const std::string& name = "auth.db") const {
    SQLite::Database database(path(name), SQLite::OPEN_READONLY);
    SQLite::Statement query(database, sql);
    return query.executeStep() ? query.getColumn(0).getString() : "(no row)";
  }

  AuthTempDir dir_;
};

TEST_F(SqliteAuthDatabaseTest, ANewDatabaseHasMlflowsInitialAuthSchema) {
  open_auth_store(uri());
  EXPECT_EQ(query_text("SELECT version_num FROM alembic_version"), "8606fa83a998");
  EXPECT_EQ(query_text("SELECT count(*) FROM alembic_version"), "1");
  // Byte for byte what MLflow's migration creates, so MLflow's app and its migrations see their own schema.
  SQLite::Database expected(":memory:", SQLite::OPEN_READWRITE);
  expected.exec(kMlflowInitialMigration);
  SQLite::Database actual(path(), SQLite::OPEN_READONLY);
  const auto schema_of = [](SQLite::Database& database) {
    std::vector<std::string> rows;
    SQLite::Statement query(database,
                            "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master "
                            "ORDER BY name");
    while (query.executeStep()) rows.push_back(query.getColumn(0).getString());
    return rows;
  };
  EXPECT_EQ(schema_of(actual), schema_of(expected));
}

TEST_F(SqliteAuthDatabaseTest, KeepsWhatItWroteAcrossReopening) {
  {
    auto store = open_auth_store(uri());
    store->create_user("alice", "h", true);
    store->create_experiment_grant("1", "alice", Permission::kEdit);
  }
  auto store = open_auth_store(uri());
  const auto alice = store->find_user("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_TRUE(alice->is_admin);
  EXPECT_EQ(store->experiment_permission(alice->id, "1"), Permission::kEdit);
  EXPECT_EQ(query_text("SELECT is_admin FROM users"), "1");
}

TEST_F(SqliteAuthDatabaseTest, ServesADatabaseWrittenByMlflow29) {
  run_sql(kMlflowInitialMigration);
  run_sql(std::string("INSERT INTO users (username, password_hash, is_admin) VALUES ('admin', '") + kWerkzeugHash +
          "', 1), ('bob', 'x', 0);"
          "INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES ('3', 2, 'MANAGE'), "
          "('4', 2, 'NOT_A_PERMISSION'), ('5', 2, NULL);"
          "INSERT INTO registered_model_permissions (name, user_id, permission) VALUES ('m', 2, 'READ');");
  auto store = open_auth_store(uri());
  const auto admin = store->find_user("admin");
  ASSERT_TRUE(admin.has_value());
  EXPECT_TRUE(admin->is_admin);
  EXPECT_TRUE(check_password(admin->password_hash, "werkzeug-pw"));
  const auto bob = store->find_user("bob");
  EXPECT_EQ(store->experiment_permission(bob->id, "3"), Permission::kManage);
  // A hand-edited grant that names no permission allows nothing (and does not fall back to the default).
  EXPECT_EQ(store->experiment_permission(bob->id, "4"), Permission::kNoPermissions);
  EXPECT_EQ(store->experiment_permission(bob->id, "5"), Permission::kNoPermissions);
  EXPECT_EQ(store->get_experiment_grant("4", "bob").permission, "NOT_A_PERMISSION");
  EXPECT_EQ(store->registered_model_permission(bob->id, "m"), Permission::kRead);
  // Still at its revision: nothing migrated it.
  EXPECT_EQ(query_text("SELECT version_num FROM alembic_version"), "8606fa83a998");
}

TEST_F(SqliteAuthDatabaseTest, ServesADatabaseUpgradedByMlflow36AndDeletesScorerGrantsWithTheUser) {
  run_sql(kMlflowInitialMigration);
  run_sql(kMlflow36Upgrade);
  run_sql(
      "INSERT INTO users (username, password_hash, is_admin) VALUES ('alice', 'h', 0), ('bob', 'h', 0);"
      "INSERT INTO scorer_permissions (experiment_id, scorer_name, user_id, permission) "
      "VALUES ('1', 's', 1, 'EDIT'), ('1', 's', 2, 'READ');");
  auto store = open_auth_store(uri());
  store->delete_user("alice");
  EXPECT_EQ(query_text("SELECT count(*) FROM scorer_permissions"), "1");
  EXPECT_EQ(query_text("SELECT user_id FROM scorer_permissions"), "2");
}

TEST_F(SqliteAuthDatabaseTest, ReadsTheRevisionFromMlflow36sVersionTableFirst) {
  run_sql(kMlflowInitialMigration);
  run_sql("UPDATE alembic_version SET version_num = 'acf3f17fdcc7'");  // stale, or another app's: not read
  run_sql(
      "CREATE TABLE alembic_version_auth (version_num VARCHAR(32) NOT NULL PRIMARY KEY);"
      "INSERT INTO alembic_version_auth VALUES ('8606fa83a998');");
  EXPECT_NO_THROW(open_auth_store(uri()));
}

TEST_F(SqliteAuthDatabaseTest, RefusesAnotherRevision) {
  run_sql(kMlflowInitialMigration);
  run_sql("UPDATE alembic_version SET version_num = 'ffffffffffff'");
  const std::string message = open_error(uri());
  EXPECT_NE(message.find("alembic revision ffffffffffff"), std::string::npos) << message;
  EXPECT_NE(message.find("8606fa83a998"), std::string::npos) << message;
  EXPECT_NE(message.find(path()), std::string::npos) << message;

  run_sql("DELETE FROM alembic_version");
  EXPECT_NE(open_error(uri()).find("revision none"), std::string::npos);
}

TEST_F(SqliteAuthDatabaseTest, RefusesTheScorerRevisionWithoutItsTable) {
  run_sql(kMlflowInitialMigration);
  run_sql("UPDATE alembic_version SET version_num = '0965eb92f5f0'");
  EXPECT_NE(open_error(uri()).find("no scorer_permissions table"), std::string::npos);
}

TEST_F(SqliteAuthDatabaseTest, RefusesADatabaseWithoutTheAuthTables) {
  run_sql("CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY)");
  const std::string message = open_error(uri());
  EXPECT_NE(message.find("not those of MLflow's basic-auth app"), std::string::npos) << message;

  run_sql(kMlflowInitialMigration, "partial.db");
  run_sql("DROP TABLE registered_model_permissions", "partial.db");
  EXPECT_NE(open_error(uri("partial.db")).find("not those of MLflow's basic-auth app"), std::string::npos);
  // Nothing was created in them.
  EXPECT_EQ(query_text("SELECT count(*) FROM sqlite_master WHERE name = 'users'"), "0");
}

TEST_F(SqliteAuthDatabaseTest, RefusesAFileThatIsNoDatabase) {
  {
    std::FILE* file = std::fopen(path("text.db").c_str(), "w");
    ASSERT_NE(file, nullptr);
    std::fputs("this is not a database, just some text that is long enough to be noticed\n", file);
    std::fclose(file);
  }
  EXPECT_THROW(open_auth_store(uri("text.db")), std::runtime_error);
}

TEST(AuthStoreFactory, RefusesOtherSchemesClearly) {
  try {
    open_auth_store("mssql://user:secret@host/db");
    ADD_FAILURE() << "mssql:// was accepted";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("unsupported auth database URI"), std::string::npos) << message;
    EXPECT_EQ(message.find("secret"), std::string::npos) << "the password must not be shown: " << message;
  }
  EXPECT_THROW(open_auth_store("basic_auth.db"), std::invalid_argument);
  EXPECT_THROW(open_auth_store("sqlite:///"), std::runtime_error);
  EXPECT_THROW(open_auth_store("sqlite://relative.db"), std::runtime_error);
}

// --- the admin of the config, at first start

// A store whose find_user never sees a user: as if another replica created the admin between the check and the
// insert.
class RacingStore : public AuthStore {
 public:
  explicit RacingStore(AuthStore& inner) : inner_(inner) {}
  std::optional<User> find_user(const std::string&) override { return std::nullopt; }
  User create_user(const std::string& u, const std::string& h, bool a) override { return inner_.create_user(u, h, a); }
  void update_password_hash(const std::string& u, const std::string& h) override { inner_.update_password_hash(u, h); }
  void update_admin(const std::string& u, bool a) override { inner_.update_admin(u, a); }
  void delete_user(const std::string& u) override { inner_.delete_user(u); }
  std::vector<User> list_users() override { return inner_.list_users(); }
  ExperimentGrant create_experiment_grant(const std::string& e, const std::string& u, Permission p) override {
    return inner_.create_experiment_grant(e, u, p);
  }
  ExperimentGrant get_experiment_grant(const std::string& e, const std::string& u) override {
    return inner_.get_experiment_grant(e, u);
  }
  void update_experiment_grant(const std::string& e, const std::string& u, Permission p) override {
    inner_.update_experiment_grant(e, u, p);
  }
  void delete_experiment_grant(const std::string& e, const std::string& u) override {
    inner_.delete_experiment_grant(e, u);
  }
  std::vector<ExperimentGrant> list_experiment_grants(std::int64_t id) override {
    return inner_.list_experiment_grants(id);
  }
  RegisteredModelGrant create_registered_model_grant(const std::string& n, const std::string& u,
                                                     Permission p) override {
    return inner_.create_registered_model_grant(n, u, p);
  }
  RegisteredModelGrant get_registered_model_grant(const std::string& n, const std::string& u) override {
    return inner_.get_registered_model_grant(n, u);
  }
  void update_registered_model_grant(const std::string& n, const std::string& u, Permission p) override {
    inner_.update_registered_model_grant(n, u, p);
  }
  void delete_registered_model_grant(const std::string& n, const std::string& u) override {
    inner_.delete_registered_model_grant(n, u);
  }
  std::vector<RegisteredModelGrant> list_registered_model_grants(std::int64_t id) override {
    return inner_.list_registered_model_grants(id);
  }
  void rename_registered_model_grants(const std::string& o, const std::string& n) override {
    inner_.rename_registered_model_grants(o, n);
  }
  void delete_registered_model_grants(const std::string& n) override { inner_.delete_registered_model_grants(n); }
  std::optional<Permission> experiment_permission(std::int64_t id, const std::string& e) override {
    return inner_.experiment_permission(id, e);
  }
  std::optional<Permission> registered_model_permission(std::int64_t id, const std::string& n) override {
    return inner_.registered_model_permission(id, n);
  }

 private:
  AuthStore& inner_;
};

TEST_F(SqliteAuthDatabaseTest, CreatesTheConfiguredAdminOnceAndLeavesItAlone) {
  auto store = open_auth_store(uri());
  AuthConfig config;
  config.admin_username = "root";
  config.admin_password = "s3cret-pw";
  EXPECT_TRUE(ensure_admin_user(*store, config));
  const auto root = store->find_user("root");
  ASSERT_TRUE(root.has_value());
  EXPECT_TRUE(root->is_admin);
  EXPECT_EQ(root->password_hash.rfind("pbkdf2:sha256:600000$", 0), 0u);
  EXPECT_TRUE(check_password(root->password_hash, "s3cret-pw"));

  // Changed since: the next start keeps the change.
  store->update_admin("root", false);
  store->update_password_hash("root", "changed");
  EXPECT_FALSE(ensure_admin_user(*store, config));
  EXPECT_FALSE(store->find_user("root")->is_admin);
  EXPECT_EQ(store->find_user("root")->password_hash, "changed");

  RacingStore racing(*store);
  EXPECT_FALSE(ensure_admin_user(racing, config));
  EXPECT_EQ(store->list_users().size(), 1u);

  config.admin_password.clear();
  EXPECT_THROW(ensure_admin_user(*store, config), std::invalid_argument);
}

// --- speed

TEST_F(SqliteAuthDatabaseTest, PerRequestLookupsAreCheap) {
  auto store = open_auth_store(uri());
  for (int i = 0; i < 200; ++i) {
    const std::string name = "user" + std::to_string(i);
    store->create_user(name, "pbkdf2:sha256:1$s$h", false);
    for (int e = 0; e < 20; ++e) store->create_experiment_grant(std::to_string(e), name, Permission::kEdit);
    store->create_registered_model_grant("model" + std::to_string(i), name, Permission::kRead);
  }
  const std::int64_t id = store->find_user("user100")->id;
  constexpr int kRounds = 3000;
  const double start = process_cpu_seconds();
  for (int i = 0; i < kRounds; ++i) {
    ASSERT_TRUE(store->find_user("user100").has_value());
    ASSERT_EQ(store->experiment_permission(id, "7"), Permission::kEdit);
    ASSERT_EQ(store->registered_model_permission(id, "model100"), Permission::kRead);
  }
  const double micros_per_lookup = (process_cpu_seconds() - start) / (3.0 * kRounds) * 1e6;
  std::printf("auth store lookup: %.1f us CPU each\n", micros_per_lookup);
  const char* strict = std::getenv("MLFLOWCPP_STORE_PERF_STRICT");
  // Well under 100 us; four times that on a busy or instrumented build unless asked to be strict.
  EXPECT_LT(micros_per_lookup, strict != nullptr && std::string(strict) == "1" ? 100.0 : 400.0);
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
