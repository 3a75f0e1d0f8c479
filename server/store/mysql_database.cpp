#include "server/store/mysql_database.hpp"

#include "server/store/mysql_schema.hpp"

#include <algorithm>

namespace mlflowcpp::server::store::mysql {

namespace {

// SET TRANSACTION applies to the next transaction only, so a pooled
// connection carries no isolation level from one job to the next.
constexpr const char* kBeginWrite = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION";
constexpr const char* kBeginRead =
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT";

}  // namespace

MysqlDatabase::MysqlDatabase(const MysqlDatabaseOptions& options)
    : pool_(
          "MySQL", [connect = parse_mysql_uri(options.uri)] { return std::make_unique<MysqlConnection>(connect); },
          options.pool, options.metrics),
      max_write_attempts_(std::max(1, options.max_write_attempts)),
      schema_generation_(options.schema_generation) {
  auto first = pool_.acquire();  // fails now rather than on the first request
  if (has_metric_series_index(*first)) {
    metric_series_index_hint_ = " FORCE INDEX (mlflowcpp_index_metrics_run_uuid_key_step)";
  }
}

void MysqlDatabase::write(const Job& job) { pool_.run_transaction(kBeginWrite, job, max_write_attempts_); }

void MysqlDatabase::read(const Job& job) { pool_.run_transaction(kBeginRead, job, max_write_attempts_); }

}  // namespace mlflowcpp::server::store::mysql
