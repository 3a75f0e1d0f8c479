// The search limits (search_limits.hpp) for every search: at each limit a
// search compiles; one beyond it is INVALID_PARAMETER_VALUE naming the limit.

#include "server/search/logged_model_search.hpp"
#include "server/search/registry_search.hpp"
#include "server/search/search.hpp"
#include "server/search/search_limits.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace mlflowcpp::server::search {
namespace {

// `count` clauses "<key> = 'v'" joined with AND.
std::string anded(const std::string& key, std::size_t count) {
  std::string filter;
  for (std::size_t i = 0; i < count; ++i) filter += (i == 0 ? "" : " AND ") + key + " = 'v'";
  return filter;
}

// "<key> IN ('0', '1', ...)" with `count` values.
std::string in_list(const std::string& key, std::size_t count) {
  std::string filter = key + " IN (";
  for (std::size_t i = 0; i < count; ++i) filter += (i == 0 ? "'" : ", '") + std::to_string(i) + "'";
  return filter + ")";
}

void expect_limit_message(const std::function<void()>& call, const std::string& limit) {
  try {
    call();
    ADD_FAILURE() << "expected the limit of " << limit;
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_NE(std::string(error.what()).find("exceeds the limit of " + limit), std::string::npos) << error.what();
  }
}

TEST(SearchLimits, RunFilters) {
  for (const Dialect dialect : {Dialect::kSqlite, Dialect::kPostgres}) {
    RunQuery query;
    query.experiment_ids = {"0"};
    query.filter = parse_run_filter(anded("params.p", kMaxFilterClauses));
    EXPECT_NO_THROW(compile_run_query(query, dialect));
    expect_limit_message([] { parse_run_filter(anded("params.p", kMaxFilterClauses + 1)); },
                         std::to_string(kMaxFilterClauses));
    // A filter built without the parser is held to the same limit.
    query.filter.clauses.push_back(query.filter.clauses.front());
    EXPECT_INVALID(compile_run_query(query, dialect));
  }
  EXPECT_NO_THROW(parse_run_filter(in_list("attributes.run_id", kMaxInListValues)));
  expect_limit_message([] { parse_run_filter(in_list("attributes.run_id", kMaxInListValues + 1)); },
                       std::to_string(kMaxInListValues));
  expect_limit_message([] { parse_run_filter("params.p = '" + std::string(kMaxFilterLength, 'x') + "'"); },
                       std::to_string(kMaxFilterLength));
}

TEST(SearchLimits, RunOrderByAndBoundValues) {
  RunQuery query;
  query.experiment_ids = {"0"};
  for (std::size_t i = 0; i < kMaxOrderByKeys; ++i) query.order_by.push_back({Entity::kMetric, "m" + std::to_string(i)});
  EXPECT_NO_THROW(compile_run_query(query, Dialect::kSqlite));
  query.order_by.push_back({Entity::kMetric, "one-more"});
  expect_limit_message([&] { compile_run_query(query, Dialect::kSqlite); }, std::to_string(kMaxOrderByKeys));

  // Many IN lists together: each within its limit, the query beyond the bound values'.
  RunQuery wide;
  wide.experiment_ids = {"0"};
  for (int i = 0; i < 11; ++i) {
    const Filter part = parse_run_filter(in_list("attributes.run_id", kMaxInListValues));
    wide.filter.clauses.push_back(part.clauses.front());
  }
  expect_limit_message([&] { compile_run_query(wide, Dialect::kPostgres); }, std::to_string(kMaxBoundValues));
  RunQuery many_ids;
  many_ids.experiment_ids.assign(kMaxBoundValues, "1");
  EXPECT_INVALID(compile_run_query(many_ids, Dialect::kSqlite));
}

TEST(SearchLimits, ExperimentSearches) {
  ExperimentQuery query;
  query.filter = parse_experiment_filter(anded("tags.t", kMaxFilterClauses));
  EXPECT_NO_THROW(compile_experiment_query(query, Dialect::kSqlite));
  expect_limit_message([] { parse_experiment_filter(anded("tags.t", kMaxFilterClauses + 1)); },
                       std::to_string(kMaxFilterClauses));
  expect_limit_message([] { parse_experiment_filter(std::string(kMaxFilterLength + 1, ' ')); },
                       std::to_string(kMaxFilterLength));
}

TEST(SearchLimits, RegistrySearches) {
  RegistryQuery query;
  query.filter = anded("tags.t", kMaxFilterClauses);
  EXPECT_NO_THROW(compile_registered_model_query(query, Dialect::kSqlite));
  EXPECT_NO_THROW(compile_model_version_query(query, Dialect::kPostgres));
  query.filter = anded("tags.t", kMaxFilterClauses + 1);
  EXPECT_INVALID(compile_registered_model_query(query, Dialect::kSqlite));
  EXPECT_INVALID(compile_model_version_query(query, Dialect::kPostgres));
  query.filter = in_list("run_id", kMaxInListValues + 1);
  EXPECT_INVALID(compile_model_version_query(query, Dialect::kSqlite));
  query.filter = "";
  query.order_by.assign(kMaxOrderByKeys + 1, "name");
  expect_limit_message([&] { compile_registered_model_query(query, Dialect::kSqlite); },
                       std::to_string(kMaxOrderByKeys));
}

TEST(SearchLimits, LoggedModelSearches) {
  LoggedModelQuery query;
  query.experiment_ids = {"0"};
  query.filter = parse_logged_model_filter(anded("params.p", kMaxFilterClauses));
  EXPECT_NO_THROW(compile_logged_model_query(query, Dialect::kSqlite));
  expect_limit_message([] { parse_logged_model_filter(anded("params.p", kMaxFilterClauses + 1)); },
                       std::to_string(kMaxFilterClauses));
  expect_limit_message([] { parse_logged_model_filter(std::string(kMaxFilterLength + 1, ' ')); },
                       std::to_string(kMaxFilterLength));
  query.filter.clear();
  query.order_by.resize(kMaxOrderByKeys + 1);
  EXPECT_INVALID(compile_logged_model_query(query, Dialect::kSqlite));
}

}  // namespace
}  // namespace mlflowcpp::server::search
