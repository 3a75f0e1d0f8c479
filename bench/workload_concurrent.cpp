#include <fmt/format.h>

#include <future>
#include <thread>

#include "request_bodies.hpp"
#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {
namespace {

struct ClientOutcome {
  long requests = 0;
  long closed_by_server = 0;
  std::string error;  // why the client stopped early; empty when it did not
};

// One client: waits for the common start, then logs until its count or the
// deadline. A failed call ends this client only, and is reported, so that one
// dropped connection does not throw away what the others measured.
void run_one_client(int port, const std::string& run_id, int max_requests, std::shared_future<Clock::time_point> go,
                    double max_seconds, ClientOutcome& outcome) {
  RestClient client(port);
  const auto deadline = deadline_after(go.get(), max_seconds);
  try {
    for (long step = 0; step < max_requests && Clock::now() < deadline; ++step) {
      client.post("runs/log-metric",
                  log_metric_body(run_id, "concurrent", metric_value_at(step), metric_timestamp_at(step), step));
      ++outcome.requests;
    }
  } catch (const std::exception& error) {
    outcome.error = fmt::format("client on run {} failed after {} calls: {}", run_id, outcome.requests, error.what());
  }
  outcome.closed_by_server = client.closed_by_server();
}

}  // namespace

RequestRateResult run_concurrent_log_metric(int port, const std::vector<std::string>& run_ids,
                                            int requests_per_client, double max_seconds) {
  std::vector<ClientOutcome> outcomes(run_ids.size());
  std::promise<Clock::time_point> start_signal;
  const std::shared_future<Clock::time_point> go = start_signal.get_future().share();
  std::vector<std::thread> clients;
  clients.reserve(run_ids.size());
  for (std::size_t i = 0; i < run_ids.size(); ++i) {
    clients.emplace_back(run_one_client, port, std::cref(run_ids[i]), requests_per_client, go, max_seconds,
                         std::ref(outcomes[i]));
  }
  const auto start = Clock::now();
  start_signal.set_value(start);
  for (auto& client : clients) client.join();
  RequestRateResult result;
  result.seconds = seconds_between(start, Clock::now());
  for (const auto& outcome : outcomes) {
    result.requests += outcome.requests;
    result.closed_by_server += outcome.closed_by_server;
    if (!outcome.error.empty()) {
      ++result.failed_clients;
      if (result.first_error.empty()) result.first_error = outcome.error;
    }
  }
  return result;
}

}  // namespace mlflowcpp::bench
