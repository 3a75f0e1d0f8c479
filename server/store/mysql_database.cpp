#include "server/store/mysql_database.hpp"

#include <algorithm>
#include <thread>

namespace mlflowcpp::server::store::mysql {

namespace {

// SET TRANSACTION applies to the next transaction only, so a pooled
// connection carries no isolation level from one job to the next.
constexpr const char* kBeginWrite = "SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION";
constexpr const char* kBeginRead =
    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT";

void roll_back_quietly(MysqlConnection& connection) {
  try {
    connection.execute("ROLLBACK");
  } catch (...) {  // a broken connection is discarded by its lease
  }
}

}  // namespace

MysqlDatabase::MysqlDatabase(const MysqlDatabaseOptions& options)
    : pool_(
          "MySQL", [connect = parse_mysql_uri(options.uri)] { return std::make_unique<MysqlConnection>(connect); },
          options.pool, options.metrics),
      max_write_attempts_(std::max(1, options.max_write_attempts)),
      schema_generation_(options.schema_generation),
      random_(std::random_device{}()) {
  auto first = pool_.acquire();  // fails now rather than on the first request
}

void MysqlDatabase::write(const Job& job) { run_transaction(kBeginWrite, job); }

void MysqlDatabase::read(const Job& job) { run_transaction(kBeginRead, job); }

void MysqlDatabase::run_transaction(const char* begin, const Job& job) {
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
      // A pooled connection the server closed while it sat idle (a restart,
      // wait_timeout) fails at BEGIN, before anything ran: safe to run again
      // on a fresh one.
      const bool stale = error.kind() == sql::DatabaseError::Kind::kUnavailable && !job_started && !connection.fresh();
      const bool retry = stale || error.kind() == sql::DatabaseError::Kind::kRetryable;
      if (!retry || attempt >= max_write_attempts_) throw;
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

std::chrono::milliseconds MysqlDatabase::backoff(int attempt) {
  // Exponential from 2 ms to 256 ms, times a random factor in [0.5, 1.5):
  // jobs that collided once must not collide again in lockstep.
  const int base = 2 << std::min(attempt - 1, 7);
  std::lock_guard<std::mutex> lock(random_mutex_);
  std::uniform_int_distribution<int> jitter(base / 2, base + base / 2);
  return std::chrono::milliseconds(jitter(random_));
}

}  // namespace mlflowcpp::server::store::mysql
