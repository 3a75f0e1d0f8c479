#pragma once

#include <mlflowcpp/connection.hpp>

#include <string_view>

namespace mlflowcpp::client {

// Whether the REST call `endpoint` (relative to /api/2.0/mlflow/, e.g.
// "runs/create") may safely be sent twice. The rule for every endpoint, with the
// reasoning, is in the .cpp; endpoints it does not know count as non-idempotent,
// the safe reading for a write.
Idempotency idempotency_of(std::string_view endpoint);

}  // namespace mlflowcpp::client
