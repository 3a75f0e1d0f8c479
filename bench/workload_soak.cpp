#include "workload_soak.hpp"

#include <httplib.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "latency_samples.hpp"
#include "process_stats.hpp"
#include "request_bodies.hpp"
#include "rest_client.hpp"
#include "workloads.hpp"

namespace mlflowcpp::bench {
namespace {

const std::string kMetricKey = "soak_point";
const std::string kBatchKey = "soak_batch";
const std::string kModelName = "soak-model";

// What every client adds to during the current interval; the sampler takes it
// at each interval's end.
class IntervalCounters {
 public:
  struct Taken {
    long requests = 0;
    long errors = 0;
    LatencySamples write_latencies;
  };

  void add_request() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++current_.requests;
  }
  void add_write(Clock::duration elapsed) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++current_.requests;
    current_.write_latencies.add(elapsed);
  }
  void add_error(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++current_.errors;
    if (first_error_.empty()) first_error_ = what;
  }
  Taken take() {
    std::lock_guard<std::mutex> lock(mutex_);
    Taken taken = std::move(current_);
    current_ = Taken{};
    return taken;
  }
  std::string first_error() {
    std::lock_guard<std::mutex> lock(mutex_);
    return first_error_;
  }

 private:
  std::mutex mutex_;
  Taken current_;
  std::string first_error_;
};

// Calls `call` about `per_second` times a second until `deadline`; a call
// that throws counts as an error (the client connection is then replaced by
// the caller's `call`, which gets a fresh client on its next run).
template <typename Call>
void paced(double per_second, Clock::time_point deadline, IntervalCounters& counters, Call call) {
  if (per_second <= 0) return;
  const auto period = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / per_second));
  auto next = Clock::now();
  for (long index = 0; Clock::now() < deadline; ++index) {
    try {
      call(index);
    } catch (const std::exception& error) {
      counters.add_error(error.what());
    }
    next += period;
    const auto now = Clock::now();
    // Behind schedule (a slow answer): go on from now rather than burst to catch up.
    if (next < now) next = now;
    std::this_thread::sleep_until(std::min(next, deadline));
  }
}

// The steps a writer logged and saw acknowledged, checked against the history at the end.
struct AcknowledgedSeries {
  std::string run_id;
  std::string key;
  std::vector<long long> steps;
};

long missing_steps(RestClient& client, const AcknowledgedSeries& series) {
  const auto answer =
      nlohmann::json::parse(client.get("metrics/get-history", {{"run_id", series.run_id}, {"metric_key", series.key}}));
  std::set<long long> found;
  for (const auto& point : answer.value("metrics", nlohmann::json::array())) {
    found.insert(point.at("step").get<long long>());
  }
  return static_cast<long>(
      std::count_if(series.steps.begin(), series.steps.end(), [&found](long long step) { return !found.count(step); }));
}

double file_mib(const std::filesystem::path& path) {
  std::error_code error;
  const auto bytes = std::filesystem::file_size(path, error);
  return error ? 0.0 : static_cast<double>(bytes) / (1024.0 * 1024.0);
}

}  // namespace

SoakResult run_soak(int port, pid_t server_pid, const std::filesystem::path& database_path, const SoakOptions& options,
                    const std::function<void(const SoakInterval&)>& on_interval) {
  const std::filesystem::path wal_path = database_path.string() + "-wal";
  RestClient setup(port);
  const std::string experiment_id = create_experiment(setup, "soak");
  std::vector<AcknowledgedSeries> series;
  for (int client = 0; client < options.metric_clients; ++client) {
    series.push_back({create_run(setup, experiment_id, fmt::format("metric-{}", client)), kMetricKey, {}});
  }
  for (int client = 0; client < options.batch_clients; ++client) {
    series.push_back({create_run(setup, experiment_id, fmt::format("batch-{}", client)), kBatchKey, {}});
  }
  setup.post("registered-models/create", nlohmann::json{{"name", kModelName}}.dump());

  IntervalCounters counters;
  const auto start = Clock::now();
  const auto deadline = deadline_after(start, options.seconds);
  std::vector<std::thread> clients;

  for (int client = 0; client < options.metric_clients; ++client) {
    AcknowledgedSeries& mine = series[static_cast<std::size_t>(client)];
    clients.emplace_back([&, port] {
      auto rest = std::make_unique<RestClient>(port);
      paced(options.metric_calls_per_second, deadline, counters, [&](long step) {
        if (!rest) rest = std::make_unique<RestClient>(port);
        const auto call_start = Clock::now();
        try {
          rest->post("runs/log-metric",
                     log_metric_body(mine.run_id, mine.key, metric_value_at(step), metric_timestamp_at(step), step));
        } catch (...) {
          rest.reset();
          throw;
        }
        counters.add_write(Clock::now() - call_start);
        mine.steps.push_back(step);
      });
    });
  }
  for (int client = 0; client < options.batch_clients; ++client) {
    AcknowledgedSeries& mine = series[static_cast<std::size_t>(options.metric_clients + client)];
    clients.emplace_back([&, port] {
      auto rest = std::make_unique<RestClient>(port);
      paced(options.batch_calls_per_second, deadline, counters, [&](long batch) {
        if (!rest) rest = std::make_unique<RestClient>(port);
        const long long first_step = static_cast<long long>(batch) * options.batch_size;
        const std::string body = log_batch_body(mine.run_id, mine.key, first_step, options.batch_size);
        const auto call_start = Clock::now();
        try {
          rest->post("runs/log-batch", body);
        } catch (...) {
          rest.reset();
          throw;
        }
        counters.add_write(Clock::now() - call_start);
        for (long long step = first_step; step < first_step + options.batch_size; ++step) mine.steps.push_back(step);
      });
    });
  }
  clients.emplace_back([&, port] {
    auto rest = std::make_unique<RestClient>(port);
    const std::string body =
        nlohmann::json{
            {"experiment_ids", {experiment_id}}, {"max_results", 50}, {"order_by", {"attributes.start_time DESC"}}}
            .dump();
    paced(options.search_calls_per_second, deadline, counters, [&](long) {
      if (!rest) rest = std::make_unique<RestClient>(port);
      try {
        rest->post("runs/search", body);
      } catch (...) {
        rest.reset();
        throw;
      }
      counters.add_request();
    });
  });
  clients.emplace_back([&, port] {
    httplib::Client http("127.0.0.1", port);
    http.set_keep_alive(true);
    http.set_read_timeout(60, 0);
    const std::string payload(static_cast<std::size_t>(options.artifact_bytes), 'a');
    paced(options.artifact_calls_per_second, deadline, counters, [&](long index) {
      const std::string path = fmt::format("/api/2.0/mlflow-artifacts/artifacts/soak/{}.bin", index % 100);
      const auto result = http.Put(path, payload, "application/octet-stream");
      if (!result) throw std::runtime_error("PUT " + path + ": " + httplib::to_string(result.error()));
      if (result->status != 200) throw std::runtime_error(fmt::format("PUT {}: HTTP {}", path, result->status));
      counters.add_request();
    });
  });
  clients.emplace_back([&, port] {
    auto rest = std::make_unique<RestClient>(port);
    paced(options.registry_calls_per_second, deadline, counters, [&](long index) {
      if (!rest) rest = std::make_unique<RestClient>(port);
      try {
        switch (index % 3) {
          case 0:
            rest->post("registered-models/set-tag", nlohmann::json{{"name", kModelName},
                                                                   {"key", fmt::format("tag-{}", index % 10)},
                                                                   {"value", std::to_string(index)}}
                                                        .dump());
            break;
          case 1:
            rest->get("registered-models/get", {{"name", kModelName}});
            break;
          default:
            rest->get("registered-models/search", {{"max_results", "10"}});
            break;
        }
      } catch (...) {
        rest.reset();
        throw;
      }
      counters.add_request();
    });
  });

  // The sampler: the WAL every second (its peak), one row every interval.
  SoakResult result;
  auto interval_start = start;
  auto next_row = deadline_after(start, options.interval_seconds);
  for (auto next_sample = start + std::chrono::seconds(1);; next_sample += std::chrono::seconds(1)) {
    std::this_thread::sleep_until(std::min({next_sample, next_row, deadline}));
    const auto now = Clock::now();
    result.peak_wal_mib = std::max(result.peak_wal_mib, file_mib(wal_path));
    const bool last = now >= deadline;
    if (now < next_row && !last) continue;
    auto taken = counters.take();
    SoakInterval row;
    row.end_seconds = seconds_between(start, now);
    row.requests_per_second =
        static_cast<double>(taken.requests) / std::max(1e-9, seconds_between(interval_start, now));
    row.write_calls = static_cast<long>(taken.write_latencies.count());
    row.write_p50_ms = taken.write_latencies.percentile_ms(50);
    row.write_p99_ms = taken.write_latencies.percentile_ms(99);
    row.write_max_ms = taken.write_latencies.percentile_ms(100);
    row.errors = taken.errors;
    row.resident_mib = read_process_memory(server_pid).resident_mib;
    row.threads = read_process_threads(server_pid);
    row.open_fds = count_open_fds(server_pid);
    row.wal_mib = file_mib(wal_path);
    result.requests += taken.requests;
    result.errors += taken.errors;
    result.intervals.push_back(row);
    on_interval(row);
    interval_start = now;
    next_row = deadline_after(next_row, options.interval_seconds);
    if (last) break;
  }
  for (auto& client : clients) client.join();
  // Calls that ended after the last row still count.
  const auto late = counters.take();
  result.requests += late.requests;
  result.errors += late.errors;
  result.first_error = counters.first_error();

  // The server trims its heap after a quiet second; give it a few. Read before the check below, whose long
  // history answers are no part of the soak.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  result.idle_resident_mib = read_process_memory(server_pid).resident_mib;
  for (const auto& written : series) {
    result.acknowledged_points += static_cast<long>(written.steps.size());
    result.missing_points += missing_steps(setup, written);
  }
  return result;
}

}  // namespace mlflowcpp::bench
