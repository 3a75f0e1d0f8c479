// auth_bench: what the basic-auth app costs a request. Two `mlflowcpp server`s
// over fresh SQLite databases on free loopback ports, one plain and one with
// `--app-name basic-auth` (default_permission NO_PERMISSIONS, so every check
// reads the caller's grant). Measured on one keep-alive connection each:
// - runs/get of one run (with a few params, tags and metrics): the plain
//   server, then the auth server as the admin and as a user holding READ on
//   the experiment (p50 / p95, and the server's CPU per request);
// - the first request of a user (the slow password hash, before the verified
//   credentials are cached) and a request with a wrong password (always slow).
// See BENCHMARKS.md for how to run it and for recorded results.

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "progress.hpp"
#include "rest_client.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace {

using mlflowcpp::bench::Clock;
using mlflowcpp::bench::LatencySamples;
using mlflowcpp::bench::RestClient;
using nlohmann::json;

constexpr const char* kAdmin = "bench-admin";
constexpr const char* kAdminPassword = "bench-admin-password";
constexpr const char* kUser = "bench-user";
constexpr const char* kUserPassword = "bench-user-password";

struct Options {
  int requests = 5000;
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument.rfind("--requests=", 0) == 0) {
      options.requests = std::stoi(argument.substr(11));
    } else {
      throw std::invalid_argument("usage: auth_bench [--requests=N]");
    }
  }
  return options;
}

// A run worth reading: a few params, tags and metrics, like a small training run.
std::string create_populated_run(RestClient& client, const std::string& experiment_id) {
  const std::string run_id = mlflowcpp::bench::create_run(client, experiment_id, "auth-bench");
  json batch = {{"run_id", run_id}, {"params", json::array()}, {"tags", json::array()}, {"metrics", json::array()}};
  for (int i = 0; i < 10; ++i) {
    batch["params"].push_back({{"key", fmt::format("param_{}", i)}, {"value", std::to_string(i)}});
    batch["tags"].push_back({{"key", fmt::format("tag_{}", i)}, {"value", "value"}});
    batch["metrics"].push_back(
        {{"key", fmt::format("metric_{}", i)}, {"value", i * 0.5}, {"timestamp", 1700000000000LL}, {"step", 0}});
  }
  client.post("runs/log-batch", batch.dump());
  return run_id;
}

struct Measured {
  LatencySamples latencies;
  double server_cpu_us_per_request = 0;
};

Measured time_run_gets(RestClient& client, const std::string& run_id, int requests, pid_t server_pid) {
  client.get("runs/get", {{"run_id", run_id}});  // warm: connection, caches
  Measured measured;
  measured.latencies.reserve(static_cast<std::size_t>(requests));
  const double cpu_before = mlflowcpp::bench::read_process_cpu_seconds(server_pid);
  for (int i = 0; i < requests; ++i) {
    const auto start = Clock::now();
    client.get("runs/get", {{"run_id", run_id}});
    measured.latencies.add(Clock::now() - start);
  }
  measured.server_cpu_us_per_request =
      (mlflowcpp::bench::read_process_cpu_seconds(server_pid) - cpu_before) * 1e6 / requests;
  return measured;
}

// Milliseconds one request with these credentials takes on a new connection, and its status.
std::pair<double, int> time_one_request(int port, const std::string& username, const std::string& password,
                                        const std::string& run_id) {
  httplib::Client client("127.0.0.1", port);
  client.set_basic_auth(username.c_str(), password.c_str());
  const auto start = Clock::now();
  const auto result = client.Get("/api/2.0/mlflow/runs/get?run_id=" + run_id);
  const double ms = mlflowcpp::bench::seconds_between(start, Clock::now()) * 1000;
  return {ms, result ? result->status : 0};
}

void print_row(const std::string& name, const Measured& measured, double baseline_p50) {
  const double p50 = measured.latencies.percentile_ms(50);
  std::cout << fmt::format("| {:<34} | {:>8.3f} | {:>8.3f} | {:>10.0f} | {:>6.2f} |\n", name, p50,
                           measured.latencies.percentile_ms(95), measured.server_cpu_us_per_request,
                           p50 / baseline_p50);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mlflowcpp;
  try {
    const Options options = parse_options(argc, argv);

    // The plain server first, alone: the server's CPU time is read from its process.
    Measured plain_gets;
    {
      testing::TempDir plain_dir("mlflowcpp-auth-bench-plain");
      testing::ServerOptions plain_options;
      plain_options.work_dir = plain_dir.path();
      bench::progress("starting the plain server");
      testing::ServerProcess plain_server(plain_options);
      RestClient plain(plain_server.port());
      const std::string plain_run = create_populated_run(plain, bench::create_experiment(plain, "auth-bench"));
      bench::progress(fmt::format("{} runs/get without authentication", options.requests));
      plain_gets = time_run_gets(plain, plain_run, options.requests, bench::find_child_running(testing::server_binary()));
    }

    testing::TempDir auth_dir("mlflowcpp-auth-bench-auth");
    const auto ini_path = auth_dir.path() / "basic_auth.ini";
    std::ofstream(ini_path) << fmt::format(
        "[mlflow]\ndefault_permission = NO_PERMISSIONS\ndatabase_uri = sqlite:///{}\n"
        "admin_username = {}\nadmin_password = {}\n",
        (auth_dir.path() / "basic_auth.db").string(), kAdmin, kAdminPassword);
    testing::ServerOptions auth_options;
    auth_options.work_dir = auth_dir.path();
    auth_options.extra_args = {"--app-name", "basic-auth"};
    auth_options.environment["MLFLOW_AUTH_CONFIG_PATH"] = ini_path.string();
    bench::progress("starting the basic-auth server");
    testing::ServerProcess auth_server(auth_options);

    RestClient admin(auth_server.port());
    admin.set_basic_auth(kAdmin, kAdminPassword);
    const std::string experiment_id = bench::create_experiment(admin, "auth-bench");
    const std::string auth_run = create_populated_run(admin, experiment_id);
    admin.post("users/create", json{{"username", kUser}, {"password", kUserPassword}}.dump());
    admin.post("experiments/permissions/create",
               json{{"experiment_id", experiment_id}, {"username", kUser}, {"permission", "READ"}}.dump());

    // Before the user's first request: nothing of theirs is cached yet.
    const auto [first_ms, first_status] = time_one_request(auth_server.port(), kUser, kUserPassword, auth_run);
    const auto [wrong_ms, wrong_status] = time_one_request(auth_server.port(), kUser, "not-the-password", auth_run);
    const auto [unknown_ms, unknown_status] =
        time_one_request(auth_server.port(), "no-such-user", "not-the-password", auth_run);
    if (first_status != 200 || wrong_status != 401 || unknown_status != 401) {
      throw std::runtime_error(fmt::format("unexpected statuses: first {}, wrong password {}, unknown user {}",
                                           first_status, wrong_status, unknown_status));
    }
    RestClient user(auth_server.port());
    user.set_basic_auth(kUser, kUserPassword);

    bench::progress(fmt::format("{} runs/get as the admin and as the user", options.requests));
    const pid_t auth_pid = bench::find_child_running(testing::server_binary());
    const Measured admin_gets = time_run_gets(admin, auth_run, options.requests, auth_pid);
    const Measured user_gets = time_run_gets(user, auth_run, options.requests, auth_pid);

    const double baseline = plain_gets.latencies.percentile_ms(50);
    std::cout << fmt::format("\nruns/get, {} requests each, one keep-alive connection\n\n", options.requests);
    std::cout << "| case                               | p50 (ms) | p95 (ms) | server CPU (µs/req) | p50 / plain |\n";
    std::cout << "|------------------------------------|---------:|---------:|-----------:|-------:|\n";
    print_row("no authentication", plain_gets, baseline);
    print_row("basic-auth, admin", admin_gets, baseline);
    print_row("basic-auth, user with READ grant", user_gets, baseline);
    std::cout << fmt::format(
        "\nfirst request of a user (slow hash, then cached): {:.1f} ms; wrong password: {:.1f} ms; "
        "unknown user: {:.1f} ms\n",
        first_ms, wrong_ms, unknown_ms);
    std::cout << fmt::format("target: user p50 <= 2 ms: {}\n",
                             user_gets.latencies.percentile_ms(50) <= 2.0 ? "met" : "NOT met");
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "auth_bench: " << error.what() << "\n";
    return 1;
  }
}
