#pragma once

// The logged-model store in MLflow 3's own tables, on any sql::Database
// (SQLite or PostgreSQL). Writes are in sql_logged_model_store.cpp, reads
// (get, search, loading whole models) in sql_logged_model_store_reads.cpp.
//
// Every call is one transaction of the database. Jobs may run more than once
// (PostgreSQL retries serialization failures and deadlocks), so ids and times
// are drawn before a job starts and jobs only assign their results.

#include "server/store/logged_model_store.hpp"
#include "server/store/sql_database.hpp"

#include <mlflowcpp/errors.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server::store {

class RandomIds;

class SqlLoggedModelStore final : public LoggedModelStore {
 public:
  // `database` holds MLflow 3's logged-model tables.
  explicit SqlLoggedModelStore(std::shared_ptr<sql::Database> database);
  ~SqlLoggedModelStore() override;

  LoggedModel create_logged_model(const CreateLoggedModelRequest& request) override;
  LoggedModel get_logged_model(const std::string& model_id) override;
  void delete_logged_model(const std::string& model_id) override;
  LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status) override;
  void set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags) override;
  void delete_logged_model_tag(const std::string& model_id, const std::string& key) override;
  void log_logged_model_params(const std::string& model_id, const std::vector<LoggedModelParameter>& params) override;
  Page<LoggedModel> search_logged_models(const SearchLoggedModelsRequest& request) override;

 private:
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<RandomIds> ids_;
};

// Reading logged models out of the tables, on any connection (shared by the
// store's reads and its writes that answer with the model).

MlflowException logged_model_not_found(const std::string& model_id);

// The model whatever its lifecycle stage (`include_deleted`) or only an
// active one; nullopt when there is none.
std::optional<LoggedModel> find_logged_model(sql::Connection& connection, const std::string& model_id,
                                             bool include_deleted);

// The experiment id of a model whatever its lifecycle stage; RESOURCE_DOES_NOT_EXIST when absent.
int64_t require_logged_model_experiment(sql::Connection& connection, const std::string& model_id);

}  // namespace mlflowcpp::server::store
