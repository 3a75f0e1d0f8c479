#pragma once

// When and how long to wait before trying a request again: the policy objects
// the retry loop (RetryingConnection) consults. Pure functions of their inputs,
// so they are tested without a network or a clock.

#include <mlflowcpp/connection.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace mlflowcpp::client {

// The statuses the official client retries (spec §6.2): 408, 429, 500, 502, 503, 504.
// Every other status, 4xx in particular, is final.
bool is_retryable_status(int status);

// Whether an answer with `status` may be followed by another attempt. An
// idempotent request is retried on every retryable status. A non-idempotent one
// only on those that say the server refused before doing any work: 429 (too many
// requests) and 503 (unavailable). 408, 500, 502 and 504 may come after the work
// was done (a proxy timing out on a create that then commits), so repeating it
// could do the work twice.
bool should_retry_status(int status, Idempotency idempotency);

// Whether a failed attempt may be followed by another: never for a permanent
// failure; for a non-idempotent request only when nothing was sent.
bool should_retry_error(const TransportError& error, Idempotency idempotency);

// Delay before retry n (n = 1, 2, ...): factor * 2^(n-1) seconds plus a uniform
// random share of `jitter` seconds, capped at `max` seconds.
class ExponentialBackoff {
 public:
  ExponentialBackoff(double factor_seconds, double jitter_seconds, double max_seconds = 120.0);

  // `random_unit` is a draw from [0, 1) that scales the jitter.
  std::chrono::milliseconds delay_before_retry(int retry_number, double random_unit) const;
  std::chrono::milliseconds max_delay() const;

 private:
  double factor_seconds_;
  double jitter_seconds_;
  double max_seconds_;
};

// The number of retries allowed after the first attempt, the wait between them,
// and the time one call may take across all its attempts and waits.
struct RetryPolicy {
  int max_retries = 7;
  ExponentialBackoff backoff{2.0, 1.0};
  bool respect_retry_after = true;
  std::chrono::milliseconds deadline = std::chrono::minutes(10);
};

// Whole milliseconds, rounded; the settings are given in (fractional) seconds.
std::chrono::milliseconds seconds_to_millis(double seconds);

// A Retry-After header value: delay-seconds ("120") or an HTTP date
// ("Wed, 21 Oct 2015 07:28:00 GMT", measured from `now`). nullopt when unparsable;
// a date in the past gives zero.
std::optional<std::chrono::milliseconds> parse_retry_after(
    const std::string& value, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

}  // namespace mlflowcpp::client
