#include "client/retrying_connection.hpp"

#include <algorithm>
#include <thread>

namespace mlflowcpp::client {

RetryingConnection::RetryingConnection(std::shared_ptr<Connection> inner, RetryPolicy policy, Sleeper sleeper,
                                       RandomSource random)
    : inner_(std::move(inner)),
      policy_(policy),
      sleeper_(std::move(sleeper)),
      random_(std::move(random)),
      engine_(std::random_device{}()) {
  if (!sleeper_) sleeper_ = [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); };
}

double RetryingConnection::draw_random_unit() {
  if (random_) return random_();
  std::lock_guard<std::mutex> lock(engine_mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

std::chrono::milliseconds RetryingConnection::delay_before_retry(int retry_number, const HttpResponse* response) {
  if (response != nullptr && policy_.respect_retry_after) {
    if (auto header = response->header("retry-after")) {
      if (auto delay = parse_retry_after(*header)) return std::min(*delay, policy_.backoff.max_delay());
    }
  }
  return policy_.backoff.delay_before_retry(retry_number, draw_random_unit());
}

HttpResponse RetryingConnection::send(const HttpRequest& request) {
  return with_retries([&] { return inner_->send(request); });
}

HttpResponse RetryingConnection::send_with_files(const HttpRequest& request, const FileTransfer& files) {
  // Each attempt reopens the files: an upload starts from its first byte, a download truncates.
  return with_retries([&] { return inner_->send_with_files(request, files); });
}

HttpResponse RetryingConnection::with_retries(const std::function<HttpResponse()>& attempt) {
  for (int retry = 0;; ++retry) {
    const bool last_attempt = retry >= policy_.max_retries;
    HttpResponse response;
    try {
      response = attempt();
    } catch (const TransportError& error) {
      if (last_attempt || !error.retryable()) throw;
      sleeper_(delay_before_retry(retry + 1, nullptr));
      continue;
    }
    if (last_attempt || !is_retryable_status(response.status)) return response;
    sleeper_(delay_before_retry(retry + 1, &response));
  }
}

}  // namespace mlflowcpp::client
