// SqliteDatabase::release_idle_memory: the page caches the writer and the read connections kept go back, and calling
// it while reads and writes run (as the server's idle trimmer may, when a request arrives just then) neither disturbs
// them nor touches a connection in use.

#include "store_test_support.hpp"

#include "server/store/sqlite_database.hpp"

#include <sqlite3.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

std::shared_ptr<SqliteDatabase> open_rows_database(const std::string& path) {
  SqliteDatabaseOptions options;
  options.path = path;
  options.prepare_schema = [](SqliteConnection& writer) {
    writer.execute("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    writer.execute("CREATE INDEX IF NOT EXISTS rows_text ON rows (text)");
    return PreparedSchema{SchemaState::kCreated, SchemaGeneration::kMlflow3};
  };
  return std::make_shared<SqliteDatabase>(options);
}

void insert_rows(sql::Database& database, int first, int count) {
  database.write([&](sql::Connection& connection) {
    auto insert = connection.statement("INSERT INTO rows (id, text) VALUES (?, ?)");
    for (int id = first; id < first + count; ++id) {
      insert->reset();
      insert->bind(1, static_cast<int64_t>(id));
      insert->bind(2, "row " + std::to_string(id) + std::string(200, 'x'));
      insert->execute();
    }
  });
}

int64_t count_rows(sql::Database& database) {
  int64_t rows = 0;
  database.read([&](sql::Connection& connection) {
    auto count = connection.statement("SELECT COUNT(*) FROM rows WHERE text >= ''");
    if (count->step()) rows = count->column(0).as_int64();
  });
  return rows;
}

TEST(SqliteIdleMemoryTest, IdleConnectionsGiveTheirPageCachesBack) {
  TempDir dir;
  auto database = open_rows_database(dir.file("idle-memory.db"));
  // About 6 MB of rows and index: more than the writer's cache holds, so it ends full.
  for (int first = 0; first < 24'000; first += 1000) insert_rows(*database, first, 1000);
  ASSERT_EQ(count_rows(*database), 24'000);

  const sqlite3_int64 before = sqlite3_memory_used();
  database->release_idle_memory();
  const sqlite3_int64 after = sqlite3_memory_used();
  // The writer alone held close to its 4,000 KiB cache.
  EXPECT_GT(before - after, 2 * 1024 * 1024) << "SQLite memory before " << before << ", after " << after;

  // Still usable as before: the pages come back from the file as needed.
  insert_rows(*database, 24'000, 10);
  EXPECT_EQ(count_rows(*database), 24'010);
}

TEST(SqliteIdleMemoryTest, ReleasingWhileReadsAndWritesRunLeavesThemUndisturbed) {
  TempDir dir;
  auto database = open_rows_database(dir.file("idle-memory-busy.db"));
  constexpr int kWriters = 2;
  constexpr int kBatchesPerWriter = 60;
  constexpr int kBatch = 200;
  std::atomic<bool> running{true};
  std::atomic<int> failures{0};
  std::atomic<long> releases{0};

  std::thread releaser([&] {
    while (running.load()) {
      database->release_idle_memory();
      releases.fetch_add(1);
    }
  });
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int b = 0; b < kBatchesPerWriter; ++b) {
        try {
          insert_rows(*database, (w * kBatchesPerWriter + b) * kBatch, kBatch);
        } catch (...) {
          failures.fetch_add(1);
        }
      }
    });
  }
  threads.emplace_back([&] {
    for (int r = 0; r < 100; ++r) {
      try {
        if (count_rows(*database) < 0) failures.fetch_add(1);
      } catch (...) {
        failures.fetch_add(1);
      }
    }
  });
  for (auto& thread : threads) thread.join();
  running = false;
  releaser.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(releases.load(), 0);
  EXPECT_EQ(count_rows(*database), int64_t{kWriters} * kBatchesPerWriter * kBatch);
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
