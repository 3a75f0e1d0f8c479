#pragma once

// The body of a runs/log-batch request read in one pass, straight into the
// protocol's metrics, params and tags, without building a JSON document.
//
// Only the regular shape is read here: an object with run_id (or run_uuid),
// and metrics, params and tags as arrays of objects holding exactly the
// fields those messages have, each with the type MLflow expects. Anything
// else (invalid JSON, a double-encoded body, an unknown or repeated field, a
// null, a wrong type, a missing required field) gives nullopt, and the caller
// reads the body the general way (RequestMessage), which answers those cases
// with the official errors. Both readers agree on every body this one accepts:
// the same JSON lexer reads the numbers and strings.

#include <mlflowcpp/entities.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::server::http {

struct LogBatchBody {
  std::string run_id;
  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<RunTag> tags;
};

std::optional<LogBatchBody> read_log_batch_body(std::string_view body);

}  // namespace mlflowcpp::server::http
