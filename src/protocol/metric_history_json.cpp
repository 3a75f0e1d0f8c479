#include "protocol/metric_history_json.hpp"

#include "protocol/json_numbers.hpp"

#include <cstring>
#include <utility>

namespace mlflowcpp::protocol {
namespace {

constexpr const char kListStart[] = "{\"metrics\":[";
constexpr std::size_t kListStartLength = sizeof kListStart - 1;

template <std::size_t N>
char* copy_literal(char* out, const char (&text)[N]) {
  std::memcpy(out, text, N - 1);
  return out + (N - 1);
}

}  // namespace

MetricHistoryJson::MetricHistoryJson(const std::string& key)
    : point_start_("{\"key\":" + dump(Json(key)) + ",\"value\":"), text_(kListStart) {}

void MetricHistoryJson::add(double value, std::int64_t timestamp, std::int64_t step) {
  // The numbers go to a local buffer first: the text then grows by two appends a point, not one per field.
  char numbers[3 * kMaxJsonNumberChars + 32];
  char* end = write_json_double(numbers, value);
  end = copy_literal(end, ",\"timestamp\":");
  end = write_json_int64(end, timestamp);
  end = copy_literal(end, ",\"step\":");
  end = write_json_int64(end, step);
  *end++ = '}';
  if (points_ > 0) text_ += ',';
  text_ += point_start_;
  text_.append(numbers, end);
  ++points_;
}

void MetricHistoryJson::clear() {
  text_.resize(kListStartLength);
  points_ = 0;
}

JsonText MetricHistoryJson::finish(const std::string& next_page_token) {
  JsonText body;
  if (points_ == 0) {
    body.text = next_page_token.empty() ? "{}" : "{\"next_page_token\":" + dump(Json(next_page_token)) + "}";
    return body;
  }
  text_ += ']';
  if (!next_page_token.empty()) {
    text_ += ",\"next_page_token\":";
    text_ += dump(Json(next_page_token));
  }
  text_ += '}';
  body.text = std::move(text_);
  text_.assign(kListStart);
  points_ = 0;
  return body;
}

}  // namespace mlflowcpp::protocol
