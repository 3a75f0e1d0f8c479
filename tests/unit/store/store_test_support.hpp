#pragma once

// Shared helpers of the store tests: a temporary directory, opening a store in
// it, and checking the MLflow error code of a failing call.

#include "server/store/sqlite_tracking_store.hpp"
#include "server/store/store_factory.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <random>
#include <string>

namespace mlflowcpp::server::store::testing {

// A fresh directory, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("mlflowcpp-store-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<SqliteTrackingStore> open_store(const std::string& database_path,
                                                       const std::string& artifact_root = "mlflow-artifacts:/") {
  SqliteStoreOptions options;
  options.database_path = database_path;
  options.default_artifact_root = artifact_root;
  return std::make_unique<SqliteTrackingStore>(options);
}

// A copy of the database the official 2.9.2 server wrote (never the original).
inline std::string copy_fixture(const TempDir& dir) {
  const std::string copy = dir.file("fixture.sqlite");
  std::filesystem::copy_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.sqlite", copy);
  return copy;
}

}  // namespace mlflowcpp::server::store::testing

// Expects `statement` to throw MlflowException with error code `code_name`
// ("RESOURCE_DOES_NOT_EXIST", ...).
#define EXPECT_MLFLOW_ERROR(statement, code_name)                                              \
  do {                                                                                         \
    try {                                                                                      \
      statement;                                                                               \
      ADD_FAILURE() << "expected " << (code_name) << " from: " #statement;                     \
    } catch (const ::mlflowcpp::MlflowException& error) {                                      \
      EXPECT_EQ(error.error_code(), std::string(code_name)) << #statement << ": " << error.what(); \
    }                                                                                          \
  } while (false)
