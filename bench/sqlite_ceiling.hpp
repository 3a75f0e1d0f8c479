#pragma once

#include <string>

namespace mlflowcpp::bench {

struct SqliteCeilingResult {
  long rows = 0;
  double seconds = 0;
  double rows_per_second() const { return seconds > 0 ? static_cast<double>(rows) / seconds : 0; }
};

// The fastest the server could possibly store metrics: rows inserted straight
// into a table keyed like MLflow's `metrics` (same primary key and run_uuid
// index), WAL journal, synchronous=NORMAL, `rows_per_transaction` rows a
// transaction through one prepared statement. Stops after `max_rows` rows or
// `max_seconds`, whichever is first. Creates `database_path`; the caller removes it.
SqliteCeilingResult measure_sqlite_insert_ceiling(const std::string& database_path, long max_rows,
                                                  int rows_per_transaction, double max_seconds);

}  // namespace mlflowcpp::bench
