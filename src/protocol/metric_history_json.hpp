#pragma once

// The body of a metrics/get-history answer, written point by point while the
// store reads the rows, with no list of Metric in between:
// {"metrics":[{"key":K,"value":V,"timestamp":T,"step":S},...]} and
// "next_page_token" when another page follows; {} when there is neither. The
// bytes are those of metrics_response() for the same points, the token added
// after the list.

#include "protocol/json_codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlflowcpp::protocol {

class MetricHistoryJson {
 public:
  // Every point of the answer has this key (the metric_key asked for).
  explicit MetricHistoryJson(const std::string& key);

  // NaN and ±infinity are written as MLflow writes them ("NaN", "Infinity", "-Infinity").
  void add(double value, std::int64_t timestamp, std::int64_t step);
  // Forgets the points added so far.
  void clear();
  std::size_t points() const { return points_; }

  // The answer; `next_page_token` "" when this is the last page. Leaves the writer empty.
  JsonText finish(const std::string& next_page_token);

 private:
  std::string point_start_;  // {"key":<the escaped key>,"value":
  std::string text_;         // {"metrics":[ and the points so far
  std::size_t points_ = 0;
};

}  // namespace mlflowcpp::protocol
