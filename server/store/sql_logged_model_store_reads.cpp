// SqlLoggedModelStore: get and search, and reading whole models out of the tables.
#include "server/store/sql_logged_model_store.hpp"

#include "server/search/scope_narrowing.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_transactions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlflowcpp::server::store {
namespace {

std::optional<std::string> optional_column(const sql::Column& column) {
  if (column.is_null()) return std::nullopt;
  return column.as_string();
}

LoggedModelStatus status_from_column(int64_t number) {
  if (number < 0 || number > static_cast<int64_t>(LoggedModelStatus::kUploadFailed)) {
    return LoggedModelStatus::kUnspecified;
  }
  return static_cast<LoggedModelStatus>(number);
}

// Tags and params in key order, byte-wise, whatever the database's collation.
template <typename Entry>
void sort_by_key(std::vector<Entry>& entries) {
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
}

void load_tags(sql::Connection& connection, LoggedModel& model) {
  auto query = connection.statement("SELECT tag_key, tag_value FROM logged_model_tags WHERE model_id = ?");
  query->bind(1, model.info.model_id);
  while (query->step()) model.info.tags.push_back({query->column(0).as_string(), query->column(1).as_string()});
  sort_by_key(model.info.tags);
}

void load_params(sql::Connection& connection, LoggedModel& model) {
  auto query = connection.statement("SELECT param_key, param_value FROM logged_model_params WHERE model_id = ?");
  query->bind(1, model.info.model_id);
  while (query->step()) model.data.params.push_back({query->column(0).as_string(), query->column(1).as_string()});
  sort_by_key(model.data.params);
}

// In the order they were logged, as the official server lists them.
void load_metrics(sql::Connection& connection, LoggedModel& model) {
  auto query = connection.statement(
      "SELECT metric_name, metric_value, metric_timestamp_ms, metric_step, dataset_name, dataset_digest, run_id "
      "FROM logged_model_metrics WHERE model_id = ? ORDER BY " +
      sql_dialect::insertion_order(connection.dialect(), "logged_model_metrics"));
  query->bind(1, model.info.model_id);
  while (query->step()) {
    LoggedModelMetric metric;
    metric.key = query->column(0).as_string();
    // A NULL value is how MLflow stores NaN in this table.
    metric.value =
        query->column(1).is_null() ? std::numeric_limits<double>::quiet_NaN() : query->column(1).as_double();
    metric.timestamp = query->column(2).as_int64();
    metric.step = query->column(3).as_int64();
    metric.dataset_name = optional_column(query->column(4));
    metric.dataset_digest = optional_column(query->column(5));
    metric.model_id = model.info.model_id;
    metric.run_id = query->column(6).as_string();
    model.data.metrics.push_back(std::move(metric));
  }
}

}  // namespace

MlflowException logged_model_not_found(const std::string& model_id) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, fmt::format("Logged model with ID '{}' not found.", model_id));
}

std::optional<LoggedModel> find_logged_model(sql::Connection& connection, const std::string& model_id,
                                             bool include_deleted) {
  auto query = connection.statement(
      "SELECT model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, "
      "status, status_message, model_type, source_run_id, lifecycle_stage FROM logged_models WHERE model_id = ?");
  query->bind(1, model_id);
  if (!query->step()) return std::nullopt;
  if (!include_deleted && query->column(10).as_string() == "deleted") return std::nullopt;
  LoggedModel model;
  LoggedModelInfo& info = model.info;
  info.model_id = query->column(0).as_string();
  info.experiment_id = std::to_string(query->column(1).as_int64());
  info.name = query->column(2).as_string();
  info.artifact_uri = query->column(3).as_string();
  info.creation_timestamp_ms = query->column(4).as_int64();
  info.last_updated_timestamp_ms = query->column(5).as_int64();
  info.status = status_from_column(query->column(6).as_int64());
  info.status_message = optional_column(query->column(7));
  info.model_type = optional_column(query->column(8));
  info.source_run_id = optional_column(query->column(9));
  load_tags(connection, model);
  load_params(connection, model);
  load_metrics(connection, model);
  return model;
}

int64_t require_logged_model_experiment(sql::Connection& connection, const std::string& model_id) {
  auto query = connection.statement("SELECT experiment_id FROM logged_models WHERE model_id = ?");
  query->bind(1, model_id);
  if (!query->step()) throw logged_model_not_found(model_id);
  return query->column(0).as_int64();
}

LoggedModel SqlLoggedModelStore::get_logged_model(const std::string& model_id) {
  std::optional<LoggedModel> model;
  read_transaction(*database_, [&](sql::Connection& connection) {
    model = find_logged_model(connection, model_id, /*include_deleted=*/false);
  });
  if (!model) throw logged_model_not_found(model_id);
  return std::move(*model);
}

Page<LoggedModel> SqlLoggedModelStore::search_logged_models(const SearchLoggedModelsRequest& request) {
  const search::LoggedModelSearchShape shape{request.experiment_ids, request.filter, request.order_by};
  search::LoggedModelQuery query;
  query.experiment_ids = search::admitted_experiment_ids(request.experiment_ids, request.experiment_scope);
  query.filter = search::parse_logged_model_filter(request.filter);
  query.datasets = request.datasets;
  query.order_by = request.order_by;
  query.offset = search::decode_logged_model_page_token(request.page_token, shape);
  // One more than a page tells whether another page follows.
  query.limit = request.max_results + 1;
  const search::SqlQuery sql = search::compile_logged_model_query(query, database_->dialect());

  Page<LoggedModel> page;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::string> model_ids;
    auto select = connection.statement(sql.sql);
    sql::bind_values(*select, sql.bindings);
    while (select->step()) model_ids.push_back(select->column(0).as_string());
    page.items.clear();
    page.next_page_token.clear();
    if (static_cast<int64_t>(model_ids.size()) > request.max_results) {
      model_ids.resize(static_cast<std::size_t>(request.max_results));
      page.next_page_token = search::encode_logged_model_page_token(shape, query.offset + request.max_results);
    }
    for (const std::string& model_id : model_ids) {
      if (auto model = find_logged_model(connection, model_id, /*include_deleted=*/false)) {
        page.items.push_back(std::move(*model));
      }
    }
  });
  return page;
}

}  // namespace mlflowcpp::server::store
