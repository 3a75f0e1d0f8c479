#pragma once

// MLflow's search grammar (filters, order_by, page tokens) for runs and
// experiments: a tokenizer and parser into a typed AST, and a compiler from
// that AST to parameterised SQL over MLflow's own tables. User input only ever
// reaches SQL as bound parameters.
//
// All parse errors throw mlflowcpp::MlflowException with INVALID_PARAMETER_VALUE.
//
// Grammar (MLflow's, see the protocol spec §5):
//   filter     := clause (AND clause)*            keywords are case-insensitive
//   clause     := identifier comparator value
//   identifier := [entity "."] key                 entity may be `backticked`
//   key        := word ("." word)* | "double quoted" | `backticked`
//   value      := 'single quoted' | "double quoted" | number | ('a', 'b', ...)
// Runs accept the entities metric(s), param(s)/parameter(s), tag(s),
// attribute(s)/attr/run and dataset(s); experiments attribute, tag(s).
// A clause on a metric, param or tag the row does not have is false for every
// comparator, `!=` included.
//
// Metrics: MLflow's tables store NaN as value 0 with is_nan = 1 and ±inf as
// ±1.7976931348623157e308. A metric clause compares like IEEE doubles: NaN
// satisfies only `!=`; a filter number beyond the double range compares as the
// stored ±inf. (The official SQL store compares the stored 0 of a NaN; its file
// store, like this one, does not.)

#include "server/search/id_scope.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mlflowcpp::server::search {

// ---------------------------------------------------------------------------
// AST

enum class Entity { kMetric, kParam, kTag, kAttribute, kDataset };
enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kILike, kIn, kNotIn };

// A literal: a quoted string, a number (kept as its text and its value), or a
// parenthesised list of strings (IN / NOT IN only).
struct Number {
  std::string text;
  double value = 0;
};
using Literal = std::variant<std::string, Number, std::vector<std::string>>;

struct Clause {
  Entity entity = Entity::kAttribute;
  std::string key;  // canonical attribute name ("start_time" for "created"), or the metric/param/tag key
  Comparator comparator = Comparator::kEq;
  Literal value;
};

// The clauses are ANDed.
struct Filter {
  std::vector<Clause> clauses;
};

// Keys: a metric/param/tag key, or a canonical attribute name
// (runs: run_id, run_name, status, user_id, artifact_uri, start_time,
// end_time; experiments: name, experiment_id, creation_time, last_update_time).
struct OrderBy {
  Entity entity = Entity::kAttribute;
  std::string key;
  bool ascending = true;
};

// "=", "!=", ..., "LIKE", "ILIKE", "IN", "NOT IN".
std::string_view comparator_name(Comparator comparator);
// "metric", "parameter", "tag", "attribute", "dataset" (MLflow's words).
std::string_view entity_name(Entity entity);

bool operator==(const Number& a, const Number& b);
bool operator==(const Clause& a, const Clause& b);
bool operator==(const Filter& a, const Filter& b);
bool operator==(const OrderBy& a, const OrderBy& b);

// Empty or blank filters give no clauses. Attribute aliases are resolved:
// created/Created -> start_time, "run name"/"Run name"/"Run Name" -> run_name.
Filter parse_run_filter(std::string_view filter);
Filter parse_experiment_filter(std::string_view filter);
// One order_by element: `identifier [ASC|DESC]`, ascending by default.
OrderBy parse_run_order_by(std::string_view order_by);
OrderBy parse_experiment_order_by(std::string_view order_by);

// ---------------------------------------------------------------------------
// Page tokens: opaque to clients; a garbage token is INVALID_PARAMETER_VALUE.
// (Page sizes: page_size.hpp.)

// The token is base64 of the JSON {"offset": N}, as MLflow's stores make it
// (so tokens of the official server keep working). Decoding accepts nothing
// else: bad base64, other JSON, or an offset that is not an integer in
// 0..2^53-1 is INVALID_PARAMETER_VALUE.
std::string encode_page_token(int64_t offset);
int64_t decode_page_token(std::string_view token);  // "" -> 0

// ---------------------------------------------------------------------------
// SQL compilation

// LIKE must be case-sensitive and ILIKE not, in both dialects. For kSqlite,
// LIKE compiles to LIKE and ILIKE to `lower(x) LIKE lower(?)`, so the
// connection running the query MUST have `PRAGMA case_sensitive_like = ON`
// (SQLite's LIKE ignores ASCII case otherwise). kPostgres uses LIKE and ILIKE.
// kMysql compares strings (=, !=, LIKE) with BINARY beside the plain
// comparison, as MLflow does there: MLflow's columns use a case-insensitive
// collation, the plain comparison can use an index, the BINARY one makes it
// exact; ILIKE is `lower(x) LIKE lower(?)`; IN stays in the collation, as in
// MLflow. Placeholders are '?' everywhere; a PostgreSQL driver may need them
// renumbered.
enum class Dialect { kSqlite, kPostgres, kMysql };

using SqlValue = std::variant<int64_t, double, std::string>;

struct SqlQuery {
  std::string sql;                 // with '?' placeholders, in order
  std::vector<SqlValue> bindings;  // one per placeholder
};

// SELECT of the run_uuid column for one page of search_runs, in order:
// runs of `experiment_ids` in lifecycle `view_type` (1 active, 2 deleted, 3 all)
// matching `filter`, ordered by `order_by` then start_time DESC, run_uuid ASC
// (the official default and tie-breaks), LIMIT `limit` OFFSET `offset`.
// Rows lacking an order_by metric/param/tag (or with a NULL attribute) sort
// last in either direction; NaN metrics sort after every number, before the
// missing ones. Experiment ids that are not integers match nothing. Throws
// INVALID_PARAMETER_VALUE for a bad view_type or an order_by naming the same
// field twice. `limit` has passed validate_page_size() (page_size.hpp).
struct RunQuery {
  std::vector<std::string> experiment_ids;
  int view_type = 1;
  Filter filter;
  std::vector<OrderBy> order_by;
  int64_t limit = 1000;
  int64_t offset = 0;
};
SqlQuery compile_run_query(const RunQuery& query, Dialect dialect);

// SELECT of the experiment_id column for one page of search_experiments.
// Without order_by: creation_time DESC, experiment_id ASC (the official
// default); with it, experiment_id DESC breaks ties unless listed. NULL
// creation/update times sort last. Only experiments `scope` admits are
// listed, so a narrowed caller's pages are as full as anyone's.
struct ExperimentQuery {
  IdScope scope;
  int view_type = 1;
  Filter filter;
  std::vector<OrderBy> order_by;
  int64_t limit = 1000;
  int64_t offset = 0;
};
SqlQuery compile_experiment_query(const ExperimentQuery& query, Dialect dialect);

}  // namespace mlflowcpp::server::search
