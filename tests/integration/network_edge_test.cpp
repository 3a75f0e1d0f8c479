// The server at its network edge, as the real binary behaves: the IP allowlist
// and trusted proxies, HTTPS with a certificate reloaded on SIGHUP, the startup
// errors of a bad configuration, and the limits that keep slow or greedy
// clients from taking the server: head size, head deadline, connection bound,
// floods of connections and the memory they leave behind.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "testing/process_memory.hpp"
#include "testing/process_runner.hpp"
#include "testing/raw_connection.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"
#include "testing/wait.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::RawConnection;
using testing::resident_kib;

// Opens connections one after another until stopped, each doing something no
// well-behaved client does: closing at once, sending garbage, or sending a
// request (`request`) and leaving without reading the answer.
class ConnectionFlood {
 public:
  ConnectionFlood(int port, int threads, std::string request) : request_(std::move(request)) {
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this, port] {
        for (int n = 0; !stopping_; ++n) {
          RawConnection connection(port);
          if (!connection.connected()) continue;
          if (n % 3 == 1) connection.send("\x16\x03\x01 not http at all\r\n\r\n");
          if (n % 3 == 2) connection.send(request_);
          ++opened_;
        }
      });
    }
  }
  ~ConnectionFlood() { stop(); }
  ConnectionFlood(const ConnectionFlood&) = delete;
  ConnectionFlood& operator=(const ConnectionFlood&) = delete;

  // Connections opened so far (and closed again).
  int opened() const { return opened_.load(); }
  void stop() {
    stopping_ = true;
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  }

 private:
  std::string request_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> opened_{0};
  std::vector<std::thread> threads_;
};

// Connections that send a request head a byte at a time (every 100 ms) and never finish it.
class SlowLoris {
 public:
  SlowLoris(int port, int connections) {
    for (int i = 0; i < connections; ++i) {
      connections_.push_back(std::make_unique<RawConnection>(port));
      connections_.back()->send("GET /health HTTP/1.1\r\n");
    }
    trickler_ = std::thread([this] {
      while (!stopping_) {
        for (auto& connection : connections_) connection->send("X");
        std::this_thread::sleep_for(milliseconds(100));
      }
    });
  }
  ~SlowLoris() {
    stopping_ = true;
    trickler_.join();
  }
  SlowLoris(const SlowLoris&) = delete;
  SlowLoris& operator=(const SlowLoris&) = delete;

  int open() const {
    int count = 0;
    for (const auto& connection : connections_) count += connection->closed_by_server() ? 0 : 1;
    return count;
  }
  // Polls until the server closed every connection; whether it did within `timeout`.
  bool all_closed_within(milliseconds timeout) const {
    return testing::wait_until([&] { return open() == 0; }, timeout);
  }

 private:
  std::vector<std::unique_ptr<RawConnection>> connections_;
  std::atomic<bool> stopping_{false};
  std::thread trickler_;
};

testing::ServerOptions with_flags(std::vector<std::string> flags) {
  testing::ServerOptions options;
  options.extra_args = std::move(flags);
  return options;
}

// `mlflowcpp server <flags>` that must refuse to start.
testing::CommandResult start_refused(const std::vector<std::string>& flags, testing::EnvironmentOverrides env = {}) {
  testing::TempDir dir;
  std::vector<std::string> args = {"server",
                                   "--port",
                                   "0",
                                   "--backend-store-uri",
                                   "sqlite:///" + (dir.path() / "mlflow.db").string(),
                                   "--artifacts-destination",
                                   (dir.path() / "artifacts").string()};
  args.insert(args.end(), flags.begin(), flags.end());
  return testing::run_command(testing::server_binary(), args, env, seconds(20));
}

// A self-signed certificate for 127.0.0.1: <name>.pem and <name>-key.pem in `dir`.
bool make_certificate(const fs::path& dir, const std::string& name, std::string& output) {
  const auto made = testing::run_command(
      "/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", (dir / (name + "-key.pem")).string(),
                           "-out", (dir / (name + ".pem")).string()});
  output = made.output;
  return made.exit_code == 0;
}

// ---- allowlist and trusted proxies ----

TEST(NetworkEdgeTest, AllowlistJudgesTheClientNamedByATrustedProxy) {
  testing::ServerProcess server(
      with_flags({"--allowed-ips", "127.0.0.1,10.0.0.0/8,2001:db8::/32", "--trusted-proxies", "127.0.0.1"}));
  auto http = server.client();
  // The proxy forwards a client outside the list: 403 before anything else.
  auto refused = http.request("GET", "/health", "", "", {{"X-Forwarded-For", "203.0.113.9"}});
  EXPECT_EQ(refused.status, 403) << refused.describe();
  EXPECT_EQ(refused.error_code(), "PERMISSION_DENIED");
  // Inside the list (IPv4 and IPv6), through the right-most untrusted hop.
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "10.1.2.3"}}).status, 200);
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "2001:db8::5"}}).status, 200);
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "10.1.2.3, 203.0.113.9"}}).status, 403);
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "203.0.113.9, 10.1.2.3"}}).status, 200);
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "garbage"}}).status, 403);

  // Refused before the body is read: a huge declared body that never comes still gets its 403 at once.
  const auto started = Clock::now();
  const std::string answer = testing::send_raw_http(
      server.port(),
      "POST /api/2.0/mlflow/experiments/create HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\n"
      "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n{\"name\":",
      seconds(5));
  EXPECT_EQ(testing::raw_http_status(answer), 403) << answer;
  EXPECT_LT(Clock::now() - started, seconds(3));
  EXPECT_NE(answer.find("PERMISSION_DENIED"), std::string::npos) << answer;
}

TEST(NetworkEdgeTest, ForwardedForFromAnUntrustedPeerIsIgnored) {
  testing::ServerProcess server(with_flags({"--allowed-ips", "127.0.0.1", "--trusted-proxies", "10.9.9.9"}));
  auto http = server.client();
  // The peer (127.0.0.1) is no trusted proxy: its X-Forwarded-For neither helps nor hurts.
  EXPECT_EQ(http.request("GET", "/health", "", "", {{"X-Forwarded-For", "203.0.113.9"}}).status, 200);
}

TEST(NetworkEdgeTest, AllowlistFromTheEnvironmentAndTheFlagWins) {
  testing::ServerOptions options = with_flags({"--trusted-proxies", "127.0.0.1"});
  options.environment = {{"MLFLOW_ALLOWED_IPS", "127.0.0.1"}};
  testing::ServerProcess from_environment(options);
  EXPECT_EQ(from_environment.client().request("GET", "/health", "", "", {{"X-Forwarded-For", "10.1.1.1"}}).status, 403);

  options.extra_args = {"--trusted-proxies", "127.0.0.1", "--allowed-ips", "127.0.0.1,10.0.0.0/8"};
  options.environment = {{"MLFLOW_ALLOWED_IPS", "not an address"}};
  testing::ServerProcess flag_wins(options);
  EXPECT_EQ(flag_wins.client().request("GET", "/health", "", "", {{"X-Forwarded-For", "10.1.1.1"}}).status, 200);
}

TEST(NetworkEdgeTest, BadListsAreStartupErrors) {
  auto result = start_refused({"--allowed-ips", "10.0.0.1/8"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--allowed-ips: '10.0.0.1/8'"), std::string::npos) << result.output;

  result = start_refused({"--trusted-proxies", "10.0.0.0/8,,::1"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--trusted-proxies"), std::string::npos) << result.output;

  result = start_refused({}, {{"MLFLOW_ALLOWED_IPS", "example.com"}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("'example.com'"), std::string::npos) << result.output;
}

// ---- TLS ----

class NetworkEdgeTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string output;
    if (!make_certificate(dir_.path(), "first", output) || !make_certificate(dir_.path(), "second", output)) {
      GTEST_SKIP() << "cannot make a certificate: " << output;
    }
    fs::copy_file(dir_ / "first.pem", cert_);
    fs::copy_file(dir_ / "first-key.pem", key_);
  }

  ClientOptions trusting(const std::string& certificate, int port) const {
    ClientOptions options;
    options.tracking_uri = "https://127.0.0.1:" + std::to_string(port);
    options.server_cert_path = (dir_ / certificate).string();
    options.max_retries = 0;
    options.timeout_seconds = 5;
    return options;
  }

  testing::TempDir dir_;
  fs::path cert_ = dir_ / "server.pem";
  fs::path key_ = dir_ / "server-key.pem";
};

TEST_F(NetworkEdgeTlsTest, ServesHttpsOnlyAndReloadsTheCertificateOnSighup) {
  testing::ServerOptions options =
      with_flags({"--tls-cert", cert_.string(), "--tls-key", key_.string(), "--read-timeout", "2"});
  options.tls = true;
  testing::ServerProcess server(options);
  EXPECT_NE(server.log().find("listening on https://"), std::string::npos) << server.log();

  MlflowClient client(trusting("first.pem", server.port()));
  EXPECT_FALSE(client.create_experiment("over-tls").empty());

  // Plain HTTP to the TLS port: no answer, the connection ends soon, and the server carries on.
  const auto started = Clock::now();
  auto plain = testing::HttpClient(server.port(), seconds(10)).get("/health");
  EXPECT_EQ(plain.status, 0) << plain.describe();
  EXPECT_LT(Clock::now() - started, seconds(5));
  EXPECT_TRUE(server.running());
  EXPECT_TRUE(client.get_experiment_by_name("over-tls").has_value());

  // New files, SIGHUP: new connections show the new certificate.
  fs::copy_file(dir_ / "second.pem", cert_, fs::copy_options::overwrite_existing);
  fs::copy_file(dir_ / "second-key.pem", key_, fs::copy_options::overwrite_existing);
  server.signal(SIGHUP);
  EXPECT_TRUE(testing::wait_until(
      [&] {
        try {
          MlflowClient fresh(trusting("second.pem", server.port()));
          return fresh.get_experiment_by_name("over-tls").has_value();
        } catch (const std::exception&) {
          return false;
        }
      },
      seconds(10)))
      << server.log();
  MlflowClient trusting_first(trusting("first.pem", server.port()));
  EXPECT_ANY_THROW(trusting_first.get_experiment_by_name("over-tls"));

  // A reload that fails keeps the certificate in use.
  std::ofstream(key_, std::ios::trunc) << "not a key\n";
  server.signal(SIGHUP);
  EXPECT_TRUE(testing::wait_until(
      [&] { return server.log().find("kept the previous TLS certificate") != std::string::npos; }, seconds(10)));
  MlflowClient after_failed_reload(trusting("second.pem", server.port()));
  EXPECT_TRUE(after_failed_reload.get_experiment_by_name("over-tls").has_value());
}

TEST_F(NetworkEdgeTlsTest, UnusableCertificatesAreStartupErrors) {
  auto result = start_refused({"--tls-cert", cert_.string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--tls-cert and --tls-key go together"), std::string::npos) << result.output;

  result = start_refused({"--tls-cert", (dir_ / "missing.pem").string(), "--tls-key", key_.string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("cannot read the TLS certificate"), std::string::npos) << result.output;

  result = start_refused({"--tls-cert", cert_.string(), "--tls-key", (dir_ / "second-key.pem").string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("does not belong to the certificate"), std::string::npos) << result.output;

  result = start_refused({"--tls-cert", key_.string(), "--tls-key", key_.string()});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("is not a PEM certificate"), std::string::npos) << result.output;
}

// ---- limits ----

TEST(NetworkEdgeLimitsTest, OversizedHeadsGet414And431) {
  testing::ServerProcess server(with_flags({"--max-header-bytes", "16384"}));
  std::string answer = testing::send_raw_http(
      server.port(), "GET /health?x=" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", seconds(5));
  EXPECT_EQ(testing::raw_http_status(answer), 414) << answer.substr(0, 200);
  EXPECT_NE(answer.find("BAD_REQUEST"), std::string::npos);

  std::string headers;
  for (int i = 0; i < 400; ++i) headers += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'b') + "\r\n";
  answer = testing::send_raw_http(server.port(), "GET /health HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n", seconds(5));
  EXPECT_EQ(testing::raw_http_status(answer), 431) << answer.substr(0, 200);

  // Within the limit, an 8 KiB URI is still httplib's to answer (414 too), and ordinary requests pass.
  answer = testing::send_raw_http(
      server.port(), "GET /health?x=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n", seconds(5));
  EXPECT_EQ(testing::raw_http_status(answer), 414) << answer.substr(0, 200);
  EXPECT_EQ(server.client().get("/health").status, 200);
}

TEST(NetworkEdgeLimitsTest, SlowHeadersAreCutOffAndOthersStillServed) {
  testing::ServerProcess server(
      with_flags({"--workers", "4", "--max-connections", "64", "--read-timeout", "1", "--keep-alive-timeout", "2"}));
  constexpr int kSlowClients = 12;
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < kSlowClients; ++i) {
    slow.push_back(std::make_unique<RawConnection>(server.port()));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->send("GET /health HTTP/1.1\r\n");
  }
  // Each slow client sends one more header byte every 100 ms, never finishing its head.
  std::atomic<bool> trickling{true};
  std::thread trickler([&] {
    while (trickling) {
      for (auto& connection : slow) connection->send("X");
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  const auto started = Clock::now();
  auto normal = server.client(seconds(15)).get("/health");
  const auto waited = Clock::now() - started;
  EXPECT_EQ(normal.status, 200) << normal.describe();
  EXPECT_LT(waited, seconds(8));

  // Every slow connection is closed: its head did not arrive within the read timeout.
  const bool all_closed = testing::wait_until(
      [&] {
        for (auto& connection : slow) {
          if (!connection->closed_by_server()) return false;
        }
        return true;
      },
      seconds(10));
  trickling = false;
  trickler.join();
  EXPECT_TRUE(all_closed);
  EXPECT_TRUE(server.running());
}

TEST(NetworkEdgeLimitsTest, TimedOutHeadGets408) {
  testing::ServerProcess server(with_flags({"--read-timeout", "1"}));
  RawConnection connection(server.port());
  ASSERT_TRUE(connection.send("GET /health HTTP/1.1\r\nHost: x\r\n"));
  const auto started = Clock::now();
  const std::string answer = connection.read_until_closed(seconds(5));
  EXPECT_EQ(testing::raw_http_status(answer), 408) << answer;
  EXPECT_LT(Clock::now() - started, seconds(3));
}

TEST(NetworkEdgeLimitsTest, ConnectionsBeyondTheBoundGet503AtOnce) {
  testing::ServerProcess server(
      with_flags({"--workers", "2", "--max-connections", "2", "--read-timeout", "3", "--keep-alive-timeout", "3"}));
  // Connections that send half a request head and wait. One more is held at
  // each try: the start-up health check's keep-alive connection may still
  // hold a slot when the first ones arrive and free it later.
  std::vector<std::unique_ptr<RawConnection>> held;
  std::string refused;
  const bool got_503 = testing::wait_until(
      [&] {
        held.push_back(std::make_unique<RawConnection>(server.port()));
        held.back()->send("GET /health HTTP/1.1\r\n");
        RawConnection extra(server.port());
        extra.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        refused = extra.read_until_closed(milliseconds(300));
        return testing::raw_http_status(refused) == 503;
      },
      seconds(2), milliseconds(10));
  EXPECT_TRUE(got_503) << refused;
  EXPECT_NE(refused.find("TEMPORARILY_UNAVAILABLE"), std::string::npos) << refused;
  EXPECT_LE(held.size(), 4u);  // the bound (2), give or take the health check's connection
  held.clear();
  // Once the held connections are gone, the server takes new ones again.
  EXPECT_TRUE(testing::wait_until([&] { return server.client(seconds(5)).get("/health").status == 200; }, seconds(10)));
}

TEST(NetworkEdgeLimitsTest, IdleConnectionsCloseAfterTheKeepAliveTimeout) {
  testing::ServerProcess server(with_flags({"--keep-alive-timeout", "1"}));
  RawConnection idle(server.port());
  const auto started = Clock::now();
  idle.read_until_closed(seconds(5));
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_LT(Clock::now() - started, seconds(3));
}

TEST(NetworkEdgeLimitsTest, SlowHeadsAreClosedAfterTheReadTimeoutNotBefore) {
  testing::ServerProcess server(
      with_flags({"--workers", "8", "--max-connections", "64", "--read-timeout", "1", "--keep-alive-timeout", "2"}));
  const auto started = Clock::now();
  SlowLoris slow(server.port(), 8);  // one per worker: none waits for a worker, each gets its full read timeout
  std::this_thread::sleep_for(milliseconds(600));
  EXPECT_EQ(slow.open(), 8) << "closed before the read timeout";
  EXPECT_TRUE(slow.all_closed_within(seconds(5)));
  EXPECT_GE(Clock::now() - started, milliseconds(900));
  EXPECT_EQ(server.client(seconds(5)).get("/health").status, 200);
}

// A flood faster than the workers drain it fills --max-connections; then new
// clients are told 503 at once rather than queued or left hanging, and slots
// freed between flood connections still let a client that retries through.
TEST(NetworkEdgeLimitsTest, AConnectionFloodLeavesOthersAnsweredPromptly) {
  testing::ServerProcess server(
      with_flags({"--workers", "4", "--max-connections", "16", "--read-timeout", "1", "--keep-alive-timeout", "1"}));
  ConnectionFlood flood(server.port(), 3, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(testing::wait_until([&] { return flood.opened() > 100; }, seconds(10)));
  int served = 0;
  for (int i = 0; i < 20; ++i) {
    const auto started = Clock::now();
    const auto answer = server.client(seconds(10)).get("/health");
    EXPECT_LT(Clock::now() - started, seconds(2)) << "request " << i;
    if (answer.status == 200) {
      ++served;
    } else {
      EXPECT_EQ(answer.status, 503) << answer.describe();
      EXPECT_EQ(answer.error_code(), "TEMPORARILY_UNAVAILABLE") << answer.describe();
      std::this_thread::sleep_for(milliseconds(50));  // a client's retry delay
    }
  }
  const int flood_connections = flood.opened();
  flood.stop();
  EXPECT_GT(served, 0) << "no request got through among " << flood_connections << " flood connections";
  // Once the flood ends, every client is served again.
  const auto started = Clock::now();
  EXPECT_TRUE(testing::wait_until([&] { return server.client(seconds(5)).get("/health").status == 200; }, seconds(5)));
  EXPECT_LT(Clock::now() - started, seconds(3));
  EXPECT_TRUE(server.running());
}

// Round after round of slow and flooding clients, the server gives back what
// each round took: memory does not grow with the number of connections served.
TEST(NetworkEdgeLimitsTest, MemoryStaysBoundedUnderRepeatedAttacks) {
  testing::ServerProcess server(
      with_flags({"--workers", "8", "--max-connections", "64", "--read-timeout", "1", "--keep-alive-timeout", "1"}));
  // Heads near --max-header-bytes (64 KiB) in lines under cpp-httplib's 8 KiB each: the most a head may hold.
  std::string big_head = "GET /health HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 8; ++i) big_head += "X-Filler-" + std::to_string(i) + ": " + std::string(7000, 'f') + "\r\n";
  big_head += "\r\n";
  const auto attack_round = [&] {
    SlowLoris slow(server.port(), 16);
    ConnectionFlood flood(server.port(), 2, big_head);
    testing::wait_until([&] { return flood.opened() >= 300; }, seconds(10));
    flood.stop();
    EXPECT_TRUE(slow.all_closed_within(seconds(10)));
    EXPECT_EQ(server.client(seconds(10)).get("/health").status, 200);
  };
  attack_round();  // warms up what the server keeps for good (worker stacks, arenas, caches)
  const long after_first = resident_kib(server.pid());
  ASSERT_GT(after_first, 0);
  for (int round = 0; round < 3; ++round) attack_round();
  const long after_last = resident_kib(server.pid());
  // Three more rounds sent ~3 x 300 x 56 KiB (about 50 MiB) of heads; a leak per connection would show.
  EXPECT_LT(after_last - after_first, 16 * 1024) << "VmRSS grew from " << after_first << " to " << after_last << " KiB";
  EXPECT_TRUE(server.running());
}

TEST(NetworkEdgeLimitsTest, BadLimitFlagsAreStartupErrors) {
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--read-timeout", "0"},
                                                {"--write-timeout", "x"},
                                                {"--max-connections", "0"},
                                                {"--workers", "8", "--max-connections", "4"},
                                                {"--max-header-bytes", "10"},
                                                {"--max-keep-alive-requests", "-1"},
                                                {"--keep-alive-timeout", "100000"}}) {
    const auto result = start_refused(flags);
    EXPECT_EQ(result.exit_code, 2) << flags.front() << ": " << result.output;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
