#include "client/sync/metric_diff.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mlflowcpp::client::sync {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Metric point(double value, int64_t timestamp, int64_t step, const std::string& key = "loss") {
  return Metric(key, value, timestamp, step);
}

TEST(SyncMetricDiff, AnEmptyTargetLacksEverythingInTheSourcesOrder) {
  std::vector<Metric> source{point(3, 30, 2), point(1, 10, 0), point(2, 20, 1)};
  auto missing = missing_points(source, {});
  ASSERT_EQ(missing.size(), 3u);
  EXPECT_EQ(missing[0].value, 3);
  EXPECT_EQ(missing[2].value, 2);
}

TEST(SyncMetricDiff, OnlyThePointsTheTargetLacksAreSentInTheSourcesOrder) {
  std::vector<Metric> source{point(5, 50, 5), point(1, 10, 1), point(2, 20, 2), point(4, 40, 4)};
  std::vector<Metric> target{point(2, 20, 2), point(1, 10, 1)};
  auto missing = missing_points(source, target);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].step, 5);
  EXPECT_EQ(missing[1].step, 4);
}

TEST(SyncMetricDiff, EveryFieldTellsPointsApart) {
  std::vector<Metric> source{point(1, 10, 1), point(1, 11, 1), point(1, 10, 2), point(2, 10, 1),
                             point(1, 10, 1, "acc")};
  std::vector<Metric> target{point(1, 10, 1)};
  EXPECT_EQ(missing_points(source, target).size(), 4u);
}

TEST(SyncMetricDiff, PointsCountAsAMultiset) {
  std::vector<Metric> source{point(1, 10, 1), point(1, 10, 1), point(1, 10, 1)};
  std::vector<Metric> target{point(1, 10, 1)};
  EXPECT_EQ(missing_points(source, target).size(), 2u);
  EXPECT_TRUE(missing_points(source, source).empty());
}

TEST(SyncMetricDiff, NanEqualsNanAndInfinitiesKeepTheirSign) {
  std::vector<Metric> source{point(kNaN, 10, 1), point(kInf, 10, 1), point(-kInf, 10, 1), point(kNaN, 20, 2)};
  std::vector<Metric> target{point(-kInf, 10, 1), point(kNaN, 10, 1)};
  auto missing = missing_points(source, target);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].value, kInf);
  EXPECT_TRUE(std::isnan(missing[1].value));
  EXPECT_EQ(missing[1].step, 2);
}

TEST(SyncMetricDiff, NanDoesNotMatchANumber) {
  std::vector<Metric> source{point(kNaN, 10, 1)};
  std::vector<Metric> target{point(0, 10, 1)};
  EXPECT_EQ(missing_points(source, target).size(), 1u);
  EXPECT_EQ(missing_points(target, source).size(), 1u);
}

TEST(SyncMetricDiff, TargetPointsTheSourceLacksAreIgnored) {
  std::vector<Metric> source{point(1, 10, 1)};
  std::vector<Metric> target{point(9, 90, 9), point(1, 10, 1), point(8, 80, 8)};
  EXPECT_TRUE(missing_points(source, target).empty());
}

TEST(SyncMetricDiff, AHalfCopiedLargeHistoryGetsItsSecondHalf) {
  std::vector<Metric> source, target;
  for (int i = 0; i < 20000; ++i) {
    source.push_back(point(i % 7 == 0 ? kNaN : i * 0.5, 1000 + i, i));
    if (i % 2 == 0) target.push_back(source.back());
  }
  auto missing = missing_points(source, target);
  ASSERT_EQ(missing.size(), 10000u);
  for (std::size_t i = 0; i < missing.size(); ++i) EXPECT_EQ(missing[i].step % 2, 1) << i;
}

}  // namespace
}  // namespace mlflowcpp::client::sync
