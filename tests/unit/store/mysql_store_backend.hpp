#pragma once

// The MySQL backend of the store contract tests (see store_backends.hpp): one
// throwaway MariaDB server per test program, started on first use, and a
// fresh database with MLflow's schema per test.

#include "server/store/mysql_database.hpp"
#include "server/store/mysql_schema.hpp"
#include "server/store/mysql_uri.hpp"

#include "testing/mariadb_process.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::server::store::testing {

// The test program's MariaDB server, started by the first test that needs it
// and stopped when the program exits.
inline mlflowcpp::testing::MariadbProcess& shared_mariadb_server() {
  static mlflowcpp::testing::MariadbProcess server;
  return server;
}

class MysqlTestDatabase final : public TestDatabase {
 public:
  MysqlTestDatabase() {
    static std::atomic<int> databases_created{0};
    uri_ = shared_mariadb_server().create_database("store_test_" + std::to_string(++databases_created));
    mysql::prepare_schema(mysql::parse_mysql_uri(uri_), {});
  }

  std::shared_ptr<sql::Database> open() override {
    mysql::MysqlDatabaseOptions options;
    options.uri = uri_;
    return std::make_shared<mysql::MysqlDatabase>(options);
  }

 private:
  std::string uri_;
};

// Available wherever MariaDB is installed (scripts/install-deps.sh --test):
// the tests start it themselves.
inline std::optional<StoreBackend> mysql_store_backend() {
  if (!mlflowcpp::testing::MariadbProcess::installed()) return std::nullopt;
  return StoreBackend{"Mysql", [] { return std::unique_ptr<TestDatabase>(std::make_unique<MysqlTestDatabase>()); }};
}

}  // namespace mlflowcpp::server::store::testing
