// The streamed get-history answer and its number writer, against the serializer they replace.

#include "protocol/json_numbers.hpp"
#include "protocol/metric_history_json.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace mlflowcpp::protocol {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// The text the answers had before the numbers were written by hand: fmt's shortest form, ".0" added to whole
// numbers, the special values through the DOM.
std::string reference_double(double value) {
  if (std::isnan(value) || std::isinf(value)) return dump(double_to_json(value));
  std::string out = fmt::format("{}", value);
  if (out.find_first_of(".e") == std::string::npos) out += ".0";
  return out;
}

std::string written_double(double value) {
  char buffer[kMaxJsonNumberChars];
  return std::string(buffer, write_json_double(buffer, value));
}

// The get-history answer as it was written before: the list through metrics_response's former point writer, then
// the page token appended to the object.
std::string reference_answer(const std::string& key, const std::vector<Metric>& points, const std::string& token) {
  std::string text;
  if (!points.empty()) {
    text = "{\"metrics\":[";
    for (std::size_t i = 0; i < points.size(); ++i) {
      if (i > 0) text += ',';
      text += "{\"key\":" + dump(Json(key)) + ",\"value\":" + reference_double(points[i].value);
      fmt::format_to(std::back_inserter(text), ",\"timestamp\":{},\"step\":{}}}", points[i].timestamp, points[i].step);
    }
    text += "]}";
  } else {
    text = "{}";
  }
  if (token.empty()) return text;
  text.pop_back();
  if (text.size() > 1) text += ',';
  return text + "\"next_page_token\":" + dump(Json(token)) + "}";
}

std::string streamed_answer(const std::string& key, const std::vector<Metric>& points, const std::string& token) {
  MetricHistoryJson answer(key);
  for (const Metric& point : points) answer.add(point.value, point.timestamp, point.step);
  return answer.finish(token).text;
}

TEST(JsonNumbers, DoublesAsBeforeOnEdgeValues) {
  const double values[] = {0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 10.0, 100.0, 1e-4, 1.5e-4, 9.999e-5, 1e-5, 1e15,
                           1e16, 9999999999999998.0, 1234567890123456.7, 123456789012345680.0, 1e21, 1e22, 1e100,
                           1e-100, 1e300, 1.7976931348623157e308, -1.7976931348623157e308, 2.2250738585072014e-308,
                           4.9406564584124654e-324, 5e-324, 0.3333333333333333, 2.0 / 3.0, 1.0 / 7.0, 123.456,
                           -0.001, 1e-3, 3.14159e7, 4503599627370496.0, 9007199254740993.0, kNaN, kInfinity,
                           -kInfinity};
  for (double value : values) EXPECT_EQ(written_double(value), reference_double(value)) << value;
  EXPECT_EQ(written_double(1.0), "1.0");
  EXPECT_EQ(written_double(1e16), "1e+16");
  EXPECT_EQ(written_double(1e-5), "1e-05");
  EXPECT_EQ(written_double(kNaN), "\"NaN\"");
  EXPECT_EQ(written_double(-kInfinity), "\"-Infinity\"");
}

TEST(JsonNumbers, DoublesAsBeforeOnRandomValues) {
  std::mt19937_64 random(20261207);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::uniform_int_distribution<int> decimals(0, 17);
  std::uniform_int_distribution<int> exponent(-30, 30);
  for (int i = 0; i < 1000000; ++i) {
    double value = 0;
    switch (i % 4) {
      case 0: {  // any bit pattern: every magnitude, subnormals, NaN payloads
        const std::uint64_t bits = random();
        std::memcpy(&value, &bits, sizeof value);
        break;
      }
      case 1:  // what training loops log: values in [0, 1) and around
        value = unit(random) * std::pow(10.0, exponent(random) / 3);
        break;
      case 2:  // short decimals, whose shortest form has few digits
        value = std::round(unit(random) * 1e6) / std::pow(10.0, decimals(random));
        break;
      default:  // integers, large and small, of either sign
        value = static_cast<double>(static_cast<std::int64_t>(random()) >> (i % 64));
        break;
    }
    const std::string written = written_double(value);
    const std::string expected = reference_double(value);
    if (written != expected) {
      ADD_FAILURE() << "bits " << std::hex << random() << ": " << written << " != " << expected;
      break;
    }
  }
}

TEST(JsonNumbers, Int64AtTheLimits) {
  for (std::int64_t value : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1700000000000},
                             std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()}) {
    char buffer[kMaxJsonNumberChars];
    EXPECT_EQ(std::string(buffer, write_json_int64(buffer, value)), std::to_string(value));
  }
}

std::vector<Metric> awkward_history(const std::string& key) {
  const double values[] = {kNaN, kInfinity, -kInfinity, 1.7976931348623157e308, -1.7976931348623157e308, 5e-324,
                           1e-05, 1e16, 0.0, -0.0, 1.0, 0.1, 2.0 / 3.0, -42.0, 123456789.125};
  std::vector<Metric> points;
  std::int64_t step = -7;  // negative steps; several points share a timestamp
  for (double value : values) {
    Metric point;
    point.key = key;
    point.value = value;
    point.timestamp = 1700000000000 + (step / 3);
    point.step = step;
    points.push_back(point);
    step += 1;
  }
  Metric extreme;
  extreme.key = key;
  extreme.value = 3.5;
  extreme.timestamp = std::numeric_limits<std::int64_t>::max();
  extreme.step = std::numeric_limits<std::int64_t>::min();
  points.push_back(extreme);
  return points;
}

TEST(MetricHistoryJson, SameBytesAsThePreviousAnswer) {
  for (const std::string key : {"loss", "val/acc \"quoted\" \xc3\xa9 \\ \t", "k"}) {
    const auto points = awkward_history(key);
    EXPECT_EQ(streamed_answer(key, points, ""), reference_answer(key, points, ""));
    EXPECT_EQ(streamed_answer(key, points, ""), metrics_response(points).text);
    // Paging: each page as the store cuts it, with its token.
    for (std::size_t size : {std::size_t{1}, std::size_t{4}, points.size()}) {
      for (std::size_t start = 0; start < points.size(); start += size) {
        const std::vector<Metric> page(points.begin() + start,
                                       points.begin() + std::min(points.size(), start + size));
        const std::string token = start + size < points.size() ? "eyJvZmZzZXQiOiA0fQ==" : "";
        EXPECT_EQ(streamed_answer(key, page, token), reference_answer(key, page, token)) << start << "/" << size;
      }
    }
  }
}

TEST(MetricHistoryJson, EmptyAnswers) {
  EXPECT_EQ(streamed_answer("loss", {}, ""), "{}");
  EXPECT_EQ(streamed_answer("loss", {}, "abc"), reference_answer("loss", {}, "abc"));
  EXPECT_EQ(streamed_answer("loss", {}, "abc"), R"({"next_page_token":"abc"})");
}

TEST(MetricHistoryJson, ClearStartsOverAndFinishLeavesItEmpty) {
  MetricHistoryJson answer("m");
  answer.add(1.0, 1, 1);
  answer.clear();
  EXPECT_EQ(answer.points(), 0u);
  answer.add(2.0, 2, 2);
  EXPECT_EQ(answer.finish("").text, R"({"metrics":[{"key":"m","value":2.0,"timestamp":2,"step":2}]})");
  EXPECT_EQ(answer.finish("").text, "{}");
}

TEST(MetricHistoryJson, ManyPointsAsBefore) {
  std::mt19937_64 random(7);
  std::vector<Metric> points(20000);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::uint64_t bits = random();
    std::memcpy(&points[i].value, &bits, sizeof(double));
    if (i % 3 == 0) points[i].value = static_cast<double>(bits % 1000) / 1000.0;
    points[i].key = "loss";
    points[i].timestamp = 1700000000000 + static_cast<std::int64_t>(i / 2);
    points[i].step = static_cast<std::int64_t>(i) - 100;
  }
  EXPECT_EQ(streamed_answer("loss", points, ""), reference_answer("loss", points, ""));
}

}  // namespace
}  // namespace mlflowcpp::protocol
