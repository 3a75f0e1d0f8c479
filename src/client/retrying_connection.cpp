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
  return with_retries(request, [&](const HttpRequest& attempt) { return inner_->send(attempt); });
}

HttpResponse RetryingConnection::send_with_files(const HttpRequest& request, const FileTransfer& files) {
  // Each attempt reopens the files: an upload starts from its first byte, a download truncates.
  return with_retries(request, [&](const HttpRequest& attempt) { return inner_->send_with_files(attempt, files); });
}

HttpResponse RetryingConnection::with_retries(const HttpRequest& request, const Attempt& attempt) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + policy_.deadline;
  auto time_left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  };
  // A copy whose timeout shrinks as the deadline nears; the caller's own timeout, if any, still caps it.
  HttpRequest bounded = request;
  for (int retry = 0;; ++retry) {
    const bool last_attempt = retry >= policy_.max_retries;
    bounded.timeout = std::max(time_left(), std::chrono::milliseconds(1));
    if (request.timeout.count() > 0) bounded.timeout = std::min(bounded.timeout, request.timeout);
    std::chrono::milliseconds delay{0};
    try {
      HttpResponse response = attempt(bounded);
      if (last_attempt || !should_retry_status(response.status, request.idempotency)) return response;
      delay = delay_before_retry(retry + 1, &response);
      if (delay >= time_left()) return response;
    } catch (const TransportError& error) {
      if (last_attempt || !should_retry_error(error, request.idempotency)) throw;
      delay = delay_before_retry(retry + 1, nullptr);
      if (delay >= time_left()) throw;
    }
    sleeper_(delay);
  }
}

}  // namespace mlflowcpp::client
