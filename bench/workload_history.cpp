#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

LatencySamples run_history_reads(int port, const std::string& run_id, const std::string& key, long expected_points,
                                 int max_queries, double max_seconds) {
  RestClient client(port);
  const std::vector<std::pair<std::string, std::string>> query = {{"run_id", run_id}, {"metric_key", key}};
  LatencySamples latencies;
  std::string last_answer;
  const auto deadline = deadline_after(Clock::now(), max_seconds);
  for (int call = 0; call < max_queries && Clock::now() < deadline; ++call) {
    const auto call_start = Clock::now();
    last_answer = client.get("metrics/get-history", query);
    latencies.add(Clock::now() - call_start);
  }
  // Checked after the timing, on the last answer: parsing megabytes of JSON is
  // the client's cost, not the server's.
  const auto answer = nlohmann::json::parse(last_answer);
  const auto points = answer.value("metrics", nlohmann::json::array()).size();
  if (static_cast<long>(points) != expected_points) {
    throw std::runtime_error(fmt::format("get-history returned {} points, expected {}", points, expected_points));
  }
  return latencies;
}

}  // namespace mlflowcpp::bench
