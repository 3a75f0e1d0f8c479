#pragma once

#include <string>

namespace mlflowcpp::bench {

// JSON bodies of the hot-path calls, written with fmt rather than a JSON DOM so
// that building them costs the client little next to the server's work. Keys
// and run ids here are plain ASCII and need no escaping.

// A log-metric body: one point (timestamp, value, step) of `key`.
std::string log_metric_body(const std::string& run_id, const std::string& key, double value, long long timestamp,
                            long long step);

// A log-batch body of `count` points of `key`, steps first_step .. first_step+count-1,
// each with its own timestamp and value so that every point is a distinct row.
std::string log_batch_body(const std::string& run_id, const std::string& key, long long first_step, int count);

// The value and timestamp logged for a step, so readers can check what they get back.
double metric_value_at(long long step);
long long metric_timestamp_at(long long step);

}  // namespace mlflowcpp::bench
