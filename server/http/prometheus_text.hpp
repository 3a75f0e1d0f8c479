#pragma once

// Writing Prometheus' text exposition format 0.0.4: family headers, label
// values escaped as the format requires, and sample values.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http::prometheus {

// The Content-Type of a scrape answer.
inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

// `# HELP name help` and `# TYPE name type` lines.
void append_family(std::string& out, std::string_view name, std::string_view help, std::string_view type);

// A label value with `\`, `"` and newlines escaped.
void append_label_value(std::string& out, std::string_view value);

// Sample values: integers as such, seconds with enough digits to round-trip.
void append_value(std::string& out, std::uint64_t value);
void append_value(std::string& out, double value);

// One histogram series: its `_bucket` lines from per-bucket (not cumulative) `counts` with their `le` labels, then
// `_count` and `_sum`. `labels` are the series' other labels ("a=\"b\","), possibly empty. The count is the +Inf
// bucket's, so a scrape taken while samples are recorded stays consistent.
void append_histogram(std::string& out, std::string_view name, std::string_view labels, const std::uint64_t* counts,
                      const std::string_view* bucket_labels, std::size_t bucket_count, double sum);

// The histogram bucket a sample falls in: the first whose upper bound it does not exceed, else the +Inf bucket
// (index N, one past the finite bounds).
template <typename Value, std::size_t N>
constexpr std::size_t bucket_index(Value sample, const std::array<Value, N>& upper_bounds) {
  for (std::size_t i = 0; i < N; ++i) {
    if (sample <= upper_bounds[i]) return i;
  }
  return N;
}

}  // namespace mlflowcpp::server::http::prometheus
