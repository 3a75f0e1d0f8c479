// RequestMessage: typed reading of query strings and JSON bodies.

#include "server/http/json_body.hpp"
#include "server/http/request_message.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <cmath>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

RequestMessage query(std::initializer_list<std::pair<const std::string, std::string>> params) {
  return RequestMessage::from_query(RequestMessage::QueryParams(params));
}

TEST(QueryMessage, BooleansAreTrueOrFalseInAnyCase) {
  EXPECT_EQ(query({{"flag", "true"}}).optional_bool("flag"), true);
  EXPECT_EQ(query({{"flag", "FALSE"}}).optional_bool("flag"), false);
  EXPECT_EQ(query({{"flag", "True"}}).optional_bool("flag"), true);
  EXPECT_FALSE(query({}).optional_bool("flag").has_value());
  EXPECT_INVALID(query({{"flag", "1"}}).optional_bool("flag"));
  EXPECT_INVALID(query({{"flag", "yes"}}).optional_bool("flag"));
}

TEST(QueryMessage, RepeatedKeysAreLists) {
  auto message = query({{"run_ids", "a"}, {"run_ids", "b"}, {"metric_key", "m"}});
  EXPECT_EQ(message.string_list("run_ids"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(message.string_list("metric_key"), (std::vector<std::string>{"m"}));
  EXPECT_TRUE(message.string_list("absent").empty());
}

TEST(QueryMessage, NumbersAndRequiredFields) {
  auto message = query({{"max_results", "25"}, {"value", "NaN"}, {"bad", "1x"}});
  EXPECT_EQ(message.optional_int64("max_results"), 25);
  EXPECT_TRUE(std::isnan(*message.optional_double("value")));
  EXPECT_INVALID(message.optional_int64("bad"));
  EXPECT_INVALID(message.optional_double("bad"));
  // Query-string requests do not enforce required fields.
  EXPECT_FALSE(message.enforces_required());
  EXPECT_EQ(message.required_string("missing"), "");
  EXPECT_EQ(message.run_id(), "");
}

TEST(JsonMessage, TypesAndRequiredFields) {
  auto message = RequestMessage::from_json(
      Json{{"name", "n"}, {"big", "9223372036854775807"}, {"num", 3}, {"inf", "Infinity"}, {"flag", true},
           {"null_field", nullptr}, {"status", 3}, {"ids", Json::array({"1", "2"})}});
  EXPECT_TRUE(message.enforces_required());
  EXPECT_EQ(message.required_string("name"), "n");
  EXPECT_INVALID(message.required_string("missing"));
  EXPECT_INVALID(message.required_string("null_field"));
  EXPECT_INVALID(message.optional_string("num"));
  EXPECT_EQ(message.optional_int64("big"), INT64_MAX);
  EXPECT_EQ(message.optional_int64("num"), 3);
  EXPECT_INVALID(message.optional_int64("flag"));
  EXPECT_TRUE(std::isinf(*message.optional_double("inf")));
  EXPECT_EQ(message.optional_bool("flag"), true);
  EXPECT_EQ(message.enum_text("status"), "3");
  EXPECT_EQ(message.string_list("ids").size(), 2u);
  EXPECT_INVALID(message.string_list("name"));
  EXPECT_INVALID(message.message_list("ids"));
}

TEST(JsonMessage, RunUuidStandsInForRunId) {
  EXPECT_EQ(RequestMessage::from_json(Json{{"run_uuid", "abc"}}).run_id(), "abc");
  EXPECT_EQ(RequestMessage::from_json(Json{{"run_id", "x"}, {"run_uuid", "y"}}).run_id(), "x");
  EXPECT_INVALID(RequestMessage::from_json(Json::object()).run_id());
}

TEST(JsonBody, LenientParsing) {
  EXPECT_EQ(parse_json_body(""), Json::object());
  EXPECT_EQ(parse_json_body("{oops"), Json::object());
  EXPECT_EQ(parse_json_body("[1]"), Json::object());
  EXPECT_EQ(parse_json_body(R"({"a": 1})"), (Json{{"a", 1}}));
  EXPECT_EQ(parse_json_body(R"("{\"a\": 1}")"), (Json{{"a", 1}}));
  EXPECT_EQ(parse_json_body(std::string(1000, '[') + std::string(1000, ']')), Json::object());
  EXPECT_TRUE(exceeds_json_depth(std::string(65, '{'), 64));
  EXPECT_FALSE(exceeds_json_depth(R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", 64));
}

}  // namespace
}  // namespace mlflowcpp::server::http
