#include "server/http/prometheus_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <iterator>

namespace mlflowcpp::server::http::prometheus {

void append_family(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

void append_value(std::string& out, std::uint64_t value) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof(digits), value).ptr;
  out.append(digits, end);
}

void append_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out.append("NaN");
  } else if (std::isinf(value)) {
    out.append(value > 0 ? "+Inf" : "-Inf");
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void append_histogram(std::string& out, std::string_view name, std::string_view labels, const std::uint64_t* counts,
                      const std::string_view* bucket_labels, std::size_t bucket_count, double sum) {
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    cumulative += counts[i];
    out.append(name).append("_bucket{").append(labels).append("le=\"").append(bucket_labels[i]).append("\"} ");
    append_value(out, cumulative);
    out.push_back('\n');
  }
  const std::string_view label_list = labels.empty() ? labels : labels.substr(0, labels.size() - 1);
  const std::string braces = label_list.empty() ? std::string() : "{" + std::string(label_list) + "}";
  out.append(name).append("_count").append(braces).push_back(' ');
  append_value(out, cumulative);
  out.push_back('\n');
  out.append(name).append("_sum").append(braces).push_back(' ');
  append_value(out, sum);
  out.push_back('\n');
}

}  // namespace mlflowcpp::server::http::prometheus
