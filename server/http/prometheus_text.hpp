#pragma once

// Writing Prometheus' text exposition format 0.0.4: family headers, label
// values escaped as the format requires, and sample values.

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

}  // namespace mlflowcpp::server::http::prometheus
