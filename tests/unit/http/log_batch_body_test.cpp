// read_log_batch_body: the regular runs/log-batch body read without a JSON
// document, and every other body left to the general reader (nullopt).

#include "server/http/log_batch_body.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

TEST(LogBatchBody, ReadsMetricsParamsAndTags) {
  const auto body = read_log_batch_body(
      R"({"run_id":"r1","metrics":[{"key":"loss","value":0.5,"timestamp":1700000000000,"step":3},)"
      R"({"key":"acc","value":2,"timestamp":5},{"key":"big","value":18446744073709551615,"timestamp":0,"step":-1}],)"
      R"("params":[{"key":"lr","value":"0.1"},{"key":"empty"}],"tags":[{"key":"t","value":"x\"y\u00e9"}]})");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->run_id, "r1");
  ASSERT_EQ(body->metrics.size(), 3u);
  EXPECT_EQ(body->metrics[0].key, "loss");
  EXPECT_EQ(body->metrics[0].value, 0.5);
  EXPECT_EQ(body->metrics[0].timestamp, 1700000000000);
  EXPECT_EQ(body->metrics[0].step, 3);
  EXPECT_EQ(body->metrics[1].value, 2.0);
  EXPECT_EQ(body->metrics[1].step, 0);  // absent: 0
  EXPECT_EQ(body->metrics[2].value, 18446744073709551615.0);
  EXPECT_EQ(body->metrics[2].step, -1);
  ASSERT_EQ(body->params.size(), 2u);
  EXPECT_EQ(body->params[0].key, "lr");
  EXPECT_EQ(body->params[0].value, "0.1");
  EXPECT_EQ(body->params[1].value, "");  // absent: ""
  ASSERT_EQ(body->tags.size(), 1u);
  EXPECT_EQ(body->tags[0].value, "x\"y\xc3\xa9");
}

TEST(LogBatchBody, ModelFieldsAndSpecialValues) {
  const auto body =
      read_log_batch_body(R"({"metrics":[{"key":"m","value":"NaN","timestamp":1,"model_id":"m-1","dataset_name":"d",)"
                          R"("dataset_digest":"abc"},{"key":"m","value":"-Infinity","timestamp":2}],"run_id":"r"})");
  ASSERT_TRUE(body.has_value());
  ASSERT_EQ(body->metrics.size(), 2u);
  EXPECT_TRUE(std::isnan(body->metrics[0].value));
  EXPECT_EQ(body->metrics[0].model_id, "m-1");
  EXPECT_EQ(body->metrics[0].dataset_name, "d");
  EXPECT_EQ(body->metrics[0].dataset_digest, "abc");
  EXPECT_EQ(body->metrics[1].value, -INFINITY);
}

TEST(LogBatchBody, LegacyRunUuid) {
  auto body = read_log_batch_body(R"({"run_uuid":"legacy","metrics":[]})");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->run_id, "legacy");
  body = read_log_batch_body(R"({"run_id":"","run_uuid":"legacy"})");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->run_id, "legacy");
  body = read_log_batch_body(R"({"run_id":"new","run_uuid":"legacy"})");
  ASSERT_TRUE(body.has_value());
  EXPECT_EQ(body->run_id, "new");
}

// Each of these gets its answer (an error, or a quirk of MLflow's reading) from the general reader.
TEST(LogBatchBody, LeavesEveryOtherBodyToTheGeneralReader) {
  const std::vector<std::string> bodies = {
      "",
      "not json",
      "[]",
      R"("{\"run_id\":\"r\"}")",  // double-encoded
      R"({"run_id":"r"} trailing)",
      R"({})",  // no run id
      R"({"run_id":""})",
      R"({"run_id":5})",
      R"({"run_id":null})",
      R"({"run_id":"r","run_id":"s"})",  // repeated field
      R"({"run_id":"r","extra":1})",     // unknown field
      R"({"run_id":"r","metrics":{}})",
      R"({"run_id":"r","metrics":null})",
      R"({"run_id":"r","metrics":["m"]})",
      R"({"run_id":"r","metrics":[[]]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1}]})",      // no timestamp
      R"({"run_id":"r","metrics":[{"key":"m","timestamp":1}]})",  // no value
      R"({"run_id":"r","metrics":[{"value":1,"timestamp":1}]})",  // no key
      R"({"run_id":"r","metrics":[{"key":"","value":1,"timestamp":1}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":true,"timestamp":1}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":"abc","timestamp":1}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1.5}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1.0}]})",  // integral float: general reader
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":"1"}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":9223372036854775808}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1,"step":null}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1,"key":"n"}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1,"other":1}]})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1,"model_id":{}}]})",
      R"({"run_id":"r","params":[{"key":"p","value":1}]})",
      R"({"run_id":"r","params":[{"value":"v"}]})",
      R"({"run_id":"r","params":[{"key":"p","value":"v","timestamp":1}]})",
      R"({"run_id":"r","tags":[{"key":"t","value":null}]})",
      R"({"run_id":"r","tags":"t"})",
      R"({"run_id":"r","metrics":[{"key":"m","value":1,"timestamp":1})",  // truncated
  };
  for (const std::string& text : bodies) {
    EXPECT_FALSE(read_log_batch_body(text).has_value()) << text;
  }
}

}  // namespace
}  // namespace mlflowcpp::server::http
