// Which calls are retried after which failures, and the per-call deadline: the
// real client and transport against an in-process fake server.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/connection.hpp>

#include "fake_http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace mlflowcpp {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

constexpr const char* kCreated = R"({"experiment_id":"5"})";
constexpr const char* kExperiment = R"({"experiment":{"experiment_id":"5","name":"e"}})";

ClientOptions options_for(const std::string& url) {
  ClientOptions options;
  options.tracking_uri = url;
  options.max_retries = 3;
  options.backoff_factor = 0.01;
  options.backoff_jitter = 0.0;
  options.timeout_seconds = 0.5;
  return options;
}

// Answers `first` to the first request, then `then`; the first one after `first_delay`.
FakeHttpServer::Handler first_then(FakeResponse first, FakeResponse then, milliseconds first_delay = {}) {
  return [=](const FakeRequest&, int number) {
    if (number > 1) return then;
    std::this_thread::sleep_for(first_delay);
    return first;
  };
}

TEST(CallRetries, ACreateThatTimedOutIsNotRetried) {
  // The server may have created the experiment after the client gave up: a
  // retry would answer RESOURCE_ALREADY_EXISTS for the caller's own experiment.
  FakeHttpServer server(first_then(testing::answer(200, kCreated), testing::answer(200, kCreated), milliseconds(1500)));
  MlflowClient client(options_for(server.url()));
  EXPECT_THROW(client.create_experiment("e"), TransportError);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(CallRetries, ACreateAnswered500502Or504IsNotRetried) {
  for (int status : {500, 502, 504}) {
    FakeHttpServer server(first_then(testing::answer(status, R"({"error_code":"INTERNAL_ERROR"})"),
                                     testing::answer(200, kCreated)));
    MlflowClient client(options_for(server.url()));
    try {
      client.create_experiment("e");
      FAIL() << "expected an error for " << status;
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.http_status(), status);
    }
    EXPECT_EQ(server.requests().size(), 1u) << status;
  }
}

TEST(CallRetries, ACreateRefusedWith503Or429IsRetried) {
  for (int status : {503, 429}) {
    FakeHttpServer server(first_then(testing::answer(status, R"({"error_code":"TEMPORARILY_UNAVAILABLE"})"),
                                     testing::answer(200, kCreated)));
    MlflowClient client(options_for(server.url()));
    EXPECT_EQ(client.create_experiment("e"), "5") << status;
    EXPECT_EQ(server.requests().size(), 2u) << status;
  }
}

TEST(CallRetries, AGetThatTimedOutIsRetried) {
  FakeHttpServer server(
      first_then(testing::answer(200, kExperiment), testing::answer(200, kExperiment), milliseconds(1500)));
  MlflowClient client(options_for(server.url()));
  EXPECT_EQ(client.get_experiment("5").experiment_id, "5");
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(CallRetries, AnIdempotentWriteAnswered502IsRetried) {
  FakeHttpServer server(first_then(testing::answer(502, "bad gateway"), FakeResponse{}));
  MlflowClient client(options_for(server.url()));
  EXPECT_NO_THROW(client.set_tag("r", "k", "v"));
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(CallRetries, ARefusedConnectionIsReportedAsNotSent) {
  // A port nothing listens on any more: refused before anything is sent, so even
  // a create may be retried on it (RetryingConnection's tests cover that rule).
  std::string url;
  {
    FakeHttpServer closed([](const FakeRequest&, int) { return FakeResponse{}; });
    url = closed.url();
  }
  ClientOptions options = options_for(url);
  options.max_retries = 0;
  MlflowClient client(options);
  try {
    client.create_experiment("e");
    FAIL() << "expected a TransportError";
  } catch (const TransportError& error) {
    EXPECT_EQ(error.delivery(), TransportError::Delivery::kNotSent);
  }
}

TEST(CallRetries, TheDeadlineBoundsRetriesOfAnUnavailableServer) {
  FakeHttpServer server([](const FakeRequest&, int) {
    return testing::answer(503, R"({"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"})");
  });
  ClientOptions options = options_for(server.url());
  options.max_retries = 9;
  options.backoff_factor = 0.2;  // 0.2 + 0.4 + 0.8 + ... : about 100 s of waits without a deadline
  options.request_deadline_seconds = 1.0;
  MlflowClient client(options);
  const auto start = steady_clock::now();
  try {
    client.get_experiment("5");
    FAIL() << "expected the server's error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.http_status(), 503);  // the last answer, thrown
  }
  const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  EXPECT_LE(elapsed, milliseconds(1500));
  EXPECT_GE(server.requests().size(), 2u);
}

TEST(CallRetries, TheDeadlineCutsAnAttemptShort) {
  FakeHttpServer server([](const FakeRequest&, int) {
    std::this_thread::sleep_for(milliseconds(2000));
    return FakeResponse{};
  });
  ClientOptions options = options_for(server.url());
  options.timeout_seconds = 10;
  options.request_deadline_seconds = 0.5;
  MlflowClient client(options);
  const auto start = steady_clock::now();
  EXPECT_THROW(client.get_experiment("5"), TransportError);
  const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  EXPECT_GE(elapsed, milliseconds(450));
  EXPECT_LE(elapsed, milliseconds(1200));
}

}  // namespace
}  // namespace mlflowcpp
