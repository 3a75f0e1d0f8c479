// client_bench: what MlflowClient adds on top of the HTTP round trip.
//
// It starts the real `mlflowcpp server` (through the test launcher in
// tests/testing) over a fresh SQLite database on a free loopback port, then:
//   1. log_metric overhead: a raw libcurl POST of the same JSON body the client
//      sends, on one reused connection, alternating call by call with
//      MlflowClient::log_metric, so both see the same server and machine noise;
//      prints both latency distributions, their difference and their ratio.
//      A third call in each round sends the prepared body through the client's
//      Connection (libcurl handle pool and retry layer, no JSON work), which
//      splits the overhead between transport and API layer; a timing wrapper
//      around the client's own Connection gives the client's time outside
//      send() in the same calls.
//   2. client-side work alone: log_metric through a Connection that answers at
//      once (JSON building, error mapping; no network).
//   3. log_batch throughput: one log_batch call of many metrics, which the
//      client splits into requests of 1,000 points.
// Every call must succeed: a benchmark that timed error answers would lie.
// See BENCHMARKS.md ("Client") for the command and recorded results.

#include <curl/curl.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "count_flags.hpp"
#include "testing/server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double micros_between(Clock::time_point start, Clock::time_point end) {
  return std::chrono::duration<double, std::micro>(end - start).count();
}

struct Settings {
  int log_metric_calls = 5000;  // timed rounds (raw, client, transport)
  int warmup_calls = 300;
  int null_connection_calls = 200000;
  int batch_metrics = 100000;
};

Settings parse_settings(int argc, char** argv) {
  Settings settings;
  mlflowcpp::bench::CountFlags(
      "usage: client_bench [--calls N] [--warmup N] [--null-calls N] [--batch-metrics N]\n"
      "  --calls N          timed log_metric rounds (raw libcurl, MlflowClient, Connection) [5000]\n"
      "  --warmup N         untimed rounds before timing [300]\n"
      "  --null-calls N     log_metric calls through a connection that answers at once [200000]\n"
      "  --batch-metrics N  metrics in the timed log_batch call [100000]\n")
      .add("--calls", settings.log_metric_calls)
      .add("--warmup", settings.warmup_calls)
      .add("--null-calls", settings.null_connection_calls)
      .add("--batch-metrics", settings.batch_metrics)
      .parse(argc, argv);
  return settings;
}

// Latency distribution of one kind of call, in microseconds.
struct Summary {
  double p50 = 0, p90 = 0, p99 = 0, mean = 0;
};

Summary summarize(std::vector<double> samples) {
  Summary summary;
  if (samples.empty()) return summary;
  std::sort(samples.begin(), samples.end());
  auto at = [&](double quantile) { return samples[static_cast<std::size_t>(quantile * (samples.size() - 1))]; };
  summary.p50 = at(0.50);
  summary.p90 = at(0.90);
  summary.p99 = at(0.99);
  double total = 0;
  for (double sample : samples) total += sample;
  summary.mean = total / static_cast<double>(samples.size());
  return summary;
}

// The baseline: a bare libcurl handle that POSTs a prepared body and checks for
// 200, with nothing else around it. It reuses its connection like the client does.
class RawLogMetricPoster {
 public:
  explicit RawLogMetricPoster(const std::string& base_url)
      : url_(base_url + "/api/2.0/mlflow/runs/log-metric"),
        curl_(curl_easy_init(), curl_easy_cleanup),
        headers_(curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all) {
    if (!curl_ || !headers_) throw std::runtime_error("libcurl could not be initialised");
    curl_easy_setopt(curl_.get(), CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl_.get(), CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(curl_.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_.get(), CURLOPT_WRITEFUNCTION, &RawLogMetricPoster::discard);
  }

  void post(const std::string& body) {
    curl_easy_setopt(curl_.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl_.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    CURLcode result = curl_easy_perform(curl_.get());
    if (result != CURLE_OK) throw std::runtime_error(std::string("raw POST failed: ") + curl_easy_strerror(result));
    long status = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) throw std::runtime_error("raw POST answered HTTP " + std::to_string(status));
  }

 private:
  static size_t discard(char*, size_t size, size_t count, void*) { return size * count; }

  std::string url_;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers_;
};

// The body MlflowClient::log_metric sends (same fields, same order, same size),
// so the two sides of the comparison move the same bytes.
std::string log_metric_body(const std::string& run_id, const std::string& key, int64_t timestamp, int64_t step) {
  return "{\"key\":\"" + key + "\",\"run_id\":\"" + run_id + "\",\"run_uuid\":\"" + run_id +
         "\",\"step\":" + std::to_string(step) + ",\"timestamp\":" + std::to_string(timestamp) + ",\"value\":0.5}";
}

// Answers every request at once with "{}": the client's own work, without the network.
class InstantConnection : public mlflowcpp::Connection {
 public:
  mlflowcpp::HttpResponse send(const mlflowcpp::HttpRequest&) override { return {200, "{}", {}}; }
};

// Passes requests on and remembers how long the last one took, so the time a
// client call spends outside its Connection can be told apart from the network.
class TimedConnection : public mlflowcpp::Connection {
 public:
  explicit TimedConnection(std::shared_ptr<mlflowcpp::Connection> inner) : inner_(std::move(inner)) {}

  mlflowcpp::HttpResponse send(const mlflowcpp::HttpRequest& request) override {
    auto start = Clock::now();
    mlflowcpp::HttpResponse response = inner_->send(request);
    last_send_micros_ = micros_between(start, Clock::now());
    return response;
  }

  // Single-threaded use only: the benchmark calls from one thread.
  double last_send_micros() const { return last_send_micros_; }

 private:
  std::shared_ptr<mlflowcpp::Connection> inner_;
  double last_send_micros_ = 0;
};

void print_summary(const char* label, const Summary& summary) {
  std::printf("  %-23s p50 %8.1f  p90 %8.1f  p99 %8.1f  mean %8.1f us\n", label, summary.p50, summary.p90,
              summary.p99, summary.mean);
}

int run(const Settings& settings) {
  mlflowcpp::testing::ServerProcess server;
  std::printf("server: %s (SQLite in %s)\n", server.base_url().c_str(), server.work_dir().c_str());

  mlflowcpp::ClientOptions options;
  options.tracking_uri = server.base_url();
  options.max_retries = 0;  // a failure must show, not be retried into the timings
  auto timed_connection = std::make_shared<TimedConnection>(mlflowcpp::make_connection(options));
  mlflowcpp::MlflowClient client(timed_connection);
  mlflowcpp::CreateRunRequest create;
  create.experiment_id = "0";
  create.run_name = "client-bench";
  const std::string run_id = client.create_run(create).info.run_id;

  RawLogMetricPoster raw(server.base_url());
  // The client's own transport, used directly: a second connection pool.
  std::shared_ptr<mlflowcpp::Connection> transport = mlflowcpp::make_connection(options);
  constexpr int64_t kTimestamp = 1700000000000;
  struct Samples {
    std::vector<double> raw, transport, client;
    std::vector<double> client_outside_send;  // client time minus its Connection::send time
  };
  // Keys of equal length, so all sides send bodies of equal size. The three
  // calls of a round take turns at going first: a call that follows another
  // one closely can pay for server work still finishing after its answer, and
  // rotating spreads that cost evenly instead of charging one side with it.
  auto one_round = [&](int64_t step, Samples* samples) {
    std::string raw_body = log_metric_body(run_id, "raw", kTimestamp, step);
    mlflowcpp::HttpRequest transport_request{"POST", "/api/2.0/mlflow/runs/log-metric", {},
                                             log_metric_body(run_id, "trn", kTimestamp, step)};
    double raw_micros = 0, client_micros = 0, transport_micros = 0, outside_send_micros = 0;
    auto time_raw = [&] {
      auto start = Clock::now();
      raw.post(raw_body);
      raw_micros = micros_between(start, Clock::now());
    };
    auto time_client = [&] {
      auto start = Clock::now();
      client.log_metric(run_id, "lib", 0.5, mlflowcpp::MetricOptions{step, kTimestamp});
      client_micros = micros_between(start, Clock::now());
      outside_send_micros = client_micros - timed_connection->last_send_micros();
    };
    auto time_transport = [&] {
      auto start = Clock::now();
      mlflowcpp::HttpResponse response = transport->send(transport_request);
      transport_micros = micros_between(start, Clock::now());
      if (response.status != 200) {
        throw std::runtime_error("Connection::send answered HTTP " + std::to_string(response.status));
      }
    };
    switch (step % 3) {
      case 0: time_raw(); time_client(); time_transport(); break;
      case 1: time_client(); time_transport(); time_raw(); break;
      default: time_transport(); time_raw(); time_client(); break;
    }
    if (!samples) return;
    samples->raw.push_back(raw_micros);
    samples->client.push_back(client_micros);
    samples->transport.push_back(transport_micros);
    samples->client_outside_send.push_back(outside_send_micros);
  };

  // 1. log_metric: raw vs client (vs the client's transport), alternating.
  for (int i = 0; i < settings.warmup_calls; ++i) one_round(i, nullptr);
  Samples samples;
  for (int i = 0; i < settings.log_metric_calls; ++i) one_round(settings.warmup_calls + i, &samples);
  const std::vector<double>& raw_samples = samples.raw;
  const std::vector<double>& client_samples = samples.client;
  Summary raw_summary = summarize(raw_samples);
  Summary transport_summary = summarize(samples.transport);
  Summary client_summary = summarize(client_samples);
  // The per-call difference, round by round: less sensitive to slow drifts of the machine.
  std::vector<double> differences(raw_samples.size());
  for (std::size_t i = 0; i < raw_samples.size(); ++i) differences[i] = client_samples[i] - raw_samples[i];
  Summary difference_summary = summarize(differences);
  constexpr double kTargetMicros = 20.0;
  std::printf("\nlog_metric, %d alternating rounds after %d warm-up rounds (one keep-alive connection each):\n",
              settings.log_metric_calls, settings.warmup_calls);
  print_summary("raw libcurl POST", raw_summary);
  print_summary("Connection::send", transport_summary);
  print_summary("MlflowClient", client_summary);
  print_summary("client - raw, per round", difference_summary);
  print_summary("client outside send()", summarize(samples.client_outside_send));
  // The verdict uses the median of the per-round differences: both calls of a
  // round ran under the same load, so machine noise largely cancels out, while
  // the difference of the two medians moves with it by several microseconds.
  std::printf("  overhead per call: median of per-round differences %.1f us (target < %.0f us: %s);\n"
              "    difference of medians %.1f us, of means %.1f us; ratio client/raw p50 %.3f\n",
              difference_summary.p50, kTargetMicros, difference_summary.p50 < kTargetMicros ? "met" : "MISSED",
              client_summary.p50 - raw_summary.p50, client_summary.mean - raw_summary.mean,
              client_summary.p50 / raw_summary.p50);

  // 2. Client-side work alone.
  mlflowcpp::MlflowClient instant_client(std::make_shared<InstantConnection>());
  auto n0 = Clock::now();
  for (int i = 0; i < settings.null_connection_calls; ++i) {
    instant_client.log_metric(run_id, "loss", 0.5, mlflowcpp::MetricOptions{i, kTimestamp});
  }
  double per_call = micros_between(n0, Clock::now()) / settings.null_connection_calls;
  std::printf("\nclient-side work per log_metric (connection answers at once, %d calls): %.2f us\n",
              settings.null_connection_calls, per_call);

  // 3. log_batch throughput. Bodies are built inside the call: that is part of the client's work.
  std::vector<mlflowcpp::Metric> metrics;
  metrics.reserve(settings.batch_metrics);
  for (int i = 0; i < settings.batch_metrics; ++i) {
    metrics.push_back({"batch" + std::to_string(i % 10), i * 0.1, kTimestamp + i, i});
  }
  auto b0 = Clock::now();
  client.log_batch(run_id, metrics);
  double seconds = std::chrono::duration<double>(Clock::now() - b0).count();
  auto stored = client.get_metric_history(run_id, "batch0");
  std::size_t expected = static_cast<std::size_t>((settings.batch_metrics + 9) / 10);
  if (stored.size() != expected) {
    throw std::runtime_error("log_batch stored " + std::to_string(stored.size()) + " points of batch0, expected " +
                             std::to_string(expected));
  }
  std::printf("\nlog_batch of %d metrics (%d requests of <= 1000): %.3f s = %.0f metrics/s\n", settings.batch_metrics,
              (settings.batch_metrics + 999) / 1000, seconds, settings.batch_metrics / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Settings settings = parse_settings(argc, argv);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int code = run(settings);
    curl_global_cleanup();
    return code;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "client_bench: %s\n", error.what());
    return 1;
  }
}
