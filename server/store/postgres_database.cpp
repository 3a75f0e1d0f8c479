#include "server/store/postgres_database.hpp"

#include "server/store/postgres_uri.hpp"

#include <algorithm>

namespace mlflowcpp::server::store::postgres {

PostgresDatabase::PostgresDatabase(const PostgresDatabaseOptions& options)
    : conninfo_(libpq_uri(options.uri)),
      pool_("PostgreSQL", [this] { return std::make_unique<PostgresConnection>(conninfo_); }, options.pool,
            options.metrics),
      max_write_attempts_(std::max(1, options.max_write_attempts)),
      schema_generation_(options.schema_generation) {
  auto first = pool_.acquire();  // fails now rather than on the first request
}

void PostgresDatabase::write(const Job& job) { pool_.run_transaction("BEGIN", job, max_write_attempts_); }

void PostgresDatabase::read(const Job& job) {
  // A read-only snapshot transaction never fails to serialize; only a dead
  // pooled connection makes it run again.
  pool_.run_transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", job, max_write_attempts_);
}

}  // namespace mlflowcpp::server::store::postgres
