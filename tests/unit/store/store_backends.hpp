#pragma once

// The databases the store contract tests run on. Every test of a contract
// suite (TEST_P over store_backends()) runs once per backend: SQLite always,
// PostgreSQL when a test server is available, MySQL (a throwaway MariaDB)
// when MariaDB is installed.
//
// A PostgreSQL backend plugs in through postgres_store_backend.hpp (when that
// file exists): it defines
//   std::optional<StoreBackend> postgres_store_backend();
// returning std::nullopt when no PostgreSQL test server is configured. A MySQL
// backend plugs in the same way through mysql_store_backend.hpp
// (mysql_store_backend()).

#include "store_test_support.hpp"

#include "server/store/sql_database.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::testing {

// One fresh database holding MLflow's schema and nothing else; it goes away
// with the object.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // A sql::Database on it. Opening again after the previous one was released
  // (a server restart) sees everything committed before.
  virtual std::shared_ptr<sql::Database> open() = 0;
};

struct StoreBackend {
  std::string name;  // a test-name suffix: letters and digits only
  std::function<std::unique_ptr<TestDatabase>()> create;
};

inline std::ostream& operator<<(std::ostream& out, const StoreBackend& backend) { return out << backend.name; }

// For INSTANTIATE_TEST_SUITE_P: names each instance after its backend.
inline std::string backend_test_name(const ::testing::TestParamInfo<StoreBackend>& info) { return info.param.name; }

class SqliteTestDatabase final : public TestDatabase {
 public:
  std::shared_ptr<sql::Database> open() override { return open_sqlite_database(dir_.file("mlflow.db")); }

 private:
  TempDir dir_;
};

}  // namespace mlflowcpp::server::store::testing

#if __has_include("postgres_store_backend.hpp")
#include "postgres_store_backend.hpp"
#define MLFLOWCPP_HAVE_POSTGRES_STORE_BACKEND 1
#endif
#if __has_include("mysql_store_backend.hpp")
#include "mysql_store_backend.hpp"
#define MLFLOWCPP_HAVE_MYSQL_STORE_BACKEND 1
#endif

namespace mlflowcpp::server::store::testing {

inline std::vector<StoreBackend> store_backends() {
  std::vector<StoreBackend> backends;
  backends.push_back({"Sqlite", [] { return std::unique_ptr<TestDatabase>(std::make_unique<SqliteTestDatabase>()); }});
#ifdef MLFLOWCPP_HAVE_POSTGRES_STORE_BACKEND
  if (std::optional<StoreBackend> postgres = postgres_store_backend()) backends.push_back(std::move(*postgres));
#endif
#ifdef MLFLOWCPP_HAVE_MYSQL_STORE_BACKEND
  if (std::optional<StoreBackend> mysql = mysql_store_backend()) backends.push_back(std::move(*mysql));
#endif
  return backends;
}

}  // namespace mlflowcpp::server::store::testing
