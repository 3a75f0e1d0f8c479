#pragma once

#include "client/retry_policy.hpp"

#include <mlflowcpp/connection.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <random>

namespace mlflowcpp::client {

// The one place requests are retried: wraps a single-attempt connection and
// tries again, after the policy's backoff, when the request's idempotency allows
// it (should_retry_error, should_retry_status). A Retry-After header, when the
// policy respects it, replaces the computed delay (capped at the backoff's
// maximum). Every attempt is given at most the time left until the call's
// deadline, and no wait is started that would end past it. After the last
// attempt the final response is returned (the client turns it into an error) or
// the final TransportError is rethrown.
//
// @par Thread Safety
// send() may be called concurrently; the inner connection must allow the same.
class RetryingConnection : public Connection {
 public:
  using Sleeper = std::function<void(std::chrono::milliseconds)>;
  // A draw from [0, 1) that scales the jitter.
  using RandomSource = std::function<double()>;

  // Without `sleeper` / `random`: std::this_thread::sleep_for and a seeded engine.
  RetryingConnection(std::shared_ptr<Connection> inner, RetryPolicy policy, Sleeper sleeper = {},
                     RandomSource random = {});

  HttpResponse send(const HttpRequest& request) override;
  HttpResponse send_with_files(const HttpRequest& request, const FileTransfer& files) override;
  const ResolvedClientOptions* resolved_options() const override { return inner_->resolved_options(); }

 private:
  using Attempt = std::function<HttpResponse(const HttpRequest&)>;
  HttpResponse with_retries(const HttpRequest& request, const Attempt& attempt);
  std::chrono::milliseconds delay_before_retry(int retry_number, const HttpResponse* response);
  double draw_random_unit();

  std::shared_ptr<Connection> inner_;
  RetryPolicy policy_;
  Sleeper sleeper_;
  RandomSource random_;
  std::mutex engine_mutex_;  // guards engine_ when no RandomSource was given
  std::mt19937_64 engine_;
};

}  // namespace mlflowcpp::client
