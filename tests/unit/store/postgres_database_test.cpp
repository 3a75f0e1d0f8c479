// The PostgreSQL side of the SQL layer, against a real PostgreSQL 15 server:
// statements and values, transactions and their retries, the connection pool,
// URIs, and creating and checking MLflow's schema.

#include "server/store/postgres_database.hpp"
#include "server/store/postgres_schema.hpp"
#include "server/store/postgres_sql_text.hpp"
#include "server/store/postgres_uri.hpp"

#include "testing/free_port.hpp"
#include "testing/postgres_process.hpp"
#include "testing/wait.hpp"
#include "text/ascii.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store::postgres {
namespace {

using sql::Connection;
using sql::DatabaseError;
using Kind = sql::DatabaseError::Kind;

// --- text conversions (no server needed)

TEST(PostgresSqlText, NumbersPlaceholdersOutsideQuotesAndComments) {
  const auto numbered =
      number_placeholders("SELECT '?', \"a?b\", ? -- what?\n, /* ? */ ? FROM t WHERE x = 'it''s ?' AND y = ?");
  EXPECT_EQ(numbered.sql, "SELECT '?', \"a?b\", $1 -- what?\n, /* ? */ $2 FROM t WHERE x = 'it''s ?' AND y = $3");
  EXPECT_EQ(numbered.parameter_count, 3);
  EXPECT_EQ(number_placeholders("SELECT 1").parameter_count, 0);
}

TEST(PostgresSqlText, DoublesSurviveTheRoundTrip) {
  for (double value : {0.0, -0.5, 0.1, 1e-300, 1.7976931348623157e308, 123456789.123456789, -2.5e-7}) {
    EXPECT_EQ(parse_float8(float8_text(value)), value) << float8_text(value);
  }
  EXPECT_EQ(float8_text(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(float8_text(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(float8_text(std::nan("")), "NaN");
  EXPECT_TRUE(std::isnan(parse_float8("NaN")));
  EXPECT_EQ(parse_int64("t"), 1);
  EXPECT_EQ(parse_int64("f"), 0);
  EXPECT_EQ(parse_int64("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(PostgresUri, AcceptsMlflowSpellingsAndPassesParametersToLibpq) {
  EXPECT_TRUE(is_postgres_uri("postgresql://u:p@h:5432/db"));
  EXPECT_TRUE(is_postgres_uri("postgres://h/db"));
  EXPECT_TRUE(is_postgres_uri("postgresql+psycopg2://u@h/db"));
  EXPECT_FALSE(is_postgres_uri("sqlite:///mlflow.db"));
  EXPECT_FALSE(is_postgres_uri("mysql://h/db"));
  EXPECT_EQ(libpq_uri("postgresql+psycopg2://u:p@h:5432/db?sslmode=require"),
            "postgresql://u:p@h:5432/db?sslmode=require");
  EXPECT_EQ(libpq_uri("postgres://h/db?connect_timeout=5"), "postgresql://h/db?connect_timeout=5");
  EXPECT_THROW(libpq_uri("postgresql://h/db?no_such_parameter=1"), std::invalid_argument);
  EXPECT_EQ(redact_password("postgresql://user:secret@host:5432/db"), "postgresql://user:***@host:5432/db");
  EXPECT_EQ(redact_password("postgresql://user@host/db"), "postgresql://user@host/db");
  EXPECT_EQ(redact_password("postgresql://host:5432/db"), "postgresql://host:5432/db");
}

// --- against a server

class PostgresDatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new mlflowcpp::testing::PostgresProcess(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  // A new empty database per test.
  std::string fresh_database() {
    const std::string name = std::string("t_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    const std::string lowered = to_lower_ascii(name);
    database_name_ = lowered;
    return server_->create_database(lowered);
  }

  std::unique_ptr<PostgresDatabase> open(const std::string& uri, PoolLimits limits = {}) {
    PostgresDatabaseOptions options;
    options.uri = uri;
    options.pool = limits;
    return std::make_unique<PostgresDatabase>(options);
  }

  std::string psql(const std::string& sql) { return server_->psql(database_name_, sql); }

  static mlflowcpp::testing::PostgresProcess* server_;
  std::string database_name_;
};

mlflowcpp::testing::PostgresProcess* PostgresDatabaseTest::server_ = nullptr;

TEST_F(PostgresDatabaseTest, BindsAndReadsEveryKindOfValue) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) {
    connection.execute("CREATE TABLE v (i BIGINT, d DOUBLE PRECISION, s TEXT, b BOOLEAN, n INTEGER)");
    auto insert = connection.statement("INSERT INTO v (i, d, s, b, n) VALUES (?, ?, ?, (? <> 0), ?)");
    const std::vector<double> doubles = {0.1, std::nan(""), std::numeric_limits<double>::infinity(),
                                         -std::numeric_limits<double>::infinity(), -1e-300};
    for (size_t i = 0; i < doubles.size(); ++i) {
      insert->reset();
      insert->bind(1, static_cast<int64_t>(i) - int64_t{4611686018427387904});
      insert->bind(2, doubles[i]);
      insert->bind(3, std::string("it's \"?\" \xc3\xa9") + std::to_string(i));
      insert->bind(4, i % 2 == 1);
      insert->bind_null(5);
      EXPECT_EQ(insert->execute(), 1);
    }
  });
  database->read([](Connection& connection) {
    auto select = connection.statement("SELECT i, d, s, b, n, '?' FROM v WHERE i >= ? ORDER BY i");
    select->bind(1, -int64_t{4611686018427387904});
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(0).as_int64(), -4611686018427387904LL);
    EXPECT_EQ(select->column(1).as_double(), 0.1);
    EXPECT_EQ(select->column(2).as_string(), "it's \"?\" \xc3\xa9" "0");
    EXPECT_EQ(select->column(3).as_int64(), 0);
    EXPECT_TRUE(select->column(4).is_null());
    EXPECT_EQ(select->column(4).as_string(), "");
    EXPECT_EQ(select->column(5).as_string(), "?");
    ASSERT_TRUE(select->step());
    EXPECT_TRUE(std::isnan(select->column(1).as_double()));
    EXPECT_EQ(select->column(3).as_int64(), 1);
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(1).as_double(), std::numeric_limits<double>::infinity());
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(1).as_double(), -std::numeric_limits<double>::infinity());
    ASSERT_TRUE(select->step());
    EXPECT_EQ(select->column(1).as_double(), -1e-300);
    EXPECT_FALSE(select->step());
  });
}

TEST_F(PostgresDatabaseTest, NumbersAreTypedAsBoundAndStringsTakeTheirPlacesType) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) {
    connection.execute("CREATE TABLE n (t BIGINT, b BOOLEAN, v VARCHAR(10), j TEXT)");
    auto insert = connection.statement("INSERT INTO n VALUES (?, (? <> 0), ?, ?)");
    insert->bind(1, int64_t{2});
    insert->bind(2, true);
    insert->bind(3, std::string("7"));
    insert->bind(4, std::string("[\"a\", \"b\"]"));
    insert->execute();
    // Bound again without a reset: the values are replaced.
    insert->bind(1, int64_t{3});
    insert->bind(2, false);
    insert->execute();
  });
  database->read([](Connection& connection) {
    // A bigint column against a double, then an integer, in one statement:
    // prepared once per type combination.
    auto above = connection.statement("SELECT count(*) FROM n WHERE t > ?");
    for (const auto& [bound, expected] : std::vector<std::pair<double, int64_t>>{{1.5, 2}, {2.5, 1}}) {
      above->reset();
      above->bind(1, bound);
      ASSERT_TRUE(above->step());
      EXPECT_EQ(above->column(0).as_int64(), expected) << bound;
    }
    above->reset();
    above->bind(1, int64_t{2});
    ASSERT_TRUE(above->step());
    EXPECT_EQ(above->column(0).as_int64(), 1);

    auto listed = connection.statement(
        "SELECT t, b, v FROM n WHERE v = ? AND t IN (SELECT CAST(x AS BIGINT) FROM "
        "json_array_elements_text(CAST(? AS json)) AS x) ORDER BY t");
    listed->bind(1, std::string("7"));
    listed->bind(2, std::string("[\"2\", \"3\"]"));
    ASSERT_TRUE(listed->step());
    EXPECT_EQ(listed->column(0).as_int64(), 2);
    EXPECT_EQ(listed->column(1).as_int64(), 1);
    ASSERT_TRUE(listed->step());
    EXPECT_EQ(listed->column(1).as_int64(), 0);
    EXPECT_FALSE(listed->step());
  });
}

TEST_F(PostgresDatabaseTest, CachedStatementsStartCleanOnTheirNextLoan) {
  auto database = open(fresh_database(), PoolLimits{1, 0, std::chrono::seconds(5)});
  const std::string sql = "SELECT COALESCE(?, 'unbound')";
  database->read([&](Connection& connection) {
    auto first = connection.statement(sql);
    first->bind(1, std::string("bound"));
    ASSERT_TRUE(first->step());
    EXPECT_EQ(first->column(0).as_string(), "bound");
  });
  database->read([&](Connection& connection) {
    auto second = connection.statement(sql);  // the same prepared statement, reset
    ASSERT_TRUE(second->step());
    EXPECT_EQ(second->column(0).as_string(), "unbound");
  });
}

TEST_F(PostgresDatabaseTest, UniqueViolationIsClassifiedAndRollsTheJobBack) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) { connection.execute("CREATE TABLE u (name TEXT PRIMARY KEY)"); });
  database->write([](Connection& connection) { connection.execute("INSERT INTO u VALUES ('a')"); });
  try {
    database->write([](Connection& connection) {
      connection.execute("INSERT INTO u VALUES ('b')");
      auto insert = connection.statement("INSERT INTO u VALUES (?)");
      insert->bind(1, std::string("a"));
      insert->execute();
    });
    FAIL() << "no error for a duplicate key";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kUniqueViolation) << error.what();
    EXPECT_NE(std::string(error.what()).find("23505"), std::string::npos) << error.what();
  }
  EXPECT_EQ(psql("SELECT string_agg(name, ',' ORDER BY name) FROM u"), "a\n");
}

TEST_F(PostgresDatabaseTest, SyntaxErrorsAreOtherAndLeaveTheConnectionUsable) {
  auto database = open(fresh_database(), PoolLimits{1, 0, std::chrono::seconds(5)});
  try {
    database->read([](Connection& connection) { connection.statement("SELEC 1")->step(); });
    FAIL() << "no error for bad SQL";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kOther);
  }
  database->read([](Connection& connection) {
    auto one = connection.statement("SELECT 1");
    ASSERT_TRUE(one->step());
    EXPECT_EQ(one->column(0).as_int(), 1);
  });
}

TEST_F(PostgresDatabaseTest, RetriesAJobThatHitARetryableFailure) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) { connection.execute("CREATE TABLE r (n INTEGER)"); });
  int runs = 0;
  database->write([&](Connection& connection) {
    ++runs;
    connection.execute("INSERT INTO r VALUES (1)");
    if (runs < 3) throw DatabaseError(Kind::kRetryable, "simulated serialization failure");
  });
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(psql("SELECT count(*) FROM r"), "1\n");  // the failed runs were rolled back
}

TEST_F(PostgresDatabaseTest, GivesUpOnRetryableFailuresAfterTheAttemptLimit) {
  PostgresDatabaseOptions options;
  options.uri = fresh_database();
  options.max_write_attempts = 3;
  PostgresDatabase database(options);
  int runs = 0;
  try {
    database.write([&](Connection&) {
      ++runs;
      throw DatabaseError(Kind::kRetryable, "always conflicting");
    });
    FAIL() << "no error";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kRetryable);
  }
  EXPECT_EQ(runs, 3);
}

TEST_F(PostgresDatabaseTest, ADeadlockBetweenTwoWritersIsResolvedByRunningOneAgain) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) {
    connection.execute("CREATE TABLE d (id INTEGER PRIMARY KEY, n INTEGER)");
    connection.execute("INSERT INTO d VALUES (1, 0), (2, 0)");
  });
  // Each writer locks one row, waits until the other has locked its row,
  // then wants the other's: PostgreSQL kills one with 40P01.
  std::atomic<int> first_locks{0};
  std::atomic<int> runs{0};
  auto writer = [&](int mine, int theirs) {
    database->write([&](Connection& connection) {
      const int run = ++runs;
      auto update = connection.statement("UPDATE d SET n = n + 1 WHERE id = ?");
      update->bind(1, mine);
      update->execute();
      update->reset();
      if (run <= 2) {
        ++first_locks;
        mlflowcpp::testing::wait_until([&] { return first_locks.load() >= 2; }, std::chrono::seconds(10));
      }
      update->bind(1, theirs);
      update->execute();
    });
  };
  std::thread a(writer, 1, 2);
  std::thread b(writer, 2, 1);
  a.join();
  b.join();
  // Two first runs, then the victim's again; on a loaded machine a rerun can meet the other writer's locks once more.
  EXPECT_GE(runs.load(), 3);
  EXPECT_EQ(psql("SELECT string_agg(n::text, ',' ORDER BY id) FROM d"), "2,2\n");
}

TEST_F(PostgresDatabaseTest, ReadsSeeOneSnapshotAndCannotWrite) {
  auto database = open(fresh_database());
  database->write([](Connection& connection) {
    connection.execute("CREATE TABLE s (n INTEGER)");
    connection.execute("INSERT INTO s VALUES (1)");
  });
  const std::string count_sql = "SELECT count(*) FROM s";
  database->read([&](Connection& connection) {
    auto count = connection.statement(count_sql);
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 1);
    count->reset();
    database->write([](Connection& other) { other.execute("INSERT INTO s VALUES (2)"); });
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 1);  // still the snapshot
  });
  EXPECT_THROW(database->read([](Connection& connection) { connection.execute("INSERT INTO s VALUES (3)"); }),
               DatabaseError);
  EXPECT_EQ(psql("SELECT count(*) FROM s"), "2\n");
}

TEST_F(PostgresDatabaseTest, ConnectionsKilledByTheServerAreReplaced) {
  auto database = open(fresh_database(), PoolLimits{2, 0, std::chrono::seconds(5)});
  database->write([](Connection& connection) { connection.execute("CREATE TABLE k (n INTEGER)"); });
  // Both pooled connections die while idle (a server restart or an admin).
  psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND "
       "pid <> pg_backend_pid()");
  for (int i = 0; i < 3; ++i) {
    database->write([](Connection& connection) { connection.execute("INSERT INTO k VALUES (1)"); });
  }
  EXPECT_EQ(psql("SELECT count(*) FROM k"), "3\n");
}

TEST_F(PostgresDatabaseTest, PoolNeverOpensMoreThanPoolSizePlusOverflow) {
  auto database = open(fresh_database(), PoolLimits{2, 1, std::chrono::seconds(30)});
  std::atomic<int> inside{0};
  std::atomic<int> most_inside{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        database->read([&](Connection& connection) {
          const int now = ++inside;
          int seen = most_inside.load();
          while (now > seen && !most_inside.compare_exchange_weak(seen, now)) {
          }
          connection.execute("SELECT pg_sleep(0.01)");
          --inside;
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(most_inside.load(), 3);
  // Overflow connections are closed when returned: pool_size stay open.
  const bool settled = mlflowcpp::testing::wait_until(
      [&] {
        return psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                    "pid <> pg_backend_pid()") == "2\n";
      },
      std::chrono::seconds(10));
  EXPECT_TRUE(settled);
}

TEST_F(PostgresDatabaseTest, AFullPoolMakesCallersWaitThenReportsUnavailable) {
  auto database = open(fresh_database(), PoolLimits{1, 0, std::chrono::milliseconds(300)});
  try {
    database->read([&](Connection&) { database->read([](Connection&) {}); });
    FAIL() << "a second connection was handed out";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kUnavailable);
    EXPECT_NE(std::string(error.what()).find("MLFLOW_SQLALCHEMYSTORE_POOL_SIZE"), std::string::npos);
  }
}

TEST_F(PostgresDatabaseTest, AnUnreachableServerIsReportedAtOpening) {
  const int closed_port = mlflowcpp::testing::find_free_port();
  try {
    open("postgresql://postgres@127.0.0.1:" + std::to_string(closed_port) + "/x?connect_timeout=5");
    FAIL() << "opened a database nobody serves";
  } catch (const DatabaseError& error) {
    EXPECT_EQ(error.kind(), Kind::kUnavailable);
  }
  try {
    open(server_->uri("no_such_database"));
    FAIL() << "opened a database that does not exist";
  } catch (const DatabaseError& error) {
    EXPECT_NE(std::string(error.what()).find("no_such_database"), std::string::npos) << error.what();
  }
}

TEST_F(PostgresDatabaseTest, DriverSpellingAndQueryParametersAreAccepted) {
  const std::string uri = fresh_database();
  auto database = open("postgresql+psycopg2" + uri.substr(std::string("postgresql").size()) +
                       "?sslmode=disable&application_name=replica-a");
  database->read([](Connection& connection) {
    auto name = connection.statement("SELECT current_setting('application_name')");
    ASSERT_TRUE(name->step());
    EXPECT_EQ(name->column(0).as_string(), "replica-a");  // the URI's, over our default
  });
  open(uri)->read([](Connection& connection) {
    auto name = connection.statement("SELECT current_setting('application_name')");
    ASSERT_TRUE(name->step());
    EXPECT_EQ(name->column(0).as_string(), "mlflowcpp");
  });
}

// --- schema

TEST_F(PostgresDatabaseTest, SchemaIsCreatedInAnEmptyDatabaseThenChecked) {
  const std::string uri = fresh_database();
  EXPECT_EQ(prepare_schema(libpq_uri(uri), {}).state, SchemaState::kCreated);
  EXPECT_EQ(psql("SELECT version_num FROM alembic_version"), "1b5f0d9ad7c1\n");
  EXPECT_EQ(psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "35\n");
  EXPECT_EQ(psql("SELECT name FROM workspaces"), "default\n");
  EXPECT_EQ(psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'mlflowcpp_index_metrics_run_uuid_key_step'"),
            "1\n");
  EXPECT_EQ(prepare_schema(libpq_uri(uri), {}).state, SchemaState::kCurrent);
  // Pooled connections keep the default search_path (the DDL empties its own).
  auto database = open(uri);
  database->read([](Connection& connection) {
    auto count = connection.statement("SELECT count(*) FROM experiments");
    ASSERT_TRUE(count->step());
    EXPECT_EQ(count->column(0).as_int64(), 0);
  });
}

TEST_F(PostgresDatabaseTest, ReplicasStartingTogetherCreateTheSchemaOnce) {
  const std::string conninfo = libpq_uri(fresh_database());
  std::vector<SchemaState> states(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < states.size(); ++i) {
    threads.emplace_back([&, i] { states[i] = prepare_schema(conninfo, {}).state; });
  }
  for (auto& thread : threads) thread.join();
  int created = 0;
  for (auto state : states) created += state == SchemaState::kCreated ? 1 : 0;
  EXPECT_EQ(created, 1);
  EXPECT_EQ(psql("SELECT count(*) FROM alembic_version"), "1\n");
}

TEST_F(PostgresDatabaseTest, TheOfficialServersDatabaseIsAccepted) {
  const std::string uri = fresh_database();
  server_->psql_file(database_name_, std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");
  PostgresSchemaOptions options;
  options.add_missing_indexes = true;
  EXPECT_EQ(prepare_schema(libpq_uri(uri), options).state, SchemaState::kCurrent);
  EXPECT_EQ(psql("SELECT count(*) FROM pg_indexes WHERE indexname = 'mlflowcpp_index_metrics_run_uuid_key_step'"),
            "1\n");
}

TEST_F(PostgresDatabaseTest, AnUnknownRevisionOrAForeignDatabaseIsRefused) {
  const std::string uri = fresh_database();
  ASSERT_EQ(prepare_schema(libpq_uri(uri), {}).state, SchemaState::kCreated);
  psql("UPDATE alembic_version SET version_num = '0123456789ab'");
  try {
    prepare_schema(libpq_uri(uri), {});
    FAIL() << "accepted an unknown revision";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("0123456789ab"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("acf3f17fdcc7"), std::string::npos) << error.what();
  }

  const std::string foreign = server_->create_database("t_foreign_tables");
  server_->psql("t_foreign_tables", "CREATE TABLE invoices (id INTEGER)");
  try {
    prepare_schema(libpq_uri(foreign), {});
    FAIL() << "accepted a database of something else";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("not an MLflow"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace mlflowcpp::server::store::postgres
