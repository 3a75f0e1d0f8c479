#include "client/log_batch_planner.hpp"

#include <string>

namespace mlflowcpp::client {
namespace {

// Bytes of a JSON string literal at most: escapes take 2 bytes, control
// characters 6 ("\u001f"); invalid UTF-8 is replaced by U+FFFD (3 bytes).
std::size_t json_string_bound(const std::string& text) {
  std::size_t size = 2;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte == '"' || byte == '\\') {
      size += 2;
    } else if (byte < 0x20) {
      size += 6;
    } else if (byte >= 0x80) {
      size += 3;
    } else {
      size += 1;
    }
  }
  return size;
}

// {"key":...,"value":...} plus a separating comma.
std::size_t key_value_bound(const std::string& key, const std::string& value) {
  return json_string_bound(key) + json_string_bound(value) + 20;
}

}  // namespace

std::size_t json_size_bound(const Metric& metric) {
  // "value" up to 24 characters (-1.2345678901234567e-308), timestamp and step up to 20 each.
  return json_string_bound(metric.key) + 110;
}
std::size_t json_size_bound(const Param& param) { return key_value_bound(param.key, param.value); }
std::size_t json_size_bound(const RunTag& tag) { return key_value_bound(tag.key, tag.value); }

std::vector<LogBatchChunk> plan_log_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                                          const std::vector<RunTag>& tags, const LogBatchLimits& limits) {
  std::vector<LogBatchChunk> chunks;
  std::size_t next_metric = 0, next_param = 0, next_tag = 0;
  // The envelope: {"run_id":"<32 hex>","metrics":[],"params":[],"tags":[]}.
  constexpr std::size_t kEnvelopeBytes = 128;

  while (next_metric < metrics.size() || next_param < params.size() || next_tag < tags.size()) {
    LogBatchChunk chunk;
    std::size_t items = 0;
    std::size_t bytes = kEnvelopeBytes;
    // Takes items of one kind while every limit holds; an empty request takes one item regardless.
    auto fill = [&](const auto& source, std::size_t& next, auto& destination, std::size_t kind_cap) {
      while (next < source.size() && destination.size() < kind_cap && items < limits.max_items) {
        std::size_t size = json_size_bound(source[next]);
        if (bytes + size > limits.max_body_bytes && items > 0) break;
        destination.push_back(source[next++]);
        bytes += size;
        ++items;
      }
    };
    fill(params, next_param, chunk.params, limits.max_params);
    fill(tags, next_tag, chunk.tags, limits.max_tags);
    fill(metrics, next_metric, chunk.metrics, limits.max_metrics);
    // Only a zero cap can leave a request empty; stop rather than loop forever.
    if (chunk.metrics.empty() && chunk.params.empty() && chunk.tags.empty()) break;
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

}  // namespace mlflowcpp::client
