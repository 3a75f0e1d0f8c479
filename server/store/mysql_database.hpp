#pragma once

// sql::Database over MySQL / MariaDB (InnoDB): every job gets a pooled
// connection and its own transaction, so any number of jobs (and server
// replicas) run at once and InnoDB's locking keeps them apart.

#include "server/store/mysql_connection_pool.hpp"
#include "server/store/sql_database.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace mlflowcpp::server::store::mysql {

struct MysqlDatabaseOptions {
  std::string uri;  // mysql:// or mysql+<driver>://
  PoolLimits pool;
  // Runs of one write job before a deadlock or lock wait timeout is given up on and reported.
  int max_write_attempts = 10;
  // What prepare_schema found (mysql_schema.hpp); the database is not read for it.
  SchemaGeneration schema_generation = SchemaGeneration::kMlflow3;
  // Hears of the pool's connections; null: nothing is reported.
  std::shared_ptr<StoreMetrics> metrics;
};

class MysqlDatabase final : public sql::Database {
 public:
  // Checks the URI and connects once, so a wrong host or password is reported
  // at startup: throws std::invalid_argument (bad URI) or sql::DatabaseError.
  explicit MysqlDatabase(const MysqlDatabaseOptions& options);

  sql::Dialect dialect() const override { return sql::Dialect::kMysql; }
  SchemaGeneration schema_generation() const override { return schema_generation_; }
  // FORCE INDEX where the database has the index (one created here, or given it by `db upgrade`): MySQL and
  // MariaDB rather read the key's rows of every run through the primary key and sort them.
  std::string metric_series_index_hint() const override { return metric_series_index_hint_; }

  // READ COMMITTED .. COMMIT: the stores' write jobs are written for
  // statement-level snapshots (as on PostgreSQL), and derive values from rows
  // they lock with FOR UPDATE. A deadlock or lock wait timeout rolls back and
  // runs the job again after a short random backoff, up to max_write_attempts
  // times; so does a pooled connection found dead before the job started.
  void write(const Job& job) override;
  // REPEATABLE READ, READ ONLY, WITH CONSISTENT SNAPSHOT .. COMMIT: one snapshot.
  void read(const Job& job) override;

  const PoolLimits& pool_limits() const { return pool_.limits(); }

 private:
  MysqlConnectionPool pool_;
  int max_write_attempts_;
  SchemaGeneration schema_generation_;
  std::string metric_series_index_hint_;
};

}  // namespace mlflowcpp::server::store::mysql
