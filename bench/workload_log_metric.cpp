#include "request_bodies.hpp"
#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

Clock::time_point deadline_after(Clock::time_point start, double seconds) {
  return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

RequestRateResult run_single_log_metric(int port, const std::string& run_id, int max_requests, double max_seconds) {
  RestClient client(port);
  RequestRateResult result;
  result.latencies.reserve(static_cast<std::size_t>(max_requests));
  const auto start = Clock::now();
  const auto deadline = deadline_after(start, max_seconds);
  auto request_start = start;
  for (long step = 0; step < max_requests && request_start < deadline; ++step) {
    client.post("runs/log-metric",
                log_metric_body(run_id, "throughput", metric_value_at(step), metric_timestamp_at(step), step));
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
