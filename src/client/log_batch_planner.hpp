#pragma once

// Splits one log_batch into requests the server accepts.

#include <mlflowcpp/entities.hpp>

#include <cstddef>
#include <vector>

namespace mlflowcpp::client {

// The server's caps on one log-batch request (spec §1.5). The body cap is kept
// below the server's 1 000 000 bytes to leave room for the envelope.
struct LogBatchLimits {
  std::size_t max_metrics = 1000;
  std::size_t max_params = 100;
  std::size_t max_tags = 100;
  std::size_t max_items = 1000;
  std::size_t max_body_bytes = 900000;
};

struct LogBatchChunk {
  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<RunTag> tags;
};

// Fills each request with params first, then tags, then metrics, as far as every
// limit allows at once; items of one kind keep their order across requests. An
// item larger than the body cap on its own still gets a request (the server
// will judge it). No requests for empty input.
std::vector<LogBatchChunk> plan_log_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                                          const std::vector<RunTag>& tags, const LogBatchLimits& limits = {});

// Upper bound of the bytes an item takes in the request's JSON.
std::size_t json_size_bound(const Metric& metric);
std::size_t json_size_bound(const Param& param);
std::size_t json_size_bound(const RunTag& tag);

}  // namespace mlflowcpp::client
