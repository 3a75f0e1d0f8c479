#include "client/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>

namespace mlflowcpp::client {

bool is_retryable_status(int status) {
  switch (status) {
    case 408:
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

bool should_retry_status(int status, Idempotency idempotency) {
  if (idempotency == Idempotency::kIdempotent) return is_retryable_status(status);
  return status == 429 || status == 503;
}

bool should_retry_error(const TransportError& error, Idempotency idempotency) {
  if (!error.retryable()) return false;
  return idempotency == Idempotency::kIdempotent || error.delivery() == TransportError::Delivery::kNotSent;
}

std::chrono::milliseconds seconds_to_millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000.0)));
}

ExponentialBackoff::ExponentialBackoff(double factor_seconds, double jitter_seconds, double max_seconds)
    : factor_seconds_(std::max(0.0, factor_seconds)),
      jitter_seconds_(std::max(0.0, jitter_seconds)),
      max_seconds_(std::max(0.0, max_seconds)) {}

std::chrono::milliseconds ExponentialBackoff::delay_before_retry(int retry_number, double random_unit) const {
  // Past 2^30 the cap has long taken over; clamping the exponent keeps pow() finite.
  int exponent = std::clamp(retry_number - 1, 0, 30);
  double seconds = factor_seconds_ * std::pow(2.0, exponent) + jitter_seconds_ * std::clamp(random_unit, 0.0, 1.0);
  seconds = std::min(seconds, max_seconds_);
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000.0)));
}

std::chrono::milliseconds ExponentialBackoff::max_delay() const {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(max_seconds_ * 1000.0)));
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now) {
  auto first = value.find_first_not_of(" \t");
  if (first == std::string::npos) return std::nullopt;
  auto last = value.find_last_not_of(" \t");
  std::string text = value.substr(first, last - first + 1);

  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (text.size() > 9) return std::nullopt;  // more than ~30 years: not a real delay
    return std::chrono::seconds(std::stoll(text));
  }

  // IMF-fixdate, the only date form RFC 9110 requires senders to use.
  std::tm tm{};
  std::istringstream stream(text);
  stream.imbue(std::locale::classic());
  stream >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S GMT");
  if (stream.fail()) return std::nullopt;
  auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (when <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(when - now);
}

}  // namespace mlflowcpp::client
