#include "client/retry_policy.hpp"
#include "client/retrying_connection.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace mlflowcpp::client {
namespace {

using std::chrono::milliseconds;
using testing::json_response;
using testing::RecordingConnection;

TEST(RetryableStatus, OnlyTheOfficialListIsRetried) {
  for (int status : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(status)) << status;
  for (int status : {200, 201, 400, 401, 403, 404, 405, 409, 413, 422, 499, 501, 505}) {
    EXPECT_FALSE(is_retryable_status(status)) << status;
  }
}

TEST(RetryableStatus, NonIdempotentCallsRetryOnlyRefusalsBeforeWork) {
  EXPECT_TRUE(should_retry_status(429, Idempotency::kNonIdempotent));
  EXPECT_TRUE(should_retry_status(503, Idempotency::kNonIdempotent));
  for (int status : {200, 400, 404, 408, 500, 502, 504}) {
    EXPECT_FALSE(should_retry_status(status, Idempotency::kNonIdempotent)) << status;
  }
  for (int status : {408, 429, 500, 502, 503, 504}) {
    EXPECT_TRUE(should_retry_status(status, Idempotency::kIdempotent)) << status;
  }
}

TEST(RetryableError, NonIdempotentCallsRetryOnlyWhatWasNotSent) {
  const TransportError refused("refused", true, TransportError::Delivery::kNotSent);
  const TransportError timed_out("timed out", true, TransportError::Delivery::kMaybeProcessed);
  const TransportError bad_certificate("certificate", false, TransportError::Delivery::kNotSent);
  EXPECT_TRUE(should_retry_error(refused, Idempotency::kNonIdempotent));
  EXPECT_FALSE(should_retry_error(timed_out, Idempotency::kNonIdempotent));
  EXPECT_FALSE(should_retry_error(bad_certificate, Idempotency::kNonIdempotent));
  EXPECT_TRUE(should_retry_error(refused, Idempotency::kIdempotent));
  EXPECT_TRUE(should_retry_error(timed_out, Idempotency::kIdempotent));
  EXPECT_FALSE(should_retry_error(bad_certificate, Idempotency::kIdempotent));
}

TEST(ExponentialBackoff, DoublesFromTheFactorAndAddsScaledJitter) {
  ExponentialBackoff backoff(2.0, 1.0);
  EXPECT_EQ(backoff.delay_before_retry(1, 0.0), milliseconds(2000));
  EXPECT_EQ(backoff.delay_before_retry(2, 0.0), milliseconds(4000));
  EXPECT_EQ(backoff.delay_before_retry(3, 0.0), milliseconds(8000));
  EXPECT_EQ(backoff.delay_before_retry(3, 0.5), milliseconds(8500));
  EXPECT_EQ(backoff.delay_before_retry(7, 0.0), milliseconds(120000));  // 128 s capped at 120 s
  EXPECT_EQ(backoff.delay_before_retry(100, 0.999), milliseconds(120000));
}

TEST(ExponentialBackoff, ZeroFactorMeansOnlyJitter) {
  ExponentialBackoff backoff(0.0, 0.2);
  EXPECT_EQ(backoff.delay_before_retry(5, 0.0), milliseconds(0));
  EXPECT_EQ(backoff.delay_before_retry(5, 0.5), milliseconds(100));
}

TEST(RetryAfter, ParsesSecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("3"), milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 "), milliseconds(0));
  auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now), milliseconds(5000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds(0));
  EXPECT_FALSE(parse_retry_after("soon"));
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-1"));
}

// A connection answering from a list of statuses (then 200), with a sleeper
// that records instead of sleeping.
struct RetryFixture {
  explicit RetryFixture(std::vector<int> statuses, int max_retries = 7, double factor = 2.0, double jitter = 0.0)
      : connection(std::make_shared<RecordingConnection>([this, statuses](const HttpRequest&) {
          std::size_t index = attempts++;
          int status = index < statuses.size() ? statuses[index] : 200;
          HttpResponse response = json_response(status, status == 200 ? "{}" : R"({"error_code":"X"})");
          if (retry_after) response.headers.emplace_back("retry-after", *retry_after);
          return response;
        })),
        retrying(connection, RetryPolicy{max_retries, ExponentialBackoff(factor, jitter), true},
                 [this](milliseconds delay) { delays.push_back(delay); }, [] { return 0.5; }) {}

  std::size_t attempts = 0;
  std::optional<std::string> retry_after;
  std::vector<milliseconds> delays;
  std::shared_ptr<RecordingConnection> connection;
  RetryingConnection retrying;
};

TEST(RetryingConnection, RetriesRetryableStatusesWithGrowingDelays) {
  RetryFixture fixture({503, 500, 429, 502});
  HttpResponse response = fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(fixture.attempts, 5u);
  std::vector<milliseconds> expected{milliseconds(2000), milliseconds(4000), milliseconds(8000), milliseconds(16000)};
  // Jitter 0 configured: exact values; the random draw (0.5) does not matter.
  EXPECT_EQ(fixture.delays, expected);
}

TEST(RetryingConnection, JitterIsAddedToEveryDelay) {
  RetryFixture fixture({503, 503}, 7, 1.0, 0.4);
  fixture.retrying.send(HttpRequest{"GET", "/x", {}, ""});
  std::vector<milliseconds> expected{milliseconds(1200), milliseconds(2200)};
  EXPECT_EQ(fixture.delays, expected);
}

TEST(RetryingConnection, NeverRetriesOtherClientErrors) {
  for (int status : {400, 401, 403, 404, 409}) {
    RetryFixture fixture({status});
    HttpResponse response = fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"});
    EXPECT_EQ(response.status, status);
    EXPECT_EQ(fixture.attempts, 1u) << status;
    EXPECT_TRUE(fixture.delays.empty());
  }
}

TEST(RetryingConnection, GivesUpAfterMaxRetriesAndReturnsTheLastResponse) {
  RetryFixture fixture(std::vector<int>(20, 503), 3, 0.01);
  HttpResponse response = fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(fixture.attempts, 4u);  // the first attempt and 3 retries
  EXPECT_EQ(fixture.delays.size(), 3u);
}

TEST(RetryingConnection, ZeroRetriesMeansOneAttempt) {
  RetryFixture fixture({503}, 0);
  EXPECT_EQ(fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"}).status, 503);
  EXPECT_EQ(fixture.attempts, 1u);
}

TEST(RetryingConnection, RetryAfterReplacesTheBackoff) {
  RetryFixture fixture({429, 503});
  fixture.retry_after = "7";
  fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"});
  std::vector<milliseconds> expected{milliseconds(7000), milliseconds(7000)};
  EXPECT_EQ(fixture.delays, expected);
}

TEST(RetryingConnection, RetryAfterIsCappedAtTheMaximumBackoff) {
  RetryFixture fixture({503});
  fixture.retry_after = "100000";
  fixture.retrying.send(HttpRequest{"POST", "/x", {}, "{}"});
  ASSERT_EQ(fixture.delays.size(), 1u);
  EXPECT_EQ(fixture.delays[0], milliseconds(120000));
}

TEST(RetryingConnection, RetriesTransportErrorsThenRethrows) {
  int attempts = 0;
  auto failing = std::make_shared<RecordingConnection>([&](const HttpRequest&) -> HttpResponse {
    ++attempts;
    throw TransportError("connection refused");
  });
  std::vector<milliseconds> delays;
  RetryingConnection retrying(failing, RetryPolicy{2, ExponentialBackoff(1.0, 0.0), true},
                              [&](milliseconds delay) { delays.push_back(delay); });
  EXPECT_THROW(retrying.send(HttpRequest{"GET", "/x", {}, ""}), TransportError);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(delays, (std::vector<milliseconds>{milliseconds(1000), milliseconds(2000)}));
}

TEST(RetryingConnection, DoesNotRetryPermanentTransportErrors) {
  int attempts = 0;
  auto failing = std::make_shared<RecordingConnection>([&](const HttpRequest&) -> HttpResponse {
    ++attempts;
    throw TransportError("certificate does not verify", false);
  });
  RetryingConnection retrying(failing, RetryPolicy{}, [](milliseconds) {});
  EXPECT_THROW(retrying.send(HttpRequest{"GET", "/x", {}, ""}), TransportError);
  EXPECT_EQ(attempts, 1);
}

HttpRequest non_idempotent_post() {
  HttpRequest request{"POST", "/api/2.0/mlflow/runs/create", {}, "{}"};
  request.idempotency = Idempotency::kNonIdempotent;
  return request;
}

TEST(RetryingConnection, RetriesANonIdempotentRequestThatWasNotSent) {
  int attempts = 0;
  auto failing = std::make_shared<RecordingConnection>([&](const HttpRequest&) -> HttpResponse {
    if (++attempts == 1) throw TransportError("connection refused", true, TransportError::Delivery::kNotSent);
    return json_response(200, "{}");
  });
  RetryingConnection retrying(failing, RetryPolicy{}, [](milliseconds) {});
  EXPECT_EQ(retrying.send(non_idempotent_post()).status, 200);
  EXPECT_EQ(attempts, 2);
}

TEST(RetryingConnection, NeverRetriesANonIdempotentRequestThatMayHaveBeenProcessed) {
  int attempts = 0;
  auto failing = std::make_shared<RecordingConnection>([&](const HttpRequest&) -> HttpResponse {
    ++attempts;
    throw TransportError("timed out", true, TransportError::Delivery::kMaybeProcessed);
  });
  RetryingConnection retrying(failing, RetryPolicy{}, [](milliseconds) {});
  EXPECT_THROW(retrying.send(non_idempotent_post()), TransportError);
  EXPECT_EQ(attempts, 1);
}

TEST(RetryingConnection, NonIdempotentRequestsRetry503ButNot500) {
  RetryFixture refused({503, 503});
  EXPECT_EQ(refused.retrying.send(non_idempotent_post()).status, 200);
  EXPECT_EQ(refused.attempts, 3u);
  RetryFixture failed({500});
  EXPECT_EQ(failed.retrying.send(non_idempotent_post()).status, 500);
  EXPECT_EQ(failed.attempts, 1u);
}

TEST(RetryingConnection, EveryAttemptGetsAtMostTheTimeLeftBeforeTheDeadline) {
  std::vector<milliseconds> timeouts;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) {
    timeouts.push_back(request.timeout);
    return json_response(200, "{}");
  });
  RetryPolicy policy;
  policy.deadline = milliseconds(5000);
  RetryingConnection retrying(connection, policy, [](milliseconds) {});
  retrying.send(HttpRequest{"GET", "/x", {}, ""});
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_GT(timeouts[0], milliseconds(4000));
  EXPECT_LE(timeouts[0], milliseconds(5000));
}

TEST(RetryingConnection, NoWaitEndsPastTheDeadline) {
  RetryFixture fixture(std::vector<int>(20, 503), 9, 2.0);  // the first wait alone is 2 s
  RetryingConnection retrying(fixture.connection, RetryPolicy{9, ExponentialBackoff(2.0, 0.0), true, milliseconds(500)},
                              [&](milliseconds delay) { fixture.delays.push_back(delay); });
  EXPECT_EQ(retrying.send(HttpRequest{"GET", "/x", {}, ""}).status, 503);
  EXPECT_EQ(fixture.attempts, 1u);
  EXPECT_TRUE(fixture.delays.empty());
}

}  // namespace
}  // namespace mlflowcpp::client
