// The real transport (libcurl + retries) against an in-process fake server:
// attempts, delays, connection reuse, headers.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/connection.hpp>

#include "fake_http_server.hpp"
#include "testing/scoped_environment.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>

namespace mlflowcpp {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using testing::FakeHttpServer;
using testing::FakeRequest;
using testing::FakeResponse;

ClientOptions options_for(const FakeHttpServer& server, int max_retries = 5, double backoff = 0.05) {
  ClientOptions options;
  options.tracking_uri = server.url();
  options.max_retries = max_retries;
  options.backoff_factor = backoff;
  options.backoff_jitter = 0.0;
  options.timeout_seconds = 10;
  return options;
}

std::vector<milliseconds> gaps_between(const std::vector<FakeRequest>& requests) {
  std::vector<milliseconds> gaps;
  for (std::size_t i = 1; i < requests.size(); ++i) {
    gaps.push_back(duration_cast<milliseconds>(requests[i].arrived - requests[i - 1].arrived));
  }
  return gaps;
}

// Retry n waits 50 ms * 2^(n-1): 50, 100, 200 ms. Each gap must reach its
// delay, and stay well below the next one (generous for a busy machine).
void expect_growing_gaps(const std::vector<milliseconds>& gaps) {
  for (std::size_t i = 0; i < gaps.size(); ++i) {
    milliseconds expected(50 << i);
    EXPECT_GE(gaps[i], expected) << "gap " << i;
    EXPECT_LT(gaps[i], expected + milliseconds(400)) << "gap " << i;
  }
  for (std::size_t i = 1; i < gaps.size(); ++i) EXPECT_GT(gaps[i], gaps[i - 1]);
}

TEST(CurlTransport, RetriesServiceUnavailableWithGrowingDelays) {
  FakeHttpServer server([](const FakeRequest&, int number) {
    if (number <= 3) return testing::answer(503, R"({"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"})");
    return FakeResponse{};
  });
  MlflowClient client(options_for(server));
  client.log_metric("run", "loss", 1.0);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);  // three 503s, then the success
  for (const auto& request : requests) EXPECT_EQ(request.body, requests[0].body);  // the same request each time
  expect_growing_gaps(gaps_between(requests));
}

TEST(CurlTransport, RetriesDroppedConnections) {
  FakeHttpServer server([](const FakeRequest&, int number) {
    FakeResponse response;
    response.drop_connection = number <= 3;
    return response;
  });
  MlflowClient client(options_for(server));
  client.set_tag("run", "k", "v");
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(server.connection_count(), 4);  // each drop forces a new connection
  expect_growing_gaps(gaps_between(requests));
}

TEST(CurlTransport, GivesUpAfterMaxRetriesWithTheServersError) {
  FakeHttpServer server([](const FakeRequest&, int) {
    return testing::answer(503, R"({"error_code":"TEMPORARILY_UNAVAILABLE","message":"still busy"})");
  });
  MlflowClient client(options_for(server, 2, 0.01));
  try {
    client.get_run("r");
    FAIL();
  } catch (const TransportError&) {
    FAIL() << "the server answered: not a transport error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.http_status(), 503);
    EXPECT_EQ(error.error_code(), "TEMPORARILY_UNAVAILABLE");
  }
  EXPECT_EQ(server.requests().size(), 3u);
}

TEST(CurlTransport, NeverRetriesABadRequest) {
  FakeHttpServer server([](const FakeRequest&, int) {
    return testing::answer(400, R"({"error_code":"INVALID_PARAMETER_VALUE","message":"no"})");
  });
  MlflowClient client(options_for(server));
  EXPECT_THROW(client.log_param("r", "k", "v"), MlflowException);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(CurlTransport, HonoursRetryAfter) {
  FakeHttpServer server([](const FakeRequest&, int number) {
    if (number == 1) return testing::answer(429, "{}", {{"Retry-After", "1"}});
    return FakeResponse{};
  });
  MlflowClient client(options_for(server, 3, 0.01));
  client.delete_tag("r", "k");
  auto gaps = gaps_between(server.requests());
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_GE(gaps[0], milliseconds(1000));
}

TEST(CurlTransport, UnreachableServerIsATransportError) {
  int port;
  {
    FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
    port = server.port();
  }  // closed: connections are refused now
  ClientOptions options;
  options.tracking_uri = "http://127.0.0.1:" + std::to_string(port);
  options.max_retries = 1;
  options.backoff_factor = 0.01;
  options.backoff_jitter = 0;
  MlflowClient client(options);
  try {
    client.get_experiment("0");
    FAIL();
  } catch (const TransportError& error) {
    EXPECT_EQ(error.http_status(), 0);
    EXPECT_NE(std::string(error.what()).find("127.0.0.1"), std::string::npos);
  }
}

TEST(CurlTransport, ReusesOneConnectionForSequentialCalls) {
  FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
  MlflowClient client(options_for(server));
  for (int i = 0; i < 50; ++i) client.log_metric("r", "m", i, MetricOptions{i, std::nullopt});
  MlflowClient copy = client;
  copy.set_tag("r", "k", "v");
  EXPECT_EQ(server.requests().size(), 51u);
  EXPECT_EQ(server.connection_count(), 1);
}

TEST(CurlTransport, ManyThreadsShareAClientWithFewConnections) {
  FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
  MlflowClient client(options_for(server));
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        try {
          client.log_metric("r", "thread" + std::to_string(t), i, MetricOptions{i, std::nullopt});
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server.requests().size(), std::size_t(kThreads * kCallsPerThread));
  EXPECT_LE(server.connection_count(), kThreads);
}

TEST(CurlTransport, SendsBasicAuthWhenUserAndPasswordAreSet) {
  FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
  ClientOptions options = options_for(server);
  options.username = "alice";
  options.password = "secret";
  options.token = "ignored-when-basic-is-set";
  MlflowClient(options).delete_run("r");
  auto request = server.requests().at(0);
  EXPECT_EQ(request.header("authorization"), "Basic YWxpY2U6c2VjcmV0");
  EXPECT_EQ(request.header("content-type"), "application/json");
  EXPECT_NE(request.header("user-agent").value_or("").find("mlflowcpp/"), std::string::npos);
}

TEST(CurlTransport, SendsTheBearerToken) {
  FakeHttpServer server([](const FakeRequest&, int) { return FakeResponse{}; });
  ClientOptions options = options_for(server);
  options.token = "t0k3n";
  MlflowClient(options).delete_run("r");
  EXPECT_EQ(server.requests().at(0).header("authorization"), "Bearer t0k3n");
}

TEST(CurlTransport, GetParametersAreEncodedAndPrefixKept) {
  FakeHttpServer server([](const FakeRequest&, int) {
    return testing::answer(200, R"({"experiment":{"experiment_id":"1","name":"a b&c"}})");
  });
  ClientOptions options = options_for(server);
  options.tracking_uri = server.url() + "/prefix/";
  MlflowClient client(options);
  auto experiment = client.get_experiment_by_name("a b&c/ü");
  ASSERT_TRUE(experiment);
  EXPECT_EQ(server.requests().at(0).method, "GET");
  EXPECT_EQ(server.requests().at(0).target,
            "/prefix/api/2.0/mlflow/experiments/get-by-name?experiment_name=a%20b%26c%2F%C3%BC");
}

TEST(CurlTransport, TimeoutIsATransportErrorAndRetried) {
  std::atomic<int> calls{0};
  FakeHttpServer server([&](const FakeRequest&, int) {
    if (++calls == 1) std::this_thread::sleep_for(milliseconds(1500));
    return FakeResponse{};
  });
  ClientOptions options = options_for(server, 2, 0.01);
  options.timeout_seconds = 0.5;
  MlflowClient client(options);
  EXPECT_NO_THROW(client.delete_run("r"));
  EXPECT_EQ(server.requests().size(), 2u);
}

// Credentials as the official client finds them, in the Authorization header of what is sent.
class CurlTransportCredentials : public ::testing::Test {
 protected:
  CurlTransportCredentials()
      : home_(std::filesystem::temp_directory_path() / ("mlflowcpp-credentials-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(home_ / ".mlflow");
  }
  ~CurlTransportCredentials() override { std::filesystem::remove_all(home_); }

  void write_credentials_file(const std::string& text) { std::ofstream(home_ / ".mlflow/credentials") << text; }

  // The Authorization header of one call made by a client configured from `variables` (HOME is ours).
  std::optional<std::string> authorization_sent(std::map<std::string, std::string> variables) {
    variables["HOME"] = home_.string();
    variables["MLFLOW_TRACKING_URI"] = server_.url();
    const EnvironmentLookup environment = [variables](const std::string& name) -> std::optional<std::string> {
      auto found = variables.find(name);
      if (found == variables.end()) return std::nullopt;
      return found->second;
    };
    const std::size_t before = server_.requests().size();
    MlflowClient(make_connection(resolve_client_options({}, environment))).delete_run("r");
    return server_.requests().at(before).header("authorization");
  }

  std::filesystem::path home_;
  FakeHttpServer server_{[](const FakeRequest&, int) { return FakeResponse{}; }};
};

TEST_F(CurlTransportCredentials, UserAndPasswordFromTheEnvironmentGoAsBasicAuth) {
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_USERNAME", "alice"}, {"MLFLOW_TRACKING_PASSWORD", "secret"}}),
            "Basic YWxpY2U6c2VjcmV0");
  // Both set: basic auth wins over the token, as in the official client.
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_USERNAME", "alice"},
                                {"MLFLOW_TRACKING_PASSWORD", "secret"},
                                {"MLFLOW_TRACKING_TOKEN", "t0k3n"}}),
            "Basic YWxpY2U6c2VjcmV0");
  // A user without a password is no basic auth; the token is what remains.
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_USERNAME", "alice"}, {"MLFLOW_TRACKING_TOKEN", "t0k3n"}}),
            "Bearer t0k3n");
  EXPECT_EQ(authorization_sent({}), std::nullopt);
}

TEST_F(CurlTransportCredentials, TheCredentialsFileFillsInFieldByField) {
  write_credentials_file("[mlflow]\nmlflow_tracking_username = file-user\nmlflow_tracking_password = file-pass\n");
  EXPECT_EQ(authorization_sent({}), "Basic ZmlsZS11c2VyOmZpbGUtcGFzcw==");  // file-user:file-pass
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_USERNAME", "alice"}}),
            "Basic YWxpY2U6ZmlsZS1wYXNz");  // alice:file-pass
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_PASSWORD", "secret"}}),
            "Basic ZmlsZS11c2VyOnNlY3JldA==");  // file-user:secret
  // The file's user and password win over a token, as the environment's would.
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_TOKEN", "t0k3n"}}), "Basic ZmlsZS11c2VyOmZpbGUtcGFzcw==");
}

TEST_F(CurlTransportCredentials, AHalfFileGivesNoBasicAuth) {
  write_credentials_file("[mlflow]\nmlflow_tracking_username = file-user\n");
  EXPECT_EQ(authorization_sent({{"MLFLOW_TRACKING_TOKEN", "t0k3n"}}), "Bearer t0k3n");
}

TEST_F(CurlTransportCredentials, AClientMadeWithoutOptionsReadsTheProcessEnvironment) {
  testing::ScopedEnvironment environment({{"MLFLOW_TRACKING_URI", server_.url()},
                                 {"MLFLOW_TRACKING_TOKEN", "from-the-process"},
                                 {"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"},
                                 {"HOME", home_.string()}});
  MlflowClient().delete_run("r");
  EXPECT_EQ(server_.requests().at(0).header("authorization"), "Bearer from-the-process");
}

}  // namespace
}  // namespace mlflowcpp
