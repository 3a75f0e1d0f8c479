#include "server/store/postgres_database.hpp"

#include "server/store/postgres_uri.hpp"

#include <algorithm>
#include <thread>

namespace mlflowcpp::server::store::postgres {

namespace {

void roll_back_quietly(PostgresConnection& connection) {
  try {
    connection.execute("ROLLBACK");
  } catch (...) {  // a broken connection is discarded by its lease
  }
}

}  // namespace

PostgresDatabase::PostgresDatabase(const PostgresDatabaseOptions& options)
    : conninfo_(libpq_uri(options.uri)),
      pool_("PostgreSQL", [this] { return std::make_unique<PostgresConnection>(conninfo_); }, options.pool,
            options.metrics),
      max_write_attempts_(std::max(1, options.max_write_attempts)),
      schema_generation_(options.schema_generation),
      random_(std::random_device{}()) {
  auto first = pool_.acquire();  // fails now rather than on the first request
}

void PostgresDatabase::write(const Job& job) { run_transaction("BEGIN", job, max_write_attempts_); }

void PostgresDatabase::read(const Job& job) {
  // A read-only snapshot transaction never fails to serialize; only a dead
  // pooled connection makes it run again.
  run_transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", job, max_write_attempts_);
}

void PostgresDatabase::run_transaction(const char* begin, const Job& job, int max_attempts) {
  for (int attempt = 1;; ++attempt) {
    auto connection = pool_.acquire();
    bool job_started = false;
    try {
      connection->limit_prepared_statements();
      connection->execute(begin);
      job_started = true;
      job(*connection);
      connection->execute("COMMIT");
      return;
    } catch (const sql::DatabaseError& error) {
      if (connection->is_broken()) {
        connection.discard();
      } else {
        roll_back_quietly(*connection);
      }
      // A pooled connection the server closed while it sat idle fails at
      // BEGIN, before anything ran: safe to run again on a fresh one.
      const bool stale = error.kind() == sql::DatabaseError::Kind::kUnavailable && !job_started &&
                         !connection.fresh();
      const bool retry = stale || error.kind() == sql::DatabaseError::Kind::kRetryable;
      if (!retry || attempt >= max_attempts) throw;
      if (stale) {
        pool_.close_idle();
      } else {
        std::this_thread::sleep_for(backoff(attempt));
      }
    } catch (...) {
      if (connection->is_broken()) {
        connection.discard();
      } else {
        roll_back_quietly(*connection);
      }
      throw;
    }
  }
}

std::chrono::milliseconds PostgresDatabase::backoff(int attempt) {
  // Exponential from 2 ms to 256 ms, times a random factor in [0.5, 1.5):
  // jobs that collided once must not collide again in lockstep.
  const int base = 2 << std::min(attempt - 1, 7);
  std::lock_guard<std::mutex> lock(random_mutex_);
  std::uniform_int_distribution<int> jitter(base / 2, base + base / 2);
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace mlflowcpp::server::store::postgres
