// `mlflowcpp db upgrade` and the server's startup on PostgreSQL databases:
// an empty database gets MLflow 3's schema, a 2.9.2 one is migrated to exactly
// that schema with its data (and served as it is until then), a current one is
// checked and left as it is, one at a revision this server does not know is
// refused.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "testing/free_port.hpp"
#include "testing/postgres_process.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::CommandResult;
using testing::HttpClient;
using testing::run_command;
using testing::server_binary;

class PostgresDbUpgradeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { postgres_ = new testing::PostgresProcess(); }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
  }

  std::string fresh_database() {
    database_ = "upgrade_" + std::to_string(++databases_created_);
    return postgres_->create_database(database_);
  }
  std::string psql(const std::string& sql) { return postgres_->psql(database_, sql); }

  static CommandResult db_upgrade(const std::string& uri) {
    return run_command(server_binary(), {"db", "upgrade", uri}, {}, std::chrono::seconds(60));
  }

  static testing::PostgresProcess* postgres_;
  static int databases_created_;
  std::string database_;
};

testing::PostgresProcess* PostgresDbUpgradeTest::postgres_ = nullptr;
int PostgresDbUpgradeTest::databases_created_ = 0;

TEST_F(PostgresDbUpgradeTest, CreatesTheSchemaInAnEmptyDatabase) {
  const std::string uri = fresh_database();
  const CommandResult result = db_upgrade(uri);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Created"), std::string::npos) << result.output;
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
  EXPECT_EQ(psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "35\n");
  // MLflow's own constraints came with it.
  EXPECT_EQ(psql("SELECT count(*) FROM pg_constraint WHERE conname IN ('uq_experiments_workspace_name', 'metric_pk', "
                 "'latest_metric_pk', 'runs_status_check', 'registered_model_pk')"),
            "5\n");
  EXPECT_EQ(psql("SELECT name FROM workspaces"), "default\n");
}

// The schema as PostgreSQL's catalog describes it, one line per column,
// constraint and index, sorted: what two databases must agree on.
std::string describe_schema(const std::function<std::string(const std::string&)>& psql) {
  return psql("SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || "
              "coalesce(character_maximum_length::text, '-') || ' ' || is_nullable || ' ' || "
              "coalesce(column_default, '-') || ' ' || coalesce(generation_expression, '-') "
              "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position") +
         psql("SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
              "WHERE connamespace = 'public'::regnamespace ORDER BY 1") +
         psql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
}

TEST_F(PostgresDbUpgradeTest, UpgradesAn29DatabaseToMlflow3sSchemaKeepingItsData) {
  const std::string expected_uri = fresh_database();
  ASSERT_EQ(db_upgrade(expected_uri).exit_code, 0);
  const std::string expected = describe_schema([this](const std::string& sql) { return psql(sql); });

  const std::string uri = fresh_database();
  postgres_->psql_file(database_, std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");
  const std::string counts_sql =
      "SELECT (SELECT count(*) FROM experiments) || ' ' || (SELECT count(*) FROM runs) || ' ' || "
      "(SELECT count(*) FROM metrics) || ' ' || (SELECT count(*) FROM tags) || ' ' || "
      "(SELECT count(*) FROM registered_models) || ' ' || (SELECT count(*) FROM model_versions) || ' ' || "
      "(SELECT count(*) FROM registered_model_tags) || ' ' || (SELECT count(*) FROM registered_model_aliases) || ' ' "
      "|| (SELECT count(*) FROM datasets) || ' ' || (SELECT count(*) FROM inputs)";
  const std::string counts = psql(counts_sql);
  const std::string versions = psql("SELECT name, version, current_stage, source FROM model_versions ORDER BY 1, 2");

  const CommandResult result = db_upgrade(uri);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Upgraded"), std::string::npos) << result.output;
  EXPECT_EQ(describe_schema([this](const std::string& sql) { return psql(sql); }), expected);
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
  EXPECT_EQ(psql(counts_sql), counts);
  EXPECT_EQ(psql("SELECT name, version, current_stage, source FROM model_versions ORDER BY 1, 2"), versions);
  EXPECT_EQ(psql("SELECT DISTINCT workspace FROM model_versions"), "default\n");

  const CommandResult again = db_upgrade(uri);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("Checked"), std::string::npos) << again.output;
}

TEST_F(PostgresDbUpgradeTest, AFailedUpgradeLeavesThe29DatabaseAsItWas) {
  const std::string uri = fresh_database();
  postgres_->psql_file(database_, std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");
  psql("CREATE TABLE public.jobs (id INTEGER)");  // in the way of a table the migration creates
  const CommandResult result = db_upgrade(uri);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "acf3f17fdcc7\n");
  EXPECT_EQ(psql("SELECT count(*) FROM information_schema.columns WHERE column_name = 'workspace'"), "0\n");
}

TEST_F(PostgresDbUpgradeTest, ChecksACurrentDatabaseAndLeavesItsDataAlone) {
  const std::string uri = fresh_database();
  postgres_->psql_file(database_, std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");
  ASSERT_EQ(db_upgrade(uri).exit_code, 0);  // to MLflow 3's schema
  const std::string before = psql("SELECT count(*) FROM experiments") + psql("SELECT count(*) FROM metrics");

  for (int run = 0; run < 2; ++run) {
    const CommandResult result = db_upgrade(uri);
    ASSERT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find("Checked"), std::string::npos) << result.output;
  }
  EXPECT_EQ(psql("SELECT count(*) FROM experiments") + psql("SELECT count(*) FROM metrics"), before);
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
}

TEST_F(PostgresDbUpgradeTest, RefusesAnUnknownRevisionAndSoDoesTheServer) {
  const std::string uri = fresh_database();
  ASSERT_EQ(db_upgrade(uri).exit_code, 0);
  psql("UPDATE alembic_version SET version_num = 'ffffffffffff'");

  const CommandResult upgrade = db_upgrade(uri);
  EXPECT_EQ(upgrade.exit_code, 1) << upgrade.output;
  EXPECT_NE(upgrade.output.find("ffffffffffff"), std::string::npos) << upgrade.output;
  EXPECT_NE(upgrade.output.find("1b5f0d9ad7c1"), std::string::npos) << upgrade.output;

  testing::TempDir dir;
  const CommandResult server = run_command(
      server_binary(),
      {"server", "--host", "127.0.0.1", "--port", std::to_string(testing::find_free_port()), "--backend-store-uri",
       uri, "--artifacts-destination", (dir.path() / "mlartifacts").string()},
      {}, std::chrono::seconds(30));
  EXPECT_FALSE(server.timed_out) << "the server started on an unknown revision:\n" << server.output;
  EXPECT_EQ(server.exit_code, 1) << server.output;
  EXPECT_NE(server.output.find("ffffffffffff"), std::string::npos) << server.output;
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "ffffffffffff\n");  // untouched
}

TEST_F(PostgresDbUpgradeTest, RefusesADatabaseOfSomethingElse) {
  const std::string uri = fresh_database();
  psql("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
  const CommandResult result = db_upgrade(uri);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("not an MLflow"), std::string::npos) << result.output;
  EXPECT_EQ(psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "1\n");
}

TEST_F(PostgresDbUpgradeTest, AcceptsMlflowUriSpellingsAndNeverPrintsThePassword) {
  const std::string uri = fresh_database();
  // postgresql+psycopg2://postgres:<password>@127.0.0.1:<port>/<db>; trust
  // authentication ignores the password, which must still stay unprinted.
  const std::string with_password = "postgresql+psycopg2://postgres:hunter2-secret@" +
                                    uri.substr(uri.find('@') + 1) + "?sslmode=disable&connect_timeout=10";
  const CommandResult result = db_upgrade(with_password);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.find("hunter2"), std::string::npos) << result.output;
}

TEST_F(PostgresDbUpgradeTest, UnreachableDatabaseAndBadUsageFailWithAMessage) {
  const CommandResult unreachable = db_upgrade(
      "postgresql://postgres:hunter2@127.0.0.1:" + std::to_string(testing::find_free_port()) + "/nothing");
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.output;
  EXPECT_NE(unreachable.output.find("cannot connect"), std::string::npos) << unreachable.output;
  EXPECT_EQ(unreachable.output.find("hunter2"), std::string::npos) << unreachable.output;

  const CommandResult bad_parameter = db_upgrade("postgresql://127.0.0.1/x?no_such_parameter=1");
  EXPECT_EQ(bad_parameter.exit_code, 1) << bad_parameter.output;
  EXPECT_NE(bad_parameter.output.find("no_such_parameter"), std::string::npos) << bad_parameter.output;

  EXPECT_EQ(run_command(server_binary(), {"db"}).exit_code, 2);
  EXPECT_EQ(run_command(server_binary(), {"db", "downgrade", "x"}).exit_code, 2);
  EXPECT_EQ(run_command(server_binary(), {"db", "--help"}).exit_code, 0);
}

TEST(PostgresPasswordTest, PasswordComesFromTheUriOrPgpasswordAndIsNeverPrinted) {
  testing::PostgresOptions options;
  options.password = "s3cret pw@x";  // needs percent-encoding in a URI
  testing::PostgresProcess postgres(options);
  postgres.create_database("secured");
  const std::string uri = postgres.uri("secured");  // postgresql://postgres@127.0.0.1:<port>/secured
  const std::string host_and_database = uri.substr(uri.find('@'));
  const auto upgrade = [](const std::string& target, std::optional<std::string> pgpassword) {
    return run_command(server_binary(), {"db", "upgrade", target}, {{"PGPASSWORD", pgpassword}},
                       std::chrono::seconds(30));
  };

  const CommandResult without = upgrade(uri, std::nullopt);
  EXPECT_EQ(without.exit_code, 1) << without.output;
  EXPECT_NE(without.output.find("password"), std::string::npos) << without.output;

  const CommandResult wrong = upgrade("postgresql://postgres:wrong-guess" + host_and_database, std::nullopt);
  EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
  EXPECT_EQ(wrong.output.find("wrong-guess"), std::string::npos) << wrong.output;

  const CommandResult from_uri = upgrade("postgresql://postgres:s3cret%20pw%40x" + host_and_database, std::nullopt);
  EXPECT_EQ(from_uri.exit_code, 0) << from_uri.output;
  EXPECT_EQ(from_uri.output.find("s3cret"), std::string::npos) << from_uri.output;

  const CommandResult from_environment = upgrade(uri, options.password);
  EXPECT_EQ(from_environment.exit_code, 0) << from_environment.output;

  testing::ServerOptions server_options;
  server_options.backend_store_uri = uri;
  server_options.environment["PGPASSWORD"] = options.password;
  testing::ServerProcess server(server_options);
  HttpClient http = server.client();
  EXPECT_EQ(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
}

TEST(DbUpgradeTest, CreatesUpgradesOrChecksASqliteDatabaseToo) {
  testing::TempDir dir;
  const std::string uri = "sqlite:///" + (dir.path() / "new.db").string();
  for (const char* done : {"Created", "Checked"}) {
    const CommandResult result = run_command(server_binary(), {"db", "upgrade", uri});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find(done), std::string::npos) << result.output;
  }
  const auto old = dir.path() / "old.db";
  testing::write_file(old, testing::read_file(std::filesystem::path(MLFLOWCPP_FIXTURES_DIR) /
                                              "mlflow-2.9.2-sample.sqlite"));
  for (const char* done : {"Upgraded", "Checked"}) {
    const CommandResult result = run_command(server_binary(), {"db", "upgrade", "sqlite:///" + old.string()});
    EXPECT_EQ(result.exit_code, 0) << result.output;
    EXPECT_NE(result.output.find(done), std::string::npos) << result.output;
  }
  testing::write_file(dir.path() / "not-a-database.db", "plain text, not SQLite");
  const CommandResult refused =
      run_command(server_binary(), {"db", "upgrade", "sqlite:///" + (dir.path() / "not-a-database.db").string()});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
