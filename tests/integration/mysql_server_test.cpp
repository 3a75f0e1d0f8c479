// `mlflowcpp server` and `mlflowcpp db upgrade` on MySQL / MariaDB, over HTTP:
// names compare as MLflow's MySQL databases compare them (utf8mb4_general_ci)
// while search filters stay exact, concurrent creates of one name give one
// experiment, a 2.9 database is served and upgraded, and the server outlives
// a restart of the database; basic auth keeps its users in MySQL.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "auth_test_client.hpp"
#include "testing/mariadb_process.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::CommandResult;
using testing::HttpClient;
using testing::HttpResponse;
using testing::Json;
using testing::run_command;
using testing::server_binary;

class MysqlServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (testing::MariadbProcess::installed()) mariadb_ = new testing::MariadbProcess();
  }
  static void TearDownTestSuite() {
    delete mariadb_;
    mariadb_ = nullptr;
  }
  void SetUp() override {
    if (mariadb_ == nullptr) GTEST_SKIP() << "MariaDB is not installed (scripts/install-deps.sh --test installs it)";
  }

  std::string fresh_database() {
    database_ = "server_" + std::to_string(++databases_created_);
    return mariadb_->create_database(database_);
  }
  static std::unique_ptr<testing::ServerProcess> serve(const std::string& uri) {
    testing::ServerOptions options;
    options.backend_store_uri = uri;
    options.startup_timeout = std::chrono::seconds(60);
    return std::make_unique<testing::ServerProcess>(options);
  }
  static CommandResult db_upgrade(const std::string& uri) {
    return run_command(server_binary(), {"db", "upgrade", uri}, {}, std::chrono::seconds(120));
  }
  static std::vector<std::string> experiment_names(HttpClient& http, Json request) {
    request["max_results"] = 100;
    const HttpResponse found = http.post("/api/2.0/mlflow/experiments/search", request);
    EXPECT_EQ(found.status, 200) << found.describe();
    std::vector<std::string> names;
    for (const auto& experiment : found.json.value("experiments", Json::array())) {
      names.push_back(experiment.at("name").get<std::string>());
    }
    return names;
  }

  static testing::MariadbProcess* mariadb_;
  static int databases_created_;
  std::string database_;
};

testing::MariadbProcess* MysqlServerTest::mariadb_ = nullptr;
int MysqlServerTest::databases_created_ = 0;

TEST_F(MysqlServerTest, NamesCompareWithoutCaseAndFiltersStayExact) {
  auto server = serve(fresh_database());
  HttpClient http = server->client();
  ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "Exp"}}).status, 200);
  ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "b-exp"}}).status, 200);
  ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "C-exp"}}).status, 200);

  const HttpResponse twin = http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "exp"}});
  EXPECT_EQ(twin.status, 400) << twin.describe();
  EXPECT_EQ(twin.error_code(), "RESOURCE_ALREADY_EXISTS");
  const HttpResponse by_name = http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=EXP");
  ASSERT_EQ(by_name.status, 200) << by_name.describe();
  EXPECT_EQ(by_name.json["experiment"]["name"], "Exp");

  EXPECT_EQ(experiment_names(http, Json{{"order_by", {"name ASC"}}}),
            (std::vector<std::string>{"b-exp", "C-exp", "Default", "Exp"}));
  EXPECT_EQ(experiment_names(http, Json{{"filter", "name = 'exp'"}}), std::vector<std::string>{});
  EXPECT_EQ(experiment_names(http, Json{{"filter", "name = 'Exp'"}}), std::vector<std::string>{"Exp"});
  EXPECT_EQ(experiment_names(http, Json{{"filter", "name != 'Exp'"}, {"order_by", {"name"}}}),
            (std::vector<std::string>{"b-exp", "C-exp", "Default"}));
  EXPECT_EQ(experiment_names(http, Json{{"filter", "name LIKE 'c%'"}}), std::vector<std::string>{});
  EXPECT_EQ(experiment_names(http, Json{{"filter", "name ILIKE 'c%'"}}), std::vector<std::string>{"C-exp"});

  // Where MySQL would read a non-numeric id as 0 (the Default experiment), the id names no experiment.
  const HttpResponse bad_id = http.get("/api/2.0/mlflow/experiments/get?experiment_id=abc");
  EXPECT_EQ(bad_id.status, 404) << bad_id.describe();
  EXPECT_EQ(bad_id.error_code(), "RESOURCE_DOES_NOT_EXIST");

  const HttpResponse run = http.post("/api/2.0/mlflow/runs/create", Json{{"experiment_id", "0"}});
  ASSERT_EQ(run.status, 200) << run.describe();
  const std::string run_id = run.json["run"]["info"]["run_id"];
  ASSERT_EQ(
      http.post("/api/2.0/mlflow/runs/log-parameter", Json{{"run_id", run_id}, {"key", "k"}, {"value", "1"}}).status,
      200);
  const HttpResponse upper =
      http.post("/api/2.0/mlflow/runs/log-parameter", Json{{"run_id", run_id}, {"key", "K"}, {"value", "1"}});
  EXPECT_EQ(upper.status, 400) << upper.describe();
  EXPECT_EQ(upper.error_code(), "BAD_REQUEST");
  const HttpResponse changed =
      http.post("/api/2.0/mlflow/runs/log-parameter", Json{{"run_id", run_id}, {"key", "k"}, {"value", "2"}});
  EXPECT_EQ(changed.error_code(), "INVALID_PARAMETER_VALUE") << changed.describe();
  const HttpResponse filtered =
      http.post("/api/2.0/mlflow/runs/search", Json{{"experiment_ids", {"0"}}, {"filter", "params.k = '1'"}});
  ASSERT_EQ(filtered.status, 200) << filtered.describe();
  EXPECT_EQ(filtered.json["runs"].size(), 1u);

  ASSERT_EQ(http.post("/api/2.0/mlflow/registered-models/create", Json{{"name", "Model"}}).status, 200);
  const HttpResponse model_twin = http.post("/api/2.0/mlflow/registered-models/create", Json{{"name", "model"}});
  EXPECT_EQ(model_twin.error_code(), "RESOURCE_ALREADY_EXISTS") << model_twin.describe();
  const HttpResponse model = http.get("/api/2.0/mlflow/registered-models/get?name=MODEL");
  ASSERT_EQ(model.status, 200) << model.describe();
  EXPECT_EQ(model.json["registered_model"]["name"], "Model");
  const HttpResponse models =
      http.get("/api/2.0/mlflow/registered-models/search?filter=" + testing::url_encode("name = 'model'"));
  ASSERT_EQ(models.status, 200) << models.describe();
  EXPECT_FALSE(models.json.contains("registered_models")) << models.describe();
}

TEST_F(MysqlServerTest, ConcurrentCreatesOfOneNameMakeOneExperiment) {
  auto server = serve(fresh_database());
  constexpr int kClients = 8;
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      HttpClient http = server->client();
      // Half of them spell the name in upper case: the same name to this database.
      const HttpResponse answer =
          http.post("/api/2.0/mlflow/experiments/create", Json{{"name", i % 2 == 0 ? "race" : "RACE"}});
      if (answer.status == 200) ++created;
      if (answer.status == 400 && answer.error_code() == "RESOURCE_ALREADY_EXISTS") ++refused;
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kClients - 1);
}

TEST_F(MysqlServerTest, An29DatabaseIsServedThenUpgraded) {
  const std::string uri = fresh_database();
  mariadb_->sql_file(database_, std::string(MLFLOWCPP_STORE_SQL_DIR) + "/mlflow-2.9-schema.mysql.sql");
  {
    auto server = serve(uri);
    HttpClient http = server->client();
    ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "kept"}}).status, 200);
    const HttpResponse logged = http.post("/api/2.0/mlflow/logged-models", Json{{"experiment_id", "0"}});
    EXPECT_EQ(logged.status, 400) << logged.describe();
    EXPECT_EQ(logged.error_code(), "INVALID_STATE");
    EXPECT_NE(logged.body.find("mlflowcpp db upgrade"), std::string::npos) << logged.body;
  }
  const CommandResult upgraded = db_upgrade(uri);
  ASSERT_EQ(upgraded.exit_code, 0) << upgraded.output;
  EXPECT_NE(upgraded.output.find("Upgraded"), std::string::npos) << upgraded.output;
  EXPECT_EQ(upgraded.output.find(testing::MariadbProcess::kPassword), std::string::npos) << upgraded.output;
  const CommandResult again = db_upgrade(uri);
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("Checked"), std::string::npos) << again.output;

  auto server = serve(uri);
  HttpClient http = server->client();
  const HttpResponse kept = http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=kept");
  EXPECT_EQ(kept.status, 200) << kept.describe();
  const HttpResponse logged = http.post("/api/2.0/mlflow/logged-models", Json{{"experiment_id", "0"}});
  EXPECT_EQ(logged.status, 200) << logged.describe();
}

TEST_F(MysqlServerTest, DbUpgradeCreatesTheSchemaAndRefusesAnUnknownRevision) {
  const std::string uri = fresh_database();
  const CommandResult created = db_upgrade(uri);
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find("Created"), std::string::npos) << created.output;
  mariadb_->sql(database_, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
  const CommandResult refused = db_upgrade(uri);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("ffffffffffff"), std::string::npos) << refused.output;
  const CommandResult bad_uri = db_upgrade(uri + "?no_such_option=1");
  EXPECT_EQ(bad_uri.exit_code, 1) << bad_uri.output;
  EXPECT_NE(bad_uri.output.find("no_such_option"), std::string::npos) << bad_uri.output;
}

TEST_F(MysqlServerTest, BasicAuthKeepsItsUsersAndGrantsInMysql) {
  const std::string api = "/api/2.0/mlflow/";
  testing::TempDir dir("mlflowcpp-mysql-auth");
  const std::string auth_database = "auth_" + std::to_string(++databases_created_);
  testing::ServerOptions options =
      basic_auth_server(dir.path(), "NO_PERMISSIONS", mariadb_->create_database(auth_database));
  options.backend_store_uri = fresh_database();
  options.startup_timeout = std::chrono::seconds(60);
  std::string experiment_id;
  {
    testing::ServerProcess server(options);
    AuthClient admin(server, kAuthAdmin, kAuthAdminPassword);
    const HttpResponse created =
        admin.call("POST", api + "users/create", {{"username", "alice"}, {"password", "alice-password-1"}});
    ASSERT_EQ(created.status, 200) << created.describe();
    const HttpResponse twin =
        admin.call("POST", api + "users/create", {{"username", "Alice"}, {"password", "alice-password-2"}});
    EXPECT_EQ(twin.error_code(), "RESOURCE_ALREADY_EXISTS") << twin.describe();
    const HttpResponse experiment = admin.call("POST", api + "experiments/create", {{"name", "guarded"}});
    ASSERT_EQ(experiment.status, 200) << experiment.describe();
    experiment_id = experiment.json.value("experiment_id", "");
    AuthClient alice(server, "alice", "alice-password-1");
    EXPECT_EQ(alice.get(api + "experiments/get?experiment_id=" + experiment_id).status, 403);
    const HttpResponse granted =
        admin.call("POST", api + "experiments/permissions/create",
                   {{"experiment_id", experiment_id}, {"username", "alice"}, {"permission", "READ"}});
    ASSERT_EQ(granted.status, 200) << granted.describe();
  }
  EXPECT_EQ(mariadb_->sql(auth_database, "SELECT username FROM users ORDER BY id"), "admin\nalice\n");
  testing::ServerProcess server(options);
  AuthClient alice(server, "alice", "alice-password-1");
  EXPECT_EQ(alice.get(api + "experiments/get?experiment_id=" + experiment_id).status, 200);
  // As in MLflow on MySQL: the collation finds alice's row for another spelling of her name.
  AuthClient upper(server, "ALICE", "alice-password-1");
  EXPECT_EQ(upper.get(api + "experiments/get?experiment_id=" + experiment_id).status, 200);
  AuthClient wrong(server, "alice", "not-her-password");
  EXPECT_EQ(wrong.get(api + "experiments/get?experiment_id=" + experiment_id).status, 401);
}

TEST_F(MysqlServerTest, TheServerOutlivesARestartOfTheDatabase) {
  auto server = serve(fresh_database());
  HttpClient http = server->client();
  ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "before"}}).status, 200);
  mariadb_->restart();
  const HttpResponse after = http.post("/api/2.0/mlflow/experiments/create", Json{{"name", "after"}});
  EXPECT_EQ(after.status, 200) << after.describe();
  const HttpResponse before = http.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=before");
  EXPECT_EQ(before.status, 200) << before.describe();
}

}  // namespace
}  // namespace mlflowcpp::integration
