#include "sqlite_ceiling.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>

#include "latency_samples.hpp"

namespace mlflowcpp::bench {
namespace {

// Columns, primary key and index as in MLflow 2.9's SQLite schema; the foreign
// key to `runs` is left out because SQLite does not enforce it unless asked.
constexpr const char* kCreateMetricsTable = R"sql(
CREATE TABLE metrics (
  "key" VARCHAR(250) NOT NULL,
  value FLOAT NOT NULL,
  timestamp BIGINT NOT NULL,
  run_uuid VARCHAR(32) NOT NULL,
  step BIGINT DEFAULT '0' NOT NULL,
  is_nan BOOLEAN DEFAULT '0' NOT NULL,
  CONSTRAINT metric_pk PRIMARY KEY ("key", timestamp, step, run_uuid, value, is_nan),
  CHECK (is_nan IN (0, 1))
);
CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);
)sql";

}  // namespace

SqliteCeilingResult measure_sqlite_insert_ceiling(const std::string& database_path, long max_rows,
                                                  int rows_per_transaction, double max_seconds) {
  SQLite::Database database(database_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  database.exec("PRAGMA journal_mode=WAL");
  database.exec("PRAGMA synchronous=NORMAL");
  database.exec(kCreateMetricsTable);

  SQLite::Statement insert(database,
                           "INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) "
                           "VALUES (?, ?, ?, ?, ?, 0)");
  const std::string run_uuid = "0123456789abcdef0123456789abcdef";
  const std::int64_t base_timestamp = 1700000000000LL;

  SqliteCeilingResult result;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(max_seconds));
  while (result.rows < max_rows && Clock::now() < deadline) {
    SQLite::Transaction transaction(database);
    for (int i = 0; i < rows_per_transaction && result.rows < max_rows; ++i, ++result.rows) {
      insert.bind(1, "loss");
      insert.bind(2, 1.0 / static_cast<double>(result.rows + 1));
      insert.bind(3, static_cast<std::int64_t>(base_timestamp + result.rows));
      insert.bind(4, run_uuid);
      insert.bind(5, static_cast<std::int64_t>(result.rows));
      insert.exec();
      insert.reset();
    }
    transaction.commit();
  }
  result.seconds = seconds_between(start, Clock::now());
  return result;
}

}  // namespace mlflowcpp::bench
