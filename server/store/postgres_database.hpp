#pragma once

// sql::Database over PostgreSQL: every job gets a pooled connection and its
// own transaction, so any number of jobs (and server replicas) run at once
// and PostgreSQL's locking keeps them apart.

#include "server/store/postgres_connection_pool.hpp"
#include "server/store/sql_database.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace mlflowcpp::server::store::postgres {

struct PostgresDatabaseOptions {
  std::string uri;  // postgresql://, postgres:// or postgresql+<driver>://
  PoolLimits pool;
  // Runs of one write job before a serialization failure or deadlock is
  // given up on and reported.
  int max_write_attempts = 10;
  // What prepare_schema found (postgres_schema.hpp); the database is not read for it.
  SchemaGeneration schema_generation = SchemaGeneration::kMlflow3;
  // Hears of the pool's connections; null: nothing is reported.
  std::shared_ptr<StoreMetrics> metrics;
};

class PostgresDatabase final : public sql::Database {
 public:
  // Checks the URI and connects once, so a wrong host or password is reported
  // at startup: throws std::invalid_argument (bad URI) or sql::DatabaseError.
  explicit PostgresDatabase(const PostgresDatabaseOptions& options);

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  SchemaGeneration schema_generation() const override { return schema_generation_; }

  // BEGIN (READ COMMITTED, as MLflow runs) .. COMMIT. A serialization failure
  // or deadlock rolls back and runs the job again after a short random
  // backoff, up to max_write_attempts times; so does a pooled connection
  // found dead before the job started.
  void write(const Job& job) override;
  // BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY .. COMMIT: one snapshot.
  void read(const Job& job) override;
  // release_idle_memory: nothing (the default). Overflow connections already close when returned, and the kept
  // ones hold no cache of this process worth dropping.

  // The libpq form of the URI, for one-off connections (schema work).
  const std::string& conninfo() const { return conninfo_; }
  const PoolLimits& pool_limits() const { return pool_.limits(); }

 private:
  std::string conninfo_;
  PostgresConnectionPool pool_;
  int max_write_attempts_;
  SchemaGeneration schema_generation_;
};

}  // namespace mlflowcpp::server::store::postgres
