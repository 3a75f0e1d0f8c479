#pragma once

// The PostgreSQL backend of the store contract tests (see store_backends.hpp):
// one throwaway PostgreSQL 15 server per test program, started on first use,
// and a fresh database with MLflow's schema per test.

#include "server/store/postgres_database.hpp"
#include "server/store/postgres_schema.hpp"
#include "server/store/postgres_uri.hpp"

#include "testing/postgres_process.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::server::store::testing {

// The test program's PostgreSQL server, started by the first test that needs
// it and stopped when the program exits.
inline mlflowcpp::testing::PostgresProcess& shared_postgres_server() {
  static mlflowcpp::testing::PostgresProcess server;
  return server;
}

class PostgresTestDatabase final : public TestDatabase {
 public:
  PostgresTestDatabase() {
    static std::atomic<int> databases_created{0};
    uri_ = shared_postgres_server().create_database("store_test_" + std::to_string(++databases_created));
    postgres::prepare_schema(postgres::libpq_uri(uri_), {});
  }

  std::shared_ptr<sql::Database> open() override {
    postgres::PostgresDatabaseOptions options;
    options.uri = uri_;
    return std::make_shared<postgres::PostgresDatabase>(options);
  }

 private:
  std::string uri_;
};

// Always available: the tests start PostgreSQL themselves (it is installed by
// scripts/install-deps.sh --test), and fail loudly when they cannot.
inline std::optional<StoreBackend> postgres_store_backend() {
  return StoreBackend{"Postgres", [] { return std::unique_ptr<TestDatabase>(std::make_unique<PostgresTestDatabase>()); }};
}

}  // namespace mlflowcpp::server::store::testing
