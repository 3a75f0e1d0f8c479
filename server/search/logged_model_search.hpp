#pragma once

// Search for MLflow 3's logged models (SearchLoggedModels): its own filter
// grammar, order_by terms and page tokens, compiled to parameterised SQL over
// the logged_models tables. User input only ever reaches SQL as bound
// parameters. Errors are MlflowException(INVALID_PARAMETER_VALUE), also where
// the official server fails with a 500 (a metric compared to a string, an
// unknown attribute, a malformed page token).
//
// Filter (MLflow's SearchLoggedModelsUtils):
//   filter     := comparison (AND comparison)*      AND is case-insensitive; no OR, no parentheses
//   comparison := identifier op value
//   identifier := [entity "."] key                  entity: attributes, metrics, params, tags (lower case)
// Attributes: name, model_id, model_type, source_run_id, status_message,
// artifact_location (strings); status (a LoggedModelStatus name or number,
// = and != only); creation_timestamp_ms (alias creation_timestamp,
// creation_time) and last_updated_timestamp_ms (alias last_updated_timestamp),
// numbers. Metrics compare numbers with = != < <= > >=; strings (params, tags,
// string attributes) with = != LIKE ILIKE IN NOT IN, and a bare number there is
// its text. A metric clause is true when any value logged for the model
// matches (on one of `datasets` when given).
//
// Order: each order_by term, nulls last; then creation_timestamp_ms DESC
// (unless ordered by it), then model_id ASC. A metric term orders by the
// model's latest value of the metric (greatest timestamp, then step, then run id), on the
// term's dataset when it names one. Attribute terms take the attribute names
// above (status as its number).

#include "server/search/search.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::search {

enum class LoggedModelEntity { kAttribute, kMetric, kParam, kTag };

struct LoggedModelClause {
  LoggedModelEntity entity = LoggedModelEntity::kAttribute;
  std::string key;  // the attribute's column name, or the metric/param/tag key
  Comparator comparator = Comparator::kEq;
  Literal value;  // Number (metrics, numeric attributes, status), string, or list of strings
};

// One element of SearchLoggedModels.order_by, as the request carries it.
struct LoggedModelOrderBy {
  std::string field_name;  // an attribute, or "metrics.<key>"
  bool ascending = true;
  std::optional<std::string> dataset_name;
  std::optional<std::string> dataset_digest;
};

// One element of SearchLoggedModels.datasets.
struct LoggedModelDataset {
  std::string dataset_name;
  std::optional<std::string> dataset_digest;
};

// Empty or blank filters give no clauses.
std::vector<LoggedModelClause> parse_logged_model_filter(std::string_view filter);

// SELECT of the model_id column of logged_models for one page: active models
// of `experiment_ids` matching `filter` (and, without metric clauses, having a
// metric on one of `datasets`), ordered as described above.
struct LoggedModelQuery {
  std::vector<std::string> experiment_ids;
  std::vector<LoggedModelClause> filter;
  std::vector<LoggedModelDataset> datasets;
  std::vector<LoggedModelOrderBy> order_by;
  int64_t limit = 100;
  int64_t offset = 0;
};
SqlQuery compile_logged_model_query(const LoggedModelQuery& query, Dialect dialect);

// Page tokens of SearchLoggedModels, byte for byte as MLflow makes them:
// base64 of the JSON {"experiment_ids": [...], "filter_string": ...,
// "order_by": [...], "offset": N}. A token is only good for the search that
// made it: decoding checks experiment ids, filter and order_by against the
// request (INVALID_PARAMETER_VALUE when they differ or the token is malformed).
// `filter` empty means no filter.
struct LoggedModelSearchShape {
  std::vector<std::string> experiment_ids;
  std::string filter;
  std::vector<LoggedModelOrderBy> order_by;
};
std::string encode_logged_model_page_token(const LoggedModelSearchShape& search, int64_t offset);
int64_t decode_logged_model_page_token(std::string_view token, const LoggedModelSearchShape& search);  // "" -> 0

}  // namespace mlflowcpp::server::search
