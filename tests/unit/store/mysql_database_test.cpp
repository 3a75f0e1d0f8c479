// The MySQL side of the SQL layer, against a throwaway MariaDB server: URIs,
// statements and values, errors, reconnecting after a restart, numbering
// under concurrency, and creating, checking and upgrading MLflow's schema
// (whose DDL must be exactly the official server's).

#include "server/store/mysql_database.hpp"
#include "server/store/mysql_schema.hpp"
#include "server/store/mysql_sql_text.hpp"
#include "server/store/mysql_uri.hpp"
#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_tracking_store.hpp"

#include "testing/mariadb_process.hpp"
#include "testing/scoped_environment.hpp"
#include "testing/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store::mysql {
namespace {

using sql::Connection;
using sql::DatabaseError;
using Kind = sql::DatabaseError::Kind;

const std::string kSchemaDir = MLFLOWCPP_STORE_SQL_DIR;

// --- URIs and SQL text (no server needed)

TEST(MysqlUri, AcceptsMlflowSpellingsAndIgnoresTheDriver) {
  EXPECT_TRUE(is_mysql_uri("mysql://u:p@h:3306/db"));
  EXPECT_TRUE(is_mysql_uri("mysql+pymysql://u:p@h/db"));
  EXPECT_TRUE(is_mysql_uri("mysql+mysqldb://u@h/db"));
  EXPECT_TRUE(is_mysql_uri("mysql+mysqlconnector://u@h/db"));
  // MLflow's database types name no other scheme for MySQL or MariaDB.
  EXPECT_FALSE(is_mysql_uri("mariadb://u@h/db"));
  EXPECT_FALSE(is_mysql_uri("postgresql://h/db"));
  EXPECT_FALSE(is_mysql_uri("sqlite:///mlflow.db"));

  const MysqlConnectOptions options = parse_mysql_uri("mysql+pymysql://ana:s%40cret%3A1@db.example:3307/mlflow");
  EXPECT_EQ(options.user, "ana");
  EXPECT_EQ(options.password, "s@cret:1");
  EXPECT_EQ(options.host, "db.example");
  EXPECT_EQ(options.port, 3307u);
  EXPECT_EQ(options.database, "mlflow");
  EXPECT_EQ(options.charset, "utf8mb4");

  const MysqlConnectOptions defaults = parse_mysql_uri("mysql://h/db");
  EXPECT_EQ(defaults.port, 3306u);
  EXPECT_EQ(defaults.user, "");
  const MysqlConnectOptions ipv6 = parse_mysql_uri("mysql://u@[::1]:3308/db");
  EXPECT_EQ(ipv6.host, "::1");
  EXPECT_EQ(ipv6.port, 3308u);
}

TEST(MysqlUri, PassesTlsCharsetAndTimeoutOptionsAndRefusesOthers) {
  const MysqlConnectOptions options = parse_mysql_uri(
      "mysql://u@h/db?ssl_ca=/etc/ca.pem&ssl_cert=/c.pem&ssl_key=/k.pem&ssl-mode=verify_ca&charset=utf8mb4&"
      "connect_timeout=3");
  EXPECT_EQ(options.ssl_ca, "/etc/ca.pem");
  EXPECT_EQ(options.ssl_cert, "/c.pem");
  EXPECT_EQ(options.ssl_key, "/k.pem");
  EXPECT_EQ(options.ssl_mode, "VERIFY_CA");
  EXPECT_EQ(options.connect_timeout_seconds, 3u);
  EXPECT_EQ(parse_mysql_uri("mysql://u@h/db?ssl_mode=REQUIRED").ssl_mode, "REQUIRED");

  EXPECT_THROW(parse_mysql_uri("mysql://u@h/db?no_such_option=1"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h/db?ssl_mode=sometimes"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h/db?connect_timeout=soon"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h:port/db"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h:70000/db"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u@h/"), std::invalid_argument);
  EXPECT_THROW(parse_mysql_uri("mysql://u:%zz@h/db"), std::invalid_argument);
  try {
    parse_mysql_uri("mysql://u:secret@h/db?bad=1");
    FAIL() << "an unknown option was accepted";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("secret"), std::string::npos) << message;
    EXPECT_NE(message.find("bad"), std::string::npos) << message;
  }
}

TEST(MysqlUri, PasswordAndTlsFilesFallBackToTheEnvironment) {
  mlflowcpp::testing::ScopedEnvironment environment({{"MYSQL_PWD", "from-env"},
                                                     {"MLFLOW_MYSQL_SSL_CA", "/env/ca.pem"},
                                                     {"MLFLOW_MYSQL_SSL_CERT", ""},
                                                     {"MLFLOW_MYSQL_SSL_KEY", ""}});
  EXPECT_EQ(parse_mysql_uri("mysql://u@h/db").password, "from-env");
  EXPECT_EQ(parse_mysql_uri("mysql://u:given@h/db").password, "given");
  EXPECT_EQ(parse_mysql_uri("mysql://u@h/db").ssl_ca, "/env/ca.pem");
  EXPECT_EQ(parse_mysql_uri("mysql://u@h/db?ssl_ca=/uri/ca.pem").ssl_ca, "/uri/ca.pem");
}

TEST(MysqlSqlText, QuotesTheKeyColumnOnly) {
  EXPECT_EQ(quote_key_columns("SELECT key, value FROM tags WHERE t.key = ? AND monkey = 'key' AND \"key\" = `key`"),
            "SELECT `key`, value FROM tags WHERE t.`key` = ? AND monkey = 'key' AND \"key\" = `key`");
  EXPECT_EQ(quote_key_columns("INSERT INTO t (key) VALUES (?) ON DUPLICATE KEY UPDATE key = key -- key\n"),
            "INSERT INTO t (`key`) VALUES (?) ON DUPLICATE KEY UPDATE `key` = `key` -- key\n");
  EXPECT_EQ(quote_key_columns("SELECT 'it''s key', 'a\\'key' /* key */"), "SELECT 'it''s key', 'a\\'key' /* key */");
}

TEST(MysqlErrors, AreClassifiedByNumber) {
  EXPECT_EQ(kind_of_error(1062), Kind::kUniqueViolation);
  EXPECT_EQ(kind_of_error(1213), Kind::kRetryable);
  EXPECT_EQ(kind_of_error(1205), Kind::kRetryable);
  for (unsigned int lost : {2002u, 2003u, 2006u, 2013u}) EXPECT_EQ(kind_of_error(lost), Kind::kUnavailable) << lost;
  EXPECT_EQ(kind_of_error(1064), Kind::kOther);
}

// --- against a server

class MysqlDatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (mlflowcpp::testing::MariadbProcess::installed()) server_ = new mlflowcpp::testing::MariadbProcess();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "MariaDB is not installed (scripts/install-deps.sh --test installs it)";
  }

  // A new empty database per call.
  std::string fresh_database() {
    database_name_ = "layer_" + std::to_string(++databases_created_);
    return server_->create_database(database_name_);
  }
  static std::shared_ptr<MysqlDatabase> open(const std::string& uri, PoolLimits limits = {}) {
    MysqlDatabaseOptions options;
    options.uri = uri;
    options.pool = limits;
    return std::make_shared<MysqlDatabase>(options);
  }
  // What `mlflowcpp db upgrade` asks for.
  static MysqlSchemaOptions upgrading() {
    MysqlSchemaOptions options;
    options.add_missing_indexes = true;
    options.upgrade_mlflow2 = true;
    return options;
  }
  // Whether the current database has the index mlflowcpp adds to MLflow's.
  bool has_extra_index() const {
    return server_->sql(database_name_,
                        "SELECT count(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = "
                        "DATABASE() AND index_name = 'mlflowcpp_index_metrics_run_uuid_key_step'") == "1\n";
  }
  // The DDL of the current database as mariadb-dump prints it, without the
  // dump's session settings and table counters, nor the index mlflowcpp adds
  // (has_extra_index): what two databases must agree on.
  std::string dumped_ddl() const { return ddl_lines(server_->dump_schema(database_name_)); }
  static std::string ddl_lines(const std::string& text) {
    std::istringstream lines(text);
    std::string line;
    std::string kept;
    while (std::getline(lines, line)) {
      if (line.empty() || line.rfind("/*", 0) == 0 || line.rfind("--", 0) == 0 || line.rfind("INSERT", 0) == 0 ||
          line.find("`mlflowcpp_index_metrics_run_uuid_key_step`") != std::string::npos) {
        continue;
      }
      // The counter of a table with rows is data, not schema.
      const auto counter = line.find(" AUTO_INCREMENT=");
      if (counter != std::string::npos) line.erase(counter, line.find(' ', counter + 1) - counter);
      kept += line + "\n";
    }
    return kept;
  }

  static mlflowcpp::testing::MariadbProcess* server_;
  static int databases_created_;
  std::string database_name_;
};

mlflowcpp::testing::MariadbProcess* MysqlDatabaseTest::server_ = nullptr;
int MysqlDatabaseTest::databases_created_ = 0;

TEST_F(MysqlDatabaseTest, BindsAndReadsEveryKindOfValue) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) {
    connection.execute(
        "CREATE TABLE v (i BIGINT, d DOUBLE, s TEXT CHARACTER SET utf8mb4, b TINYINT(1), n INTEGER, m DECIMAL(10, 2))");
    auto insert = connection.statement("INSERT INTO v (i, d, s, b, n, m) VALUES (?, ?, ?, (? <> 0), ?, 12.5)");
    const std::vector<double> doubles = {0.1, -1e-300, std::numeric_limits<double>::max()};
    for (size_t i = 0; i < doubles.size(); ++i) {
      insert->reset();
      insert->bind(1, static_cast<int64_t>(i) - int64_t{4611686018427387904});
      insert->bind(2, doubles[i]);
      insert->bind(3, std::string("it's \"?\" \xc3\xa9 \xf0\x9f\x98\x80") + std::to_string(i) + std::string(3000, 'x'));
      insert->bind(4, i % 2 == 1);
      insert->bind_null(5);
      EXPECT_EQ(insert->execute(), 1);
    }
  });
  database->read([](Connection& connection) {
    auto select = connection.statement("SELECT i, d, s, b, n, '?', m FROM v WHERE i >= ? ORDER BY i");
    select->bind(1, -int64_t{4611686018427387904});
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(0).as_int64(), -4611686018427387904LL);
    EXPECT_EQ(select->column(1).as_double(), 0.1);
    EXPECT_EQ(select->column(2).as_string(),
              "it's \"?\" \xc3\xa9 \xf0\x9f\x98\x80"
              "0" +
                  std::string(3000, 'x'));
    EXPECT_EQ(select->column(3).as_int64(), 0);
    EXPECT_TRUE(select->column(4).is_null());
    EXPECT_EQ(select->column(4).as_string(), "");
    EXPECT_EQ(select->column(5).as_string(), "?");
    EXPECT_EQ(select->column(6).as_double(), 12.5);
    EXPECT_EQ(select->column(6).as_int64(), 12);
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(1).as_double(), -1e-300);
    EXPECT_EQ(select->column(3).as_int64(), 1);
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(1).as_double(), std::numeric_limits<double>::max());
    EXPECT_FALSE(select->step());
  });
}

TEST_F(MysqlDatabaseTest, UniqueViolationIsClassifiedAndRollsTheJobBack) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) { connection.execute("CREATE TABLE u (k VARCHAR(10) PRIMARY KEY)"); });
  database->write([](Connection& connection) { connection.execute("INSERT INTO u VALUES ('a')"); });
  try {
    database->write([](Connection& connection) {
      connection.execute("INSERT INTO u VALUES ('b')");
      auto insert = connection.statement("INSERT INTO u VALUES (?)");
      insert->bind(1, std::string("A"));  // the collation makes 'A' the same key as 'a'
      insert->execute();
    });
    FAIL() << "the duplicate was accepted";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kUniqueViolation) << error.what();
  }
  database->read([](Connection& connection) {
    auto count = connection.statement("SELECT count(*) FROM u");
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 1) << "the job's first insert was rolled back";
  });
}

TEST_F(MysqlDatabaseTest, SyntaxErrorsAreOtherAndLeaveTheConnectionUsable) {
  auto database = open(fresh_database(), PoolLimits{1, 0, std::chrono::seconds(5)});
  try {
    database->read([](Connection& connection) { connection.statement("SELEC 1")->step(); });
    FAIL() << "the syntax error was accepted";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kOther) << error.what();
  }
  database->read([](Connection& connection) {
    auto one = connection.statement("SELECT 1");
    ASSERT_TRUE(one->step());
    EXPECT_EQ(one->column(0).as_int64(), 1);
  });
}

TEST_F(MysqlDatabaseTest, ReadsSeeOneSnapshotAndCannotWrite) {
  const std::string uri = fresh_database();
  auto database = open(uri);
  auto other = open(uri);
  database->write([](Connection& connection) { connection.execute("CREATE TABLE s (x INTEGER)"); });
  database->read([&](Connection& connection) {
    auto count = connection.statement("SELECT count(*) FROM s");
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 0);
    count->reset();
    other->write([](Connection& writer) { writer.execute("INSERT INTO s VALUES (1)"); });
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 0) << "the read saw a later commit";
  });
  EXPECT_THROW(database->read([](Connection& connection) { connection.execute("INSERT INTO s VALUES (2)"); }),
               DatabaseError);
}

TEST_F(MysqlDatabaseTest, RequestsAfterTheServerRestartsSucceed) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) { connection.execute("CREATE TABLE r (x INTEGER)"); });
  const auto insert = [&](int value) {
    database->write([&](Connection& connection) {
      auto statement = connection.statement("INSERT INTO r VALUES (?)");
      statement->bind(1, value);
      statement->execute();
    });
  };
  insert(1);
  server_->restart();  // every pooled connection is now dead
  insert(2);
  int64_t rows = 0;
  database->read([&](Connection& connection) {
    auto count = connection.statement("SELECT count(*) FROM r");
    ASSERT_TRUE(count->step());
    rows = count->column(0).as_int64();
  });
  EXPECT_EQ(rows, 2);
}

TEST_F(MysqlDatabaseTest, ConnectionsClosedForIdlenessAreReplaced) {
  auto database = open(fresh_database(), PoolLimits{1, 0, std::chrono::seconds(5)});
  database->read([](Connection& connection) { connection.execute("SET SESSION wait_timeout = 1"); });
  // The server closes the idle pooled connection after a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  database->read([](Connection& connection) {
    auto one = connection.statement("SELECT 1");
    ASSERT_TRUE(one->step());
  });
}

TEST_F(MysqlDatabaseTest, AnUnreachableServerIsReportedAtOpening) {
  try {
    open("mysql://u:p@127.0.0.1:1/db?connect_timeout=2");
    FAIL() << "opened a database on a closed port";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kUnavailable) << error.what();
  }
}

TEST_F(MysqlDatabaseTest, AWrongPasswordIsReportedWithoutIt) {
  std::string uri = fresh_database();
  const auto at = uri.find('@');
  uri = "mysql://mlflow:wrong-secret" + uri.substr(at);
  try {
    open(uri);
    FAIL() << "a wrong password was accepted";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(std::string(error.what()).find("wrong-secret"), std::string::npos) << error.what();
  }
}

TEST_F(MysqlDatabaseTest, ConcurrentModelVersionsAreNumberedWithoutGapsOrRepeats) {
  const std::string uri = fresh_database();
  prepare_schema(parse_mysql_uri(uri), {});
  auto registry = std::make_shared<SqlRegistryStore>(open(uri));
  registry->create_registered_model("m", {}, "");
  constexpr int kThreads = 8;
  constexpr int kVersionsEach = 5;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::vector<int64_t> numbers;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kVersionsEach; ++i) {
        CreateModelVersionRequest request;
        request.name = "m";
        request.source = "s3://bucket/model";
        const int64_t number = std::stoll(registry->create_model_version(request).version);
        std::lock_guard<std::mutex> lock(mutex);
        numbers.push_back(number);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::sort(numbers.begin(), numbers.end());
  std::vector<int64_t> expected(kThreads * kVersionsEach);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = static_cast<int64_t>(i) + 1;
  EXPECT_EQ(numbers, expected);
}

TEST_F(MysqlDatabaseTest, ANewDatabaseGetsExactlyTheOfficialDdl) {
  const std::string uri = fresh_database();
  const PreparedSchema created = prepare_schema(parse_mysql_uri(uri), {});
  EXPECT_EQ(created.state, SchemaState::kCreated);
  EXPECT_EQ(created.generation, SchemaGeneration::kMlflow3);
  EXPECT_EQ(dumped_ddl(), ddl_lines(mlflowcpp::testing::read_file(kSchemaDir + "/mlflow-3-schema.mysql.sql")));
  EXPECT_EQ(server_->sql(database_name_, "SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
  EXPECT_EQ(server_->sql(database_name_, "SELECT name FROM workspaces"), "default\n");
  EXPECT_TRUE(has_extra_index());
  const PreparedSchema checked = prepare_schema(parse_mysql_uri(uri), {});
  EXPECT_EQ(checked.state, SchemaState::kCurrent);
}

TEST_F(MysqlDatabaseTest, DatabasesMadeFromTheOfficialDdlAreServed) {
  for (const auto& [file, generation] : {std::pair{"mlflow-3-schema.mysql.sql", SchemaGeneration::kMlflow3},
                                         std::pair{"mlflow-2.9-schema.mysql.sql", SchemaGeneration::kMlflow2}}) {
    const std::string uri = fresh_database();
    server_->sql_file(database_name_, kSchemaDir + "/" + file);
    const PreparedSchema checked = prepare_schema(parse_mysql_uri(uri), {});
    EXPECT_EQ(checked.state, SchemaState::kCurrent) << file;
    EXPECT_EQ(checked.generation, generation) << file;
    MysqlDatabaseOptions options;
    options.uri = uri;
    options.schema_generation = generation;
    SqlStoreOptions store_options;
    store_options.default_artifact_root = "/tmp/artifacts";
    SqlTrackingStore tracking(std::make_shared<MysqlDatabase>(options), store_options);
    const std::string id = tracking.create_experiment("served", "", {{"k", "v"}});
    EXPECT_EQ(tracking.get_experiment(id).name, "served") << file;
    EXPECT_EQ(tracking.get_experiment("0").name, "Default") << file;
    EXPECT_FALSE(has_extra_index()) << file << ": only `db upgrade` adds it";
    EXPECT_EQ(prepare_schema(parse_mysql_uri(uri), upgrading()).generation, SchemaGeneration::kMlflow3) << file;
    EXPECT_TRUE(has_extra_index()) << file;
  }
}

TEST_F(MysqlDatabaseTest, HistoryReadsNameTheSeriesIndexWhereTheDatabaseHasIt) {
  const std::string uri = fresh_database();
  server_->sql_file(database_name_, kSchemaDir + "/mlflow-3-schema.mysql.sql");  // as the official server makes it
  // The same history, read whole, paged and sampled, without and with the index.
  const auto read_histories = [&](const std::shared_ptr<MysqlDatabase>& database) {
    SqlStoreOptions store_options;
    store_options.default_artifact_root = "/tmp/artifacts";
    SqlTrackingStore tracking(database, store_options);
    CreateRunRequest request;
    request.experiment_id = "0";
    const std::string run_id = tracking.create_run(request).info.run_id;
    tracking.log_batch(run_id, {Metric{"loss", 3, 30, 2}, Metric{"loss", 1, 10, 0}, Metric{"loss", 2, 20, 1}}, {}, {});
    std::vector<int64_t> steps;
    for (const Metric& metric : tracking.get_metric_history(run_id, "loss")) steps.push_back(metric.step);
    MetricHistoryPageRequest page_request;
    page_request.run_id = run_id;
    page_request.metric_key = "loss";
    page_request.max_results = 2;
    for (const Metric& metric : tracking.get_metric_history_page(page_request).items) steps.push_back(metric.step);
    for (const auto& metric : tracking.get_metric_history_bulk({run_id}, "loss", 10)) steps.push_back(metric.step);
    return steps;
  };
  const std::vector<int64_t> expected = {0, 1, 2, 0, 1, 0, 1, 2};
  auto without = open(uri);
  EXPECT_EQ(without->metric_series_index_hint(), "");
  EXPECT_EQ(read_histories(without), expected);

  prepare_schema(parse_mysql_uri(uri), upgrading());
  auto with = open(uri);
  EXPECT_EQ(with->metric_series_index_hint(), " FORCE INDEX (mlflowcpp_index_metrics_run_uuid_key_step)");
  EXPECT_EQ(read_histories(with), expected);
}

TEST_F(MysqlDatabaseTest, An29DatabaseUpgradedDumpsLikeAFreshOne) {
  const std::string fresh_uri = fresh_database();
  prepare_schema(parse_mysql_uri(fresh_uri), {});
  const std::string fresh_ddl = dumped_ddl();

  const std::string uri = fresh_database();
  server_->sql_file(database_name_, kSchemaDir + "/mlflow-2.9-schema.mysql.sql");
  server_->sql(database_name_,
               "INSERT INTO experiments (name, lifecycle_stage) VALUES ('kept', 'active');"
               "INSERT INTO registered_models (name) VALUES ('model');"
               "INSERT INTO model_versions (name, version) VALUES ('model', 1);"
               "INSERT INTO model_version_tags (`key`, value, name, version) VALUES ('k', 'v', 'model', 1)");
  const PreparedSchema upgraded = prepare_schema(parse_mysql_uri(uri), upgrading());
  EXPECT_EQ(upgraded.state, SchemaState::kUpgraded);
  EXPECT_EQ(upgraded.generation, SchemaGeneration::kMlflow3);
  EXPECT_EQ(dumped_ddl(), fresh_ddl);
  EXPECT_EQ(server_->sql(database_name_, "SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
  EXPECT_EQ(server_->sql(database_name_, "SELECT name, workspace FROM experiments WHERE name = 'kept'"),
            "kept\tdefault\n");
  EXPECT_EQ(server_->sql(database_name_, "SELECT `key`, workspace FROM model_version_tags"), "k\tdefault\n");
}

TEST_F(MysqlDatabaseTest, AnUnknownRevisionOrAForeignDatabaseIsRefused) {
  const std::string uri = fresh_database();
  prepare_schema(parse_mysql_uri(uri), {});
  server_->sql(database_name_, "UPDATE alembic_version SET version_num = 'ffffffffffff'");
  try {
    prepare_schema(parse_mysql_uri(uri), upgrading());
    FAIL() << "an unknown revision was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("ffffffffffff"), std::string::npos) << error.what();
  }
  const std::string other = fresh_database();
  server_->sql(database_name_, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
  EXPECT_THROW(prepare_schema(parse_mysql_uri(other), {}), std::runtime_error);
}

}  // namespace
}  // namespace mlflowcpp::server::store::mysql
