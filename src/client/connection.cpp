#include <mlflowcpp/connection.hpp>

#include "client/curl_transport.hpp"
#include "client/retrying_connection.hpp"

namespace mlflowcpp {

std::optional<std::string> HttpResponse::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return value;
  }
  return std::nullopt;
}

TransportError::TransportError(const std::string& message, bool retryable)
    : MlflowException(std::string(error_code_name(ErrorCode::kInternalError)), 0, message), retryable_(retryable) {}

std::shared_ptr<Connection> make_connection(const ClientOptions& options) {
  return make_connection(resolve_client_options(options));
}

std::shared_ptr<Connection> make_connection(const ResolvedClientOptions& options) {
  client::RetryPolicy policy{options.max_retries,
                             client::ExponentialBackoff(options.backoff_factor, options.backoff_jitter),
                             options.respect_retry_after};
  return std::make_shared<client::RetryingConnection>(std::make_shared<client::CurlTransport>(options), policy);
}

}  // namespace mlflowcpp
