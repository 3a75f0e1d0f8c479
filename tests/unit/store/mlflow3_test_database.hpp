#pragma once

// Databases with MLflow 3's schema (alembic 1b5f0d9ad7c1) for the logged-model
// store tests, on SQLite and PostgreSQL, and the database the official MLflow 3.6
// server wrote.

#include "store_backends.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace mlflowcpp::server::store::testing {

inline std::string mlflow3_fixture(const std::string& name) { return std::string(MLFLOWCPP_FIXTURES_DIR) + "/" + name; }

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// New databases get MLflow 3's schema: the contract backends serve as they are.
inline std::vector<StoreBackend> mlflow3_store_backends() { return store_backends(); }

// A copy of the database the official MLflow 3.6 server wrote (never the original).
inline std::shared_ptr<sql::Database> open_mlflow3_fixture_copy(const TempDir& dir) {
  const std::string copy = dir.file("mlflow-3-sample.sqlite");
  std::filesystem::copy_file(mlflow3_fixture("mlflow-3-sample.sqlite"), copy);
  return open_sqlite_database(copy);
}

}  // namespace mlflowcpp::server::store::testing
