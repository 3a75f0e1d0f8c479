#include "server/store/sqlite_database.hpp"

#include "server/store/sqlite_checkpointer.hpp"
#include "server/store/sqlite_connection.hpp"
#include "server/store/sqlite_read_pool.hpp"
#include "server/store/sqlite_schema.hpp"
#include "server/store/sqlite_writer.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <stdexcept>

namespace mlflowcpp::server::store {

namespace {

// Prepared statements a read connection keeps between read transactions.
constexpr std::size_t kMaxCachedStatements = 256;
// Page cache a read connection keeps between read transactions (each may use up to cache_size while reading).
constexpr int kIdleReadCacheBytes = 1024 * 1024;

std::unique_ptr<SqliteConnection> open_writer(const SqliteDatabaseOptions& options) {
  try {
    return std::make_unique<SqliteConnection>(options.path, ConnectionMode::kReadWrite, options.busy_timeout_ms);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open the SQLite database '" + options.path + "': " + error.what());
  }
}

// A read transaction: every query inside sees one snapshot. Ends (COMMIT; a
// read has nothing to lose) when the scope ends.
class ReadTransaction {
 public:
  explicit ReadTransaction(SqliteConnection& connection) : connection_(connection) {
    connection_.statement("BEGIN")->execute();
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction() {
    try {
      connection_.statement("COMMIT")->execute();
    } catch (...) {
      // A read-only transaction cannot fail to end in a way the caller could act on.
    }
  }

 private:
  SqliteConnection& connection_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const SqliteDatabaseOptions& options) : options_(options) {
  auto writer_connection = open_writer(options_);
  schema_ = options_.prepare_schema ? prepare_database(*writer_connection, options_.path, options_.synchronous_full,
                                                       options_.prepare_schema)
                                    : prepare_database(*writer_connection, options_.path, options_.synchronous_full,
                                                       options_.upgrade_mlflow2_schema);
  try {
    checkpointer_ = std::make_unique<SqliteCheckpointer>(options_.path, options_.busy_timeout_ms);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open '" + options_.path + "' for checkpoints: " + error.what());
  }
  checkpointer_->attach(*writer_connection);
  writer_ = std::make_unique<SqliteWriter>(
      std::move(writer_connection), options_.metrics,
      [checkpointer = checkpointer_.get()](SqliteConnection& writer) { checkpointer->restart_if_due(writer); });
  try {
    readers_ = std::make_unique<SqliteReadPool>(options_.path, std::max<std::size_t>(1, options_.read_connections),
                                                options_.busy_timeout_ms);
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot open read connections to '" + options_.path + "': " + error.what());
  }
}

SqliteDatabase::~SqliteDatabase() = default;

void SqliteDatabase::write(const Job& job) { writer_->run(job); }

void SqliteDatabase::release_idle_memory() {
  writer_->release_cached_pages_if_idle();
  readers_->release_idle_cached_pages();
}

void SqliteDatabase::read(const Job& job) {
  auto connection = readers_->acquire();
  connection->trim_statement_cache(kMaxCachedStatements);
  {
    ReadTransaction transaction(*connection);
    job(*connection);
  }
  // A read that went through many pages (a long history, a wide search) would otherwise leave them cached for good,
  // in each of the pool's connections: the server's resident size would settle at the pool's whole cache. Pages of
  // the common small reads stay.
  sqlite3* handle = connection->database().getHandle();
  int cache_bytes = 0;
  int highest = 0;
  if (sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &cache_bytes, &highest, 0) == SQLITE_OK &&
      cache_bytes > kIdleReadCacheBytes) {
    sqlite3_db_release_memory(handle);
  }
}

}  // namespace mlflowcpp::server::store
