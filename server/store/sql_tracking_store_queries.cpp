// SqlTrackingStore: searches, metric history, dataset summaries.

#include "server/search/scope_narrowing.hpp"
#include "server/search/search.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_entity_reader.hpp"
#include "server/store/sql_store_checks.hpp"
#include "server/store/sql_tracking_store.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"
#include "server/store/step_sampling.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <tuple>
#include <type_traits>
#include <variant>

namespace mlflowcpp::server::store {

namespace {

// At most this many dataset summaries, as MLflow.
constexpr int64_t kMaxDatasetSummaries = 1000;

// Collects a page of history as Metric values, for the callers that want the list.
class MetricListSink final : public MetricHistorySink {
 public:
  MetricListSink(const std::string& key, std::vector<Metric>& metrics) : key_(key), metrics_(metrics) {}

  void add(double value, int64_t timestamp, int64_t step) override {
    Metric& metric = metrics_.emplace_back();
    metric.key = key_;
    metric.value = value;
    metric.timestamp = timestamp;
    metric.step = step;
  }
  void clear() override { metrics_.clear(); }

 private:
  const std::string& key_;
  std::vector<Metric>& metrics_;
};

// A point of a history read by `SELECT value, timestamp, step, is_nan`.
struct HistoryPoint {
  double value = 0;  // NaN for a NaN point
  int64_t timestamp = 0;
  int64_t step = 0;

  // History order: (timestamp, step, value), NaN stored as 0 with a flag and sorting there, as in the database.
  bool before(const HistoryPoint& other) const {
    const bool nan = std::isnan(value);
    const bool other_nan = std::isnan(other.value);
    return std::make_tuple(timestamp, step, nan ? 0.0 : value, nan) <
           std::make_tuple(other.timestamp, other.step, other_nan ? 0.0 : other.value, other_nan);
  }
};

HistoryPoint history_point(const sql::Statement& row) {
  HistoryPoint point;
  point.value = load_metric_value(row.column(0).as_double(), row.column(3).as_int() != 0);
  point.timestamp = row.column(1).as_int64();
  point.step = row.column(2).as_int64();
  return point;
}

// Every point of a history from the `offset`-th on, in history order. The rows come in the order of the
// (run, key, step, ...) index, which for the usual history (timestamps growing with the steps) is already history
// order, so they go to the sink as they are read. At the first row out of that order the history is read again and
// sorted here: rare, and far cheaper than a sort by the database on every call.
// `index_hint`: Database::metric_series_index_hint.
void send_whole_history(sql::Connection& connection, const MetricHistoryPageRequest& request, int64_t offset,
                        const std::string& index_hint, MetricHistorySink& sink) {
  auto query = connection.statement("SELECT value, timestamp, step, is_nan FROM metrics" + index_hint +
                                    " WHERE run_uuid = ? AND key = ? ORDER BY step, timestamp, value, is_nan");
  const auto run = [&] {
    query->reset();
    query->bind(1, request.run_id);
    query->bind(2, request.metric_key);
  };
  run();
  HistoryPoint previous;
  bool in_order = true;
  for (int64_t read = 0; query->step(); ++read) {
    const HistoryPoint point = history_point(*query);
    if (read > 0 && point.before(previous)) {
      in_order = false;
      break;
    }
    if (read >= offset) sink.add(point.value, point.timestamp, point.step);
    previous = point;
  }
  if (in_order) return;

  sink.clear();
  run();
  std::vector<HistoryPoint> points;
  while (query->step()) points.push_back(history_point(*query));
  std::sort(points.begin(), points.end(), [](const HistoryPoint& a, const HistoryPoint& b) { return a.before(b); });
  for (std::size_t i = static_cast<std::size_t>(std::min<int64_t>(offset, points.size())); i < points.size(); ++i) {
    sink.add(points[i].value, points[i].timestamp, points[i].step);
  }
}

Metric metric_from_row(const sql::Statement& row) {
  Metric metric;
  metric.key = row.column(0).as_string();
  metric.value = load_metric_value(row.column(1).as_double(), row.column(4).as_int() != 0);
  metric.timestamp = row.column(2).as_int64();
  metric.step = row.column(3).as_int64();
  return metric;
}

MetricWithRunId with_run_id(Metric metric, const std::string& run_id) {
  return MetricWithRunId{std::move(metric.key), metric.value, metric.timestamp, metric.step, run_id};
}

// The sorted distinct steps of one run's metric in [start, end]: read from the index on (run_uuid, key, step, ...)
// alone, without the points. `index_hint`: Database::metric_series_index_hint.
std::vector<int64_t> distinct_steps(sql::Connection& connection, const std::string& index_hint,
                                    const std::string& run_id, const std::string& key, int64_t start, int64_t end) {
  // Repeated steps are skipped here rather than by DISTINCT, which costs SQLite more per row.
  auto query = connection.statement("SELECT step FROM metrics" + index_hint +
                                    " WHERE run_uuid = ? AND key = ? AND step BETWEEN ? AND ? ORDER BY step");
  query->bind(1, run_id);
  query->bind(2, key);
  query->bind(3, start);
  query->bind(4, end);
  std::vector<int64_t> steps;
  while (query->step()) {
    const int64_t step = query->column(0).as_int64();
    if (steps.empty() || steps.back() != step) steps.push_back(step);
  }
  return steps;
}

// One run's points of `key` in [start, end] at the steps sample_steps() keeps of at most `max_results`, ordered by
// step, timestamp and value. Only the kept steps' points are read: a long history is sampled from its steps alone.
void append_sampled_history(sql::Connection& connection, const std::string& index_hint, const std::string& run_id,
                            const std::string& key, int64_t start, int64_t end, int64_t max_results,
                            std::vector<MetricWithRunId>& out) {
  const std::vector<int64_t> steps = distinct_steps(connection, index_hint, run_id, key, start, end);
  const std::set<int64_t> sampled = sample_steps(steps, max_results);
  if (sampled.empty()) return;
  const bool every_step = sampled.size() == steps.size();
  const sql_dialect::BoundList sampled_steps(connection.dialect(),
                                             std::vector<int64_t>(sampled.begin(), sampled.end()));
  auto query = connection.statement(
      "SELECT key, value, timestamp, step, is_nan FROM metrics" + index_hint + " WHERE run_uuid = ? AND key = ? AND " +
      (every_step ? std::string("step BETWEEN ? AND ?") : sampled_steps.in_condition("step")) +
      " ORDER BY step, timestamp, value");
  query->bind(1, run_id);
  query->bind(2, key);
  if (every_step) {
    query->bind(3, start);
    query->bind(4, end);
  } else {
    sampled_steps.bind(*query, 3);
  }
  while (query->step()) out.push_back(with_run_id(metric_from_row(*query), run_id));
}

}  // namespace

// The page sizes of both searches were checked by the service (search/page_size.hpp).

Page<Experiment> SqlTrackingStore::search_experiments(const SearchExperimentsRequest& request) {
  search::ExperimentQuery query;
  query.scope = request.experiment_scope;
  query.view_type = static_cast<int>(request.view_type);
  query.filter = search::parse_experiment_filter(request.filter);
  for (const auto& order_by : request.order_by) query.order_by.push_back(search::parse_experiment_order_by(order_by));
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results + 1;  // one more tells whether a next page exists
  const search::SqlQuery sql = search::compile_experiment_query(query, database_->dialect());

  Page<Experiment> page;
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<int64_t> ids;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) ids.push_back(statement->column(0).as_int64());
    }
    if (static_cast<int64_t>(ids.size()) > request.max_results) {
      ids.resize(static_cast<size_t>(request.max_results));
      page.next_page_token = search::encode_page_token(query.offset + request.max_results);
    }
    page.items = load_experiments(connection, ids);
  });
  return page;
}

Page<Run> SqlTrackingStore::search_runs(const SearchRunsRequest& request) {
  search::RunQuery query;
  query.experiment_ids = search::admitted_experiment_ids(request.experiment_ids, request.experiment_scope);
  query.view_type = static_cast<int>(request.view_type);
  query.filter = search::parse_run_filter(request.filter);
  for (const auto& order_by : request.order_by) query.order_by.push_back(search::parse_run_order_by(order_by));
  query.offset = search::decode_page_token(request.page_token);
  query.limit = request.max_results;

  Page<Run> page;
  if (query.experiment_ids.empty() || request.max_results == 0) return page;
  const search::SqlQuery sql = search::compile_run_query(query, database_->dialect());
  // As the official server: runs/search lists model outputs but not model inputs.
  const RunModelLinks model_links{/*outputs=*/has_mlflow3_tables(), /*inputs=*/false};
  read_transaction(*database_, [&](sql::Connection& connection) {
    std::vector<std::string> ids;
    {
      auto statement = connection.statement(sql.sql);
      sql::bind_values(*statement, sql.bindings);
      while (statement->step()) ids.push_back(statement->column(0).as_string());
    }
    // As the official server: a full page always carries a token, even when
    // the next page turns out empty.
    if (static_cast<int64_t>(ids.size()) == request.max_results) {
      page.next_page_token = search::encode_page_token(query.offset + request.max_results);
    }
    page.items = load_runs(connection, ids, model_links);
  });
  return page;
}

std::vector<Metric> SqlTrackingStore::get_metric_history(const std::string& run_id, const std::string& key) {
  MetricHistoryPageRequest request;
  request.run_id = run_id;
  request.metric_key = key;
  return get_metric_history_page(request).items;
}

Page<Metric> SqlTrackingStore::get_metric_history_page(const MetricHistoryPageRequest& request) {
  Page<Metric> page;
  MetricListSink sink(request.metric_key, page.items);
  page.next_page_token = read_metric_history_page(request, sink);
  return page;
}

std::string SqlTrackingStore::read_metric_history_page(const MetricHistoryPageRequest& request,
                                                       MetricHistorySink& sink) {
  const int64_t offset = search::decode_page_token(request.page_token);
  std::string next_page_token;
  read_transaction(*database_, [&](sql::Connection& connection) {
    sink.clear();
    next_page_token.clear();
    if (!request.max_results) {
      send_whole_history(connection, request, offset, database_->metric_series_index_hint(), sink);
      return;
    }
    // One more than asked tells whether a next page exists.
    auto query = connection.statement("SELECT value, timestamp, step, is_nan FROM metrics" +
                                      database_->metric_series_index_hint() +
                                      " WHERE run_uuid = ? AND key = ? "
                                      "ORDER BY timestamp, step, value, is_nan LIMIT ? OFFSET ?");
    query->bind(1, request.run_id);
    query->bind(2, request.metric_key);
    query->bind(3, static_cast<int64_t>(*request.max_results + 1));
    query->bind(4, static_cast<int64_t>(offset));
    for (int64_t read = 0; query->step(); ++read) {
      if (read == *request.max_results) {
        next_page_token = search::encode_page_token(offset + *request.max_results);
        break;
      }
      const HistoryPoint point = history_point(*query);
      sink.add(point.value, point.timestamp, point.step);
    }
  });
  return next_page_token;
}

std::vector<MetricWithRunId> SqlTrackingStore::get_metric_history_bulk(const std::vector<std::string>& run_ids,
                                                                       const std::string& key, int64_t max_results) {
  std::vector<std::string> sorted_ids(run_ids);
  std::sort(sorted_ids.begin(), sorted_ids.end());
  sorted_ids.erase(std::unique(sorted_ids.begin(), sorted_ids.end()), sorted_ids.end());
  std::vector<MetricWithRunId> metrics;
  read_transaction(*database_, [&](sql::Connection& connection) {
    auto query = connection.statement("SELECT key, value, timestamp, step, is_nan FROM metrics" +
                                      database_->metric_series_index_hint() +
                                      " WHERE run_uuid = ? AND key = ? ORDER BY timestamp, step, value LIMIT ?");
    for (const auto& run_id : sorted_ids) {
      query->bind(1, run_id);
      query->bind(2, key);
      query->bind(3, static_cast<int64_t>(max_results));
      while (query->step()) metrics.push_back(with_run_id(metric_from_row(*query), run_id));
      query->reset();
    }
  });
  return metrics;
}

std::vector<MetricWithRunId> SqlTrackingStore::get_metric_history_bulk_interval(
    const MetricHistoryBulkIntervalRequest& request) {
  if (request.start_step.has_value() != request.end_step.has_value()) {
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          "If either start step or end step are specified, both must be specified.");
  }
  if (request.start_step && *request.start_step > *request.end_step) {
    throw MlflowException(ErrorCode::kInvalidParameterValue, "end_step must be greater than start_step.");
  }
  const int64_t start = request.start_step.value_or(std::numeric_limits<int64_t>::min());
  const int64_t end = request.end_step.value_or(std::numeric_limits<int64_t>::max());
  std::vector<MetricWithRunId> metrics;
  read_transaction(*database_, [&](sql::Connection& connection) {
    for (const auto& run_id : request.run_ids) {
      append_sampled_history(connection, database_->metric_series_index_hint(), run_id, request.metric_key, start, end,
                             request.max_results, metrics);
    }
  });
  return metrics;
}

std::vector<DatasetSummary> SqlTrackingStore::search_datasets(const std::vector<std::string>& experiment_ids) {
  std::vector<int64_t> ids;
  for (const auto& experiment_id : experiment_ids) {
    if (auto id = parse_experiment_id(experiment_id)) ids.push_back(*id);
  }
  std::vector<DatasetSummary> summaries;
  if (ids.empty()) return summaries;
  read_transaction(*database_, [&](sql::Connection& connection) {
    const sql_dialect::BoundList experiments(connection.dialect(), ids);
    auto query = connection.statement(
        "SELECT DISTINCT d.experiment_id, d.name, d.digest, COALESCE(t.value, '') FROM datasets d "
        "JOIN inputs i ON i.source_type = 'DATASET' AND i.source_id = d.dataset_uuid "
        "LEFT JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = 'mlflow.data.context' "
        "WHERE " +
        experiments.in_condition("d.experiment_id") + " LIMIT ?");
    query->bind(experiments.bind(*query, 1), static_cast<int64_t>(kMaxDatasetSummaries));
    while (query->step()) {
      summaries.push_back(DatasetSummary{std::to_string(query->column(0).as_int64()), query->column(1).as_string(),
                                         query->column(2).as_string(), query->column(3).as_string()});
    }
  });
  return summaries;
}

}  // namespace mlflowcpp::server::store
