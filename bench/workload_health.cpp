#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

RequestRateResult run_health_baseline(int port, int max_requests, double max_seconds) {
  RestClient client(port);
  RequestRateResult result;
  result.latencies.reserve(static_cast<std::size_t>(max_requests));
  const auto start = Clock::now();
  const auto deadline = deadline_after(start, max_seconds);
  auto request_start = start;
  for (long call = 0; call < max_requests && request_start < deadline; ++call) {
    client.get_outside_api("/health");
    const auto request_end = Clock::now();
    result.latencies.add(request_end - request_start);
    ++result.requests;
    request_start = request_end;
  }
  result.seconds = seconds_between(start, request_start);
  result.closed_by_server = client.closed_by_server();
  return result;
}

}  // namespace mlflowcpp::bench
