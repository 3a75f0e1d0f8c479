#include <mlflowcpp/connection.hpp>

#include "client/curl_transport.hpp"
#include "client/retrying_connection.hpp"
#include "client/store_module_loader.hpp"

#include <fstream>
#include <sstream>

namespace mlflowcpp {

std::optional<std::string> HttpResponse::header(std::string_view lower_case_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_case_name) return value;
  }
  return std::nullopt;
}

TransportError::TransportError(const std::string& message, bool retryable, Delivery delivery)
    : MlflowException(std::string(error_code_name(ErrorCode::kInternalError)), 0, message),
      retryable_(retryable),
      delivery_(delivery) {}

HttpResponse Connection::send_with_files(const HttpRequest& request, const FileTransfer& files) {
  HttpRequest with_body = request;
  if (!files.upload_from.empty()) {
    std::ifstream in(files.upload_from, std::ios::binary);
    if (!in) throw invalid_parameter("Cannot read the file " + files.upload_from);
    std::ostringstream content;
    content << in.rdbuf();
    with_body.body = content.str();
  }
  HttpResponse response = send(with_body);
  if (!files.download_to.empty() && response.status == 200) {
    std::ofstream out(files.download_to, std::ios::binary | std::ios::trunc);
    out.write(response.body.data(), static_cast<std::streamsize>(response.body.size()));
    out.close();
    if (!out) throw MlflowException(ErrorCode::kInternalError, "Cannot write the file " + files.download_to);
    response.body.clear();
  }
  return response;
}

std::shared_ptr<Connection> make_connection(const ClientOptions& options) {
  return make_connection(resolve_client_options(options));
}

std::shared_ptr<Connection> make_connection(const ResolvedClientOptions& options) {
  // A database: the server's own request pipeline in this process, from the store module.
  if (client::is_database_uri(options.tracking_uri)) {
    return client::open_store_module_connection(options, process_environment());
  }
  client::RetryPolicy policy;
  policy.max_retries = options.max_retries;
  policy.backoff = client::ExponentialBackoff(options.backoff_factor, options.backoff_jitter);
  policy.respect_retry_after = options.respect_retry_after;
  policy.deadline = client::seconds_to_millis(options.request_deadline_seconds);
  return std::make_shared<client::RetryingConnection>(std::make_shared<client::CurlTransport>(options), policy);
}

}  // namespace mlflowcpp
