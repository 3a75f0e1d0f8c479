#include "client/log_batch_planner.hpp"

#include <gtest/gtest.h>

namespace mlflowcpp::client {
namespace {

std::vector<Metric> metrics(std::size_t count) {
  std::vector<Metric> items;
  for (std::size_t i = 0; i < count; ++i) items.push_back({"m" + std::to_string(i), double(i), 1, int64_t(i)});
  return items;
}
std::vector<Param> params(std::size_t count, std::size_t value_size = 1) {
  std::vector<Param> items;
  for (std::size_t i = 0; i < count; ++i) items.push_back({"p" + std::to_string(i), std::string(value_size, 'v')});
  return items;
}
std::vector<RunTag> tags(std::size_t count, std::size_t value_size = 1) {
  std::vector<RunTag> items;
  for (std::size_t i = 0; i < count; ++i) items.push_back({"t" + std::to_string(i), std::string(value_size, 'v')});
  return items;
}

// Every limit holds in every chunk, and the chunks together are the input, in order.
void check_plan(const std::vector<LogBatchChunk>& chunks, const std::vector<Metric>& m, const std::vector<Param>& p,
                const std::vector<RunTag>& t, const LogBatchLimits& limits = {}) {
  std::vector<std::string> metric_keys, param_keys, tag_keys;
  for (const auto& chunk : chunks) {
    EXPECT_LE(chunk.metrics.size(), limits.max_metrics);
    EXPECT_LE(chunk.params.size(), limits.max_params);
    EXPECT_LE(chunk.tags.size(), limits.max_tags);
    EXPECT_LE(chunk.metrics.size() + chunk.params.size() + chunk.tags.size(), limits.max_items);
    EXPECT_GT(chunk.metrics.size() + chunk.params.size() + chunk.tags.size(), 0u);
    std::size_t bytes = 0;
    for (const auto& item : chunk.metrics) bytes += json_size_bound(item), metric_keys.push_back(item.key);
    for (const auto& item : chunk.params) bytes += json_size_bound(item), param_keys.push_back(item.key);
    for (const auto& item : chunk.tags) bytes += json_size_bound(item), tag_keys.push_back(item.key);
    EXPECT_LE(bytes, limits.max_body_bytes);
  }
  ASSERT_EQ(metric_keys.size(), m.size());
  ASSERT_EQ(param_keys.size(), p.size());
  ASSERT_EQ(tag_keys.size(), t.size());
  for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(metric_keys[i], m[i].key);
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_EQ(param_keys[i], p[i].key);
  for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(tag_keys[i], t[i].key);
}

TEST(LogBatchPlanner, NothingToSendMeansNoRequest) { EXPECT_TRUE(plan_log_batch({}, {}, {}).empty()); }

TEST(LogBatchPlanner, SmallInputIsOneRequest) {
  auto chunks = plan_log_batch(metrics(10), params(5), tags(5));
  ASSERT_EQ(chunks.size(), 1u);
  check_plan(chunks, metrics(10), params(5), tags(5));
}

TEST(LogBatchPlanner, ExactlyAtTheLimitsIsOneRequest) {
  auto chunks = plan_log_batch(metrics(1000), {}, {});
  EXPECT_EQ(chunks.size(), 1u);
  chunks = plan_log_batch(metrics(800), params(100), tags(100));
  EXPECT_EQ(chunks.size(), 1u);
  check_plan(chunks, metrics(800), params(100), tags(100));
}

TEST(LogBatchPlanner, EveryLimitHoldsAtOnce) {
  auto m = metrics(2501);
  auto p = params(250);
  auto t = tags(201);
  auto chunks = plan_log_batch(m, p, t);
  check_plan(chunks, m, p, t);
  // 2952 items, at most 1000 per request: no fewer than 3 requests; params need 3 anyway.
  EXPECT_GE(chunks.size(), 3u);
  EXPECT_LE(chunks.size(), 4u);
  // The first request is full: 100 params, 100 tags, 800 metrics.
  EXPECT_EQ(chunks[0].params.size(), 100u);
  EXPECT_EQ(chunks[0].tags.size(), 100u);
  EXPECT_EQ(chunks[0].metrics.size(), 800u);
}

TEST(LogBatchPlanner, MetricsAloneSplitAtAThousand) {
  auto m = metrics(3500);
  auto chunks = plan_log_batch(m, {}, {});
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_EQ(chunks[0].metrics.size(), 1000u);
  EXPECT_EQ(chunks[3].metrics.size(), 500u);
  check_plan(chunks, m, {}, {});
}

TEST(LogBatchPlanner, LargeValuesSplitByBodySize) {
  // 100 params of 6000 characters and 100 tags of 5000: 1.1 MB, over the body cap.
  auto p = params(100, 6000);
  auto t = tags(100, 5000);
  auto chunks = plan_log_batch({}, p, t);
  EXPECT_GE(chunks.size(), 2u);
  check_plan(chunks, {}, p, t);
}

TEST(LogBatchPlanner, EscapingIsCountedInTheBodySize) {
  Param quoted{"k", std::string(1000, '"')};
  EXPECT_GE(json_size_bound(quoted), 2000u);
  Param control{"k", std::string(100, '\x01')};
  EXPECT_GE(json_size_bound(control), 600u);
}

TEST(LogBatchPlanner, HonoursCustomLimits) {
  LogBatchLimits limits;
  limits.max_metrics = 3;
  limits.max_params = 2;
  limits.max_tags = 1;
  limits.max_items = 4;
  auto m = metrics(7);
  auto p = params(3);
  auto t = tags(2);
  auto chunks = plan_log_batch(m, p, t, limits);
  check_plan(chunks, m, p, t, limits);
}

}  // namespace
}  // namespace mlflowcpp::client
