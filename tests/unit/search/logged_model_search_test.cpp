// The filter grammar, SQL and page tokens of SearchLoggedModels.

#include "server/search/logged_model_search.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

namespace mlflowcpp::server::search {
namespace {

std::string error_of(std::string_view filter) {
  try {
    parse_logged_model_filter(filter);
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    return error.what();
  }
  return "<no error>";
}

TEST(LoggedModelFilter, ParsesEntitiesAttributesAndValues) {
  const auto clauses = parse_logged_model_filter(
      "metrics.accuracy > 0.9 AND params.alpha = '0.1' and tags.`my tag` LIKE 'x%' AND name IN ('a', 'b') "
      "AND creation_time >= 5 AND status != 'LOGGED_MODEL_READY' AND params.lr = 0.01");
  ASSERT_EQ(clauses.size(), 7u);
  EXPECT_EQ(clauses[0].entity, LoggedModelEntity::kMetric);
  EXPECT_EQ(clauses[0].comparator, Comparator::kGt);
  EXPECT_EQ(std::get<Number>(clauses[0].value).value, 0.9);
  EXPECT_EQ(clauses[1].entity, LoggedModelEntity::kParam);
  EXPECT_EQ(std::get<std::string>(clauses[1].value), "0.1");
  EXPECT_EQ(clauses[2].key, "my tag");
  EXPECT_EQ(clauses[3].key, "name");
  EXPECT_EQ(std::get<std::vector<std::string>>(clauses[3].value), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(clauses[4].key, "creation_timestamp_ms");
  EXPECT_EQ(std::get<Number>(clauses[5].value).value, 2);
  EXPECT_EQ(std::get<std::string>(clauses[6].value), "0.01");
  EXPECT_TRUE(parse_logged_model_filter("  ").empty());
}

TEST(LoggedModelFilter, RefusesWhatMlflowRefusesWithItsMessages) {
  EXPECT_EQ(error_of("bogus.key = 'x'"),
            "Invalid entity type: 'bogus'. Expected one of ['attributes', 'metrics', 'params', 'tags'].");
  EXPECT_EQ(error_of("name = 'a' OR name = 'b'"),
            "Invalid filter string: \"name = 'a' OR name = 'b'\". Expected a list of comparisons separated by "
            "'AND' (e.g. 'metrics.loss > 0.1 AND params.lr = 0.01').");
  EXPECT_EQ(error_of("metrics.loss LIKE 'x'"),
            "Invalid comparison operator for metrics.loss: 'LIKE'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', "
            "'IN', 'NOT IN').");
  EXPECT_EQ(error_of("params.a > 'x'"),
            "Invalid comparison operator for params.a: '>'. Expected one of ('=', '!=', 'LIKE', 'ILIKE', 'IN', "
            "'NOT IN').");
  // The official server fails with a 500 on these; here they are 400s.
  EXPECT_NE(error_of("metrics.loss > 'abc'"), "<no error>");
  EXPECT_NE(error_of("no_such_attribute = 'x'"), "<no error>");
  EXPECT_NE(error_of("status = 'SOMETHING'"), "<no error>");
  EXPECT_NE(error_of("name = 'a' AND"), "<no error>");
  EXPECT_NE(error_of("name IN 'a'"), "<no error>");
}

TEST(LoggedModelQuery, BindsEveryValueAndOrdersNewestFirstByDefault) {
  LoggedModelQuery query;
  query.experiment_ids = {"1", "x"};
  query.filter = parse_logged_model_filter("params.p = 'v' AND metrics.m < 1");
  query.datasets = {{"eval", std::string("d")}};
  const SqlQuery sql = compile_logged_model_query(query, Dialect::kSqlite);
  EXPECT_EQ(sql.sql.find("'v'"), std::string::npos);
  EXPECT_NE(sql.sql.find("lm.lifecycle_stage = 'active'"), std::string::npos);
  EXPECT_NE(sql.sql.find("ORDER BY lm.creation_timestamp_ms DESC, lm.model_id ASC"), std::string::npos) << sql.sql;
  EXPECT_EQ(sql.bindings.size(), 1u + 2u + 2u + 2u + 2u);  // id, param, metric, its dataset, limit/offset
}

TEST(LoggedModelQuery, RefusesOrderByOtherThanAttributesAndMetrics) {
  LoggedModelQuery query;
  query.experiment_ids = {"1"};
  query.order_by = {{"params.alpha", true, std::nullopt, std::nullopt}};
  try {
    compile_logged_model_query(query, Dialect::kPostgres);
    ADD_FAILURE() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(std::string(error.what()), "Invalid order by field name: params.alpha. Only metrics are supported.");
  }
}

// The token the official server gave for page 2 of the recorded search
// {"experiment_ids": ["1", "2"], "max_results": 2, "order_by": [{"field_name": "name"}]}.
constexpr const char* kRecordedToken =
    "eyJleHBlcmltZW50X2lkcyI6IFsiMSIsICIyIl0sICJmaWx0ZXJfc3RyaW5nIjogbnVsbCwgIm9yZGVyX2J5IjogW3siZmllbGRfbmFtZSI6ICJ"
    "uYW1lIiwgImFzY2VuZGluZyI6IHRydWUsICJkYXRhc2V0X25hbWUiOiBudWxsLCAiZGF0YXNldF9kaWdlc3QiOiBudWxsfV0sICJvZmZzZXQiOi"
    "AyfQ==";

TEST(LoggedModelPageToken, MatchesTheOfficialServerByteForByte) {
  const LoggedModelSearchShape shape{{"1", "2"}, "", {{"name", true, std::nullopt, std::nullopt}}};
  EXPECT_EQ(encode_logged_model_page_token(shape, 2), kRecordedToken);
  EXPECT_EQ(decode_logged_model_page_token(kRecordedToken, shape), 2);
  EXPECT_EQ(decode_logged_model_page_token("", shape), 0);
}

TEST(LoggedModelPageToken, IsOnlyGoodForTheSearchThatMadeIt) {
  const LoggedModelSearchShape shape{{"1", "2"}, "", {{"name", true, std::nullopt, std::nullopt}}};
  const auto refused = [](std::string_view token, const LoggedModelSearchShape& search) {
    try {
      decode_logged_model_page_token(token, search);
    } catch (const MlflowException& error) {
      return error.error_code() == "INVALID_PARAMETER_VALUE";
    }
    return false;
  };
  EXPECT_TRUE(refused(kRecordedToken, {{"1"}, "", shape.order_by}));
  EXPECT_TRUE(refused(kRecordedToken, {{"1", "2"}, "name = 'a'", shape.order_by}));
  EXPECT_TRUE(refused(kRecordedToken, {{"1", "2"}, "", {{"name", false, std::nullopt, std::nullopt}}}));
  EXPECT_TRUE(refused("%%%", shape));
  EXPECT_TRUE(refused("bm90IGpzb24=", shape));  // "not json"
  const LoggedModelSearchShape other{{"7"}, "tags.a = 'é'", {}};
  EXPECT_EQ(decode_logged_model_page_token(encode_logged_model_page_token(other, 40), other), 40);
}

}  // namespace
}  // namespace mlflowcpp::server::search
