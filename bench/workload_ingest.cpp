#include "request_bodies.hpp"
#include "rest_client.hpp"
#include "workloads.hpp"

#include <atomic>
#include <exception>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

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

IngestResult run_concurrent_batch_ingest(int port, const std::vector<std::string>& run_ids, int batches_per_client,
                                         int batch_size, double max_seconds) {
  std::vector<std::vector<std::string>> bodies(run_ids.size());
  for (std::size_t client = 0; client < run_ids.size(); ++client) {
    for (int batch = 0; batch < batches_per_client; ++batch) {
      bodies[client].push_back(
          log_batch_body(run_ids[client], "loss", static_cast<long long>(batch) * batch_size, batch_size));
    }
  }
  std::promise<Clock::time_point> start_signal;
  const std::shared_future<Clock::time_point> go = start_signal.get_future().share();
  std::atomic<long> batches_sent{0};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  std::vector<std::thread> clients;
  clients.reserve(run_ids.size());
  for (std::size_t client = 0; client < run_ids.size(); ++client) {
    clients.emplace_back([&, client] {
      try {
        RestClient connection(port);
        const auto deadline = deadline_after(go.get(), max_seconds);
        for (const std::string& body : bodies[client]) {
          if (Clock::now() >= deadline) break;
          connection.post("runs/log-batch", body);
          ++batches_sent;
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
      }
    });
  }
  const auto start = Clock::now();
  start_signal.set_value(start);
  for (auto& client : clients) client.join();
  if (first_error) std::rethrow_exception(first_error);
  IngestResult result;
  result.seconds = seconds_between(start, Clock::now());
  result.batches = batches_sent.load();
  result.metrics = result.batches * batch_size;
  return result;
}

}  // namespace mlflowcpp::bench
