// Registry search (MLflow's SearchModelUtils / SearchModelVersionUtils rules)
// compiled to SQL over registered_models, model_versions and their tag tables.
#include "server/search/registry_search.hpp"
#include "server/search/search_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mlflowcpp/errors.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "server/search/clause_checks.hpp"
#include "server/search/scope_condition.hpp"
#include "server/search/sql_fragment.hpp"
#include "server/search/syntax.hpp"

namespace mlflowcpp::server::search {
namespace {

using detail::SyntaxValue;

// Which table a search reads: names of the main table, its alias in the SQL,
// its tag table and the columns that join a tag row to its owner.
struct RegistryTables {
  const char* table;
  const char* alias;
  const char* tag_table;
  const char* tag_join;  // condition on tag alias `t` and the owner alias
};

constexpr RegistryTables kRegisteredModels{"registered_models", "rm", "registered_model_tags", "t.name = rm.name"};
constexpr RegistryTables kModelVersions{"model_versions", "mv", "model_version_tags",
                                        "t.name = mv.name AND t.version = mv.version"};

// The tag that marks a registered model (and its versions) as a prompt in MLflow 3.
constexpr const char* kPromptTagKey = "mlflow.prompt.is_prompt";

bool is_attribute_prefix(const std::optional<std::string>& entity) {
  return !entity || *entity == "attribute" || *entity == "attributes" || *entity == "attr";
}

bool is_tag_prefix(const std::optional<std::string>& entity) {
  return entity && (*entity == "tag" || *entity == "tags");
}

[[noreturn]] void invalid_entity(const std::string& entity) {
  throw invalid_parameter(
      fmt::format("Invalid entity type '{}'. Valid entity types are ('attribute', 'tag', 'tags')", entity));
}

// `column <op> ?` for the string comparators; ILIKE folds both sides
// (the connection keeps LIKE case-sensitive). MySQL's columns compare without
// case: BINARY makes =, != and LIKE exact, as MLflow's do there.
std::string string_comparison(const std::string& column, Comparator comparator, Dialect dialect) {
  if (dialect == Dialect::kMysql) {
    switch (comparator) {
      case Comparator::kEq:
        return "BINARY " + column + " = ?";
      case Comparator::kNe:
        return "BINARY " + column + " <> ?";
      case Comparator::kLike:
        return "BINARY " + column + " LIKE ?";
      default:
        break;
    }
  }
  switch (comparator) {
    case Comparator::kEq:
      return column + " = ?";
    case Comparator::kNe:
      return column + " != ?";
    case Comparator::kLike:
      return column + " LIKE ?";
    case Comparator::kILike:
      return dialect == Dialect::kPostgres ? column + " ILIKE ?" : "lower(" + column + ") LIKE lower(?)";
    default:
      break;
  }
  throw invalid_parameter(fmt::format("Invalid comparator '{}'", comparator_name(comparator)));
}

std::string numeric_comparison(const std::string& column, Comparator comparator) {
  switch (comparator) {
    case Comparator::kEq:
      return column + " = ?";
    case Comparator::kNe:
      return column + " != ?";
    case Comparator::kLt:
      return column + " < ?";
    case Comparator::kLe:
      return column + " <= ?";
    case Comparator::kGt:
      return column + " > ?";
    case Comparator::kGe:
      return column + " >= ?";
    default:
      break;
  }
  throw invalid_parameter(fmt::format("Invalid comparator '{}'", comparator_name(comparator)));
}

bool has_upper_case(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](unsigned char c) { return std::isupper(c) != 0; });
}

std::string quoted_string_value(const SyntaxValue& value, const char* what) {
  if (value.kind == SyntaxValue::Kind::kList) {
    throw invalid_parameter("Only the 'run_id' attribute supports comparison with a list of quoted string values.");
  }
  return detail::require_string(value,
                                fmt::format("Expected a quoted string value for {}. Got value {}", what, value.source));
}

// Collects WHERE conditions and their bindings. Tag clauses on one key are
// grouped so that all of them hold for the same tag row (MLflow's semantics).
class WhereBuilder {
 public:
  WhereBuilder(const RegistryTables& tables, Dialect dialect) : tables_(tables), dialect_(dialect) {}

  void add(std::string condition, std::vector<SqlValue> values) {
    conditions_.push_back(std::move(condition));
    for (auto& value : values) bindings_.push_back(std::move(value));
  }

  void add_tag(const std::string& key, Comparator comparator, const std::string& value) {
    detail::require_comparator(comparator, detail::kStringComparators, fmt::format("tag '{}'", key));
    if (key == kPromptTagKey && comparator == Comparator::kNe) {
      // MLflow 3 clients add `tag.`mlflow.prompt.is_prompt` != 'true'` to every
      // search to hide prompts; models without the tag must still match, as
      // MLflow 3 servers answer.
      add(fmt::format("NOT EXISTS (SELECT 1 FROM {} t WHERE {} AND t.key = ? AND t.value = ?)", tables_.tag_table,
                      tables_.tag_join),
          {key, value});
      return;
    }
    auto& group = tag_groups_[key];
    group.first.push_back(string_comparison("t.value", comparator, dialect_));
    group.second.emplace_back(value);
  }

  // Appends " WHERE ..." (or nothing) to `sql` and the bindings to `out`.
  void finish(const std::vector<std::string>& fixed_conditions, std::string& sql, std::vector<SqlValue>& out) {
    std::vector<std::string> all = fixed_conditions;
    all.insert(all.end(), conditions_.begin(), conditions_.end());
    for (auto& value : bindings_) out.push_back(std::move(value));
    for (auto& [key, group] : tag_groups_) {
      std::string condition =
          fmt::format("EXISTS (SELECT 1 FROM {} t WHERE {} AND t.key = ?", tables_.tag_table, tables_.tag_join);
      out.emplace_back(key);
      for (size_t i = 0; i < group.first.size(); ++i) {
        condition += " AND " + group.first[i];
        out.push_back(group.second[i]);
      }
      condition += ")";
      all.push_back(std::move(condition));
    }
    for (size_t i = 0; i < all.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + all[i];
  }

 private:
  const RegistryTables& tables_;
  Dialect dialect_;
  std::vector<std::string> conditions_;
  std::vector<SqlValue> bindings_;
  // key -> (conditions on t.value, their bindings); ordered for stable SQL text.
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<SqlValue>>> tag_groups_;
};

void add_registered_model_clause(const detail::SyntaxClause& syntax, WhereBuilder& where, Dialect dialect) {
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  if (is_tag_prefix(name.entity)) {
    where.add_tag(name.key, syntax.comparator, quoted_string_value(syntax.value, "tag (e.g. 'my-value')"));
    return;
  }
  if (!is_attribute_prefix(name.entity)) invalid_entity(*name.entity);
  if (name.key != "name") {
    throw invalid_parameter(fmt::format("Invalid attribute key '{}' specified. Valid keys are '{{'name'}}'", name.key));
  }
  const std::string value = quoted_string_value(syntax.value, "attributes");
  detail::require_comparator(syntax.comparator, detail::kStringComparators, "attribute 'name'");
  where.add(string_comparison("rm.name", syntax.comparator, dialect), {value});
}

void add_model_version_clause(const detail::SyntaxClause& syntax, WhereBuilder& where, Dialect dialect) {
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  if (is_tag_prefix(name.entity)) {
    where.add_tag(name.key, syntax.comparator, quoted_string_value(syntax.value, "tag (e.g. 'my-value')"));
    return;
  }
  if (!is_attribute_prefix(name.entity)) invalid_entity(*name.entity);
  const std::string& key = name.key;
  if (key == "version_number") {
    const Number number = detail::require_number(syntax.value, "numeric attribute: version_number");
    detail::require_comparator(syntax.comparator, detail::kNumericComparators, "attribute 'version_number'");
    int64_t version = 0;
    try {
      size_t used = 0;
      version = std::stoll(number.text, &used);
      if (used != number.text.size()) throw std::invalid_argument("not an integer");
    } catch (const std::exception&) {
      throw invalid_parameter(
          fmt::format("Expected an integer value for attribute 'version_number'. Got value {}", number.text));
    }
    where.add(numeric_comparison("mv.version", syntax.comparator), {version});
    return;
  }
  if (key == "run_id" && syntax.comparator == Comparator::kIn) {
    if (syntax.value.kind != SyntaxValue::Kind::kList) {
      throw invalid_parameter(
          fmt::format("Expected a list of quoted strings for IN. Got value {}", syntax.value.source));
    }
    // Run ids are lower-case hex; MLflow drops upper-case items so that a
    // case-insensitive database could not match them either.
    // On SQLite the list travels as one JSON array parameter, so its length
    // never meets SQLite's limit on bound parameters.
    std::vector<SqlValue> ids;
    for (const auto& item : syntax.value.items) {
      if (!has_upper_case(item)) ids.emplace_back(item);
    }
    detail::SqlFragment condition;
    detail::append_list_condition(condition, "mv.run_id", ids, false, false, dialect);
    where.add(std::move(condition.sql), std::move(condition.bindings));
    return;
  }
  const char* column = nullptr;
  if (key == "name") column = "mv.name";
  if (key == "run_id") column = "mv.run_id";
  if (key == "source_path") column = "mv.source";
  if (column == nullptr) {
    throw invalid_parameter(fmt::format(
        "Invalid attribute key '{}' specified. Valid keys are 'name', 'run_id', 'source_path', 'version_number'", key));
  }
  if (syntax.comparator == Comparator::kIn || syntax.comparator == Comparator::kNotIn) {
    throw invalid_parameter(fmt::format("Invalid comparator '{}' for attribute '{}'. Only 'run_id' supports IN.",
                                        comparator_name(syntax.comparator), key));
  }
  const std::string value = quoted_string_value(syntax.value, "attributes");
  detail::require_comparator(syntax.comparator, detail::kStringComparators, fmt::format("attribute '{}'", key));
  where.add(string_comparison(column, syntax.comparator, dialect), {value});
}

struct OrderTerm {
  std::string column;
  bool ascending = true;
  bool nullable = false;  // the time columns; names and version numbers never are NULL
};

// Parses one order_by element; `column_of` maps a key to its column or "".
template <typename ColumnOf>
OrderTerm parse_order_term(const std::string& text, ColumnOf column_of, const char* valid_keys) {
  const detail::SyntaxOrderBy syntax = detail::parse_order_by_syntax(text);
  const detail::EntityAndKey name = detail::split_identifier(syntax.identifier, syntax.identifier_source);
  if (!is_attribute_prefix(name.entity)) invalid_entity(*name.entity);
  const std::string column = column_of(name.key);
  if (column.empty()) {
    throw invalid_parameter(
        fmt::format("Invalid order by key '{}' specified. Valid keys are {}", name.key, valid_keys));
  }
  const bool nullable = column.size() > 5 && column.compare(column.size() - 5, 5, "_time") == 0;
  return OrderTerm{column, syntax.ascending, nullable};
}

std::string order_clause(const std::vector<OrderTerm>& terms, const std::vector<std::string>& order_by) {
  std::set<std::string> seen;
  std::string sql;
  for (const auto& term : terms) {
    if (!seen.insert(term.column).second) {
      std::string listed;
      for (const auto& item : order_by) listed += (listed.empty() ? "" : ", ") + fmt::format("'{}'", item);
      throw invalid_parameter(fmt::format("`order_by` contains duplicate fields: [{}]", listed));
    }
    sql += sql.empty() ? " ORDER BY " : ", ";
    // Times may be NULL (rows of old databases): they sort as SQLite sorts
    // them, the smallest, whatever the database.
    if (term.nullable) {
      sql += detail::nulls_smallest_order(term.column, term.ascending);
    } else {
      sql += term.column + (term.ascending ? " ASC" : " DESC");
    }
  }
  return sql;
}

void add_scope(const IdScope& models, const char* name_column, WhereBuilder& where, Dialect dialect) {
  detail::SqlFragment condition = detail::scope_condition(name_column, detail::ScopedColumn::kText, models, dialect);
  if (!condition.empty()) where.add(std::move(condition.sql), std::move(condition.bindings));
}

void append_page(const RegistryQuery& query, std::string& sql, std::vector<SqlValue>& bindings) {
  sql += " LIMIT ? OFFSET ?";
  bindings.emplace_back(query.limit);
  bindings.emplace_back(query.offset);
}

}  // namespace

SqlQuery compile_registered_model_query(const RegistryQuery& query, Dialect dialect) {
  detail::assert_valid_page(query.limit, query.offset);
  check_order_by_count(query.order_by.size());
  WhereBuilder where(kRegisteredModels, dialect);
  for (const auto& clause : detail::parse_filter_syntax(query.filter)) {
    add_registered_model_clause(clause, where, dialect);
  }

  std::vector<OrderTerm> terms;
  for (const auto& text : query.order_by) {
    terms.push_back(parse_order_term(
        text,
        [](const std::string& key) -> std::string {
          if (key == "name") return "rm.name";
          if (key == "timestamp" || key == "last_updated_timestamp") return "rm.last_updated_time";
          if (key == "creation_timestamp") return "rm.creation_time";
          return "";
        },
        "'name', 'creation_timestamp', 'last_updated_timestamp'"));
  }
  const bool has_name =
      std::any_of(terms.begin(), terms.end(), [](const OrderTerm& t) { return t.column == "rm.name"; });
  std::string order = order_clause(terms, query.order_by);
  if (!has_name) order += order.empty() ? " ORDER BY rm.name ASC" : ", rm.name ASC";

  add_scope(query.models, "rm.name", where, dialect);
  SqlQuery result;
  result.sql = "SELECT rm.name FROM registered_models rm";
  where.finish({}, result.sql, result.bindings);
  result.sql += order;
  append_page(query, result.sql, result.bindings);
  check_bound_value_count(result.bindings.size(), dialect);
  return result;
}

SqlQuery compile_model_version_query(const RegistryQuery& query, Dialect dialect) {
  detail::assert_valid_page(query.limit, query.offset);
  check_order_by_count(query.order_by.size());
  WhereBuilder where(kModelVersions, dialect);
  for (const auto& clause : detail::parse_filter_syntax(query.filter)) {
    add_model_version_clause(clause, where, dialect);
  }

  static const std::vector<std::string> kDefaultOrder{"last_updated_timestamp DESC", "name ASC", "version_number DESC"};
  const std::vector<std::string>& order_by = query.order_by.empty() ? kDefaultOrder : query.order_by;
  std::vector<OrderTerm> terms;
  for (const auto& text : order_by) {
    terms.push_back(parse_order_term(
        text,
        [](const std::string& key) -> std::string {
          if (key == "name") return "mv.name";
          if (key == "version_number") return "mv.version";
          if (key == "creation_timestamp") return "mv.creation_time";
          if (key == "last_updated_timestamp") return "mv.last_updated_time";
          return "";
        },
        "'name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'"));
  }
  const auto listed = [&](const char* column) {
    return std::any_of(terms.begin(), terms.end(), [&](const OrderTerm& t) { return t.column == column; });
  };
  const bool has_name = listed("mv.name");
  const bool has_version = listed("mv.version");
  std::string order = order_clause(terms, order_by);
  if (!has_name) order += ", mv.name ASC";
  if (!has_version) order += ", mv.version DESC";

  add_scope(query.models, "mv.name", where, dialect);
  SqlQuery result;
  result.sql = "SELECT mv.name, mv.version FROM model_versions mv";
  where.finish({"mv.current_stage != 'Deleted_Internal'"}, result.sql, result.bindings);
  result.sql += order;
  append_page(query, result.sql, result.bindings);
  check_bound_value_count(result.bindings.size(), dialect);
  return result;
}

}  // namespace mlflowcpp::server::search
