#pragma once

// Writing Prometheus' text exposition format 0.0.4: family headers, label
// values escaped as the format requires, and sample values.

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

}  // namespace mlflowcpp::server::http::prometheus
