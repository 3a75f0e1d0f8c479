#include "request_bodies.hpp"

#include <fmt/format.h>

#include <iterator>

namespace mlflowcpp::bench {

double metric_value_at(long long step) { return 1.0 / static_cast<double>(step + 1); }

long long metric_timestamp_at(long long step) { return 1700000000000LL + step; }

std::string log_metric_body(const std::string& run_id, const std::string& key, double value, long long timestamp,
                            long long step) {
  return fmt::format(R"({{"run_id":"{}","key":"{}","value":{},"timestamp":{},"step":{}}})", run_id, key, value,
                     timestamp, step);
}

std::string log_batch_body(const std::string& run_id, const std::string& key, long long first_step, int count) {
  std::string body;
  body.reserve(64 + static_cast<std::size_t>(count) * 80);
  auto out = std::back_inserter(body);
  fmt::format_to(out, R"({{"run_id":"{}","metrics":[)", run_id);
  for (int i = 0; i < count; ++i) {
    const long long step = first_step + i;
    fmt::format_to(out, R"({}{{"key":"{}","value":{},"timestamp":{},"step":{}}})", i == 0 ? "" : ",", key,
                   metric_value_at(step), metric_timestamp_at(step), step);
  }
  body += "]}";
  return body;
}

}  // namespace mlflowcpp::bench
