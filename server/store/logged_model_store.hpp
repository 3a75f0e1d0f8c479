#pragma once

// The logged-model store interface: what the logged-model service needs from
// a backend for MLflow 3's logged models. Implemented once for SQLite and
// PostgreSQL: sql_logged_model_store*.cpp over sql::Database, in MLflow 3's
// tables (logged_models, logged_model_params, logged_model_tags,
// logged_model_metrics).
//
// Lifecycle, as MLflow's SQL store: a deleted model stays in its table; get
// and search no longer see it (RESOURCE_DOES_NOT_EXIST, never listed), but
// the writes by id (finalize, tags, params, delete again) still find it.
//
// Methods throw mlflowcpp::MlflowException with the error code the official
// server uses. Inputs reaching the store are already validated for shape and
// length by the service; the store checks what needs the database (existence,
// experiment lifecycle, param immutability).
//
// Thread safety: every method may be called from many threads at once.

#include "server/search/id_scope.hpp"
#include "server/search/logged_model_search.hpp"

#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/logged_model.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server {

struct CreateLoggedModelRequest {
  std::string experiment_id;
  std::string name;  // "" = generate one ("adjective-noun-NNN"), as MLflow
  std::optional<std::string> model_type;
  std::optional<std::string> source_run_id;
  std::vector<LoggedModelParameter> params;  // distinct keys
  std::vector<LoggedModelTag> tags;          // a repeated key keeps its last value
};

// Models of experiments outside `experiment_scope` (the caller's read scope;
// all by default) are not listed: their ids are dropped as if not requested,
// while page tokens keep naming the requested ids.
struct SearchLoggedModelsRequest {
  std::vector<std::string> experiment_ids;
  search::IdScope experiment_scope;
  std::string filter;
  std::vector<search::LoggedModelDataset> datasets;
  int64_t max_results = 100;
  std::vector<search::LoggedModelOrderBy> order_by;
  std::string page_token;
};

class LoggedModelStore {
 public:
  virtual ~LoggedModelStore() = default;

  // A new PENDING model in an active experiment, with its artifact location
  // `<experiment artifact location>/models/<model_id>/artifacts`.
  virtual LoggedModel create_logged_model(const CreateLoggedModelRequest& request) = 0;
  virtual LoggedModel get_logged_model(const std::string& model_id) = 0;
  virtual void delete_logged_model(const std::string& model_id) = 0;
  // Sets the status and the update time; the model as it is then.
  virtual LoggedModel finalize_logged_model(const std::string& model_id, LoggedModelStatus status) = 0;
  virtual void set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags) = 0;
  virtual void delete_logged_model_tag(const std::string& model_id, const std::string& key) = 0;
  // A param logged again with its value is accepted; with another value it is
  // INVALID_PARAMETER_VALUE (params never change).
  virtual void log_logged_model_params(const std::string& model_id,
                                       const std::vector<LoggedModelParameter>& params) = 0;
  virtual Page<LoggedModel> search_logged_models(const SearchLoggedModelsRequest& request) = 0;
};

}  // namespace mlflowcpp::server
