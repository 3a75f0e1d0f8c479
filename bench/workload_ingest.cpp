#include "request_bodies.hpp"
#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {

IngestResult run_batch_ingest(int port, const std::string& run_id, const std::string& key, long long first_step,
                              int max_batches, int batch_size, double max_seconds) {
  RestClient client(port);
  IngestResult result;
  result.next_step = first_step;
  const auto deadline = deadline_after(Clock::now(), max_seconds);
  Clock::duration inside_calls{0};
  while (result.batches < max_batches && Clock::now() < deadline) {
    // Built before the clock starts: only the server's work (and the loopback
    // transfer) is timed, not the client's formatting.
    const std::string body = log_batch_body(run_id, key, result.next_step, batch_size);
    const auto call_start = Clock::now();
    client.post("runs/log-batch", body);
    inside_calls += Clock::now() - call_start;
    ++result.batches;
    result.metrics += batch_size;
    result.next_step += batch_size;
  }
  result.seconds = std::chrono::duration<double>(inside_calls).count();
  return result;
}

}  // namespace mlflowcpp::bench
