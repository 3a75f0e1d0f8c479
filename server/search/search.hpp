#pragma once

// MLflow's search grammar (filters, order_by, page tokens) for runs and
// experiments: a tokenizer and parser into a typed AST, and a compiler from
// that AST to parameterised SQL over MLflow's own tables. User input only ever
// reaches SQL as bound parameters.
//
// All parse errors throw mlflowcpp::MlflowException with INVALID_PARAMETER_VALUE.

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

struct OrderBy {
  Entity entity = Entity::kAttribute;
  std::string key;
  bool ascending = true;
};

Filter parse_run_filter(std::string_view filter);
Filter parse_experiment_filter(std::string_view filter);
OrderBy parse_run_order_by(std::string_view order_by);
OrderBy parse_experiment_order_by(std::string_view order_by);

// ---------------------------------------------------------------------------
// Page tokens: opaque to clients; a garbage token is INVALID_PARAMETER_VALUE.

std::string encode_page_token(int64_t offset);
int64_t decode_page_token(std::string_view token);  // "" -> 0

// ---------------------------------------------------------------------------
// SQL compilation

enum class Dialect { kSqlite, kPostgres };

using SqlValue = std::variant<int64_t, double, std::string>;

struct SqlQuery {
  std::string sql;                 // with '?' placeholders, in order
  std::vector<SqlValue> bindings;  // one per placeholder
};

// SELECT of the run_uuid column for one page of search_runs, in order:
// runs of `experiment_ids` in lifecycle `view_type` (1 active, 2 deleted, 3 all)
// matching `filter`, ordered by `order_by` then start_time DESC, run_uuid ASC
// (the official default and tie-breaks), LIMIT `limit` OFFSET `offset`.
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
struct ExperimentQuery {
  int view_type = 1;
  Filter filter;
  std::vector<OrderBy> order_by;
  int64_t limit = 1000;
  int64_t offset = 0;
};
SqlQuery compile_experiment_query(const ExperimentQuery& query, Dialect dialect);

}  // namespace mlflowcpp::server::search
