#include "server/http/store_metrics_series.hpp"

#include "server/http/prometheus_text.hpp"

#include <string_view>

namespace mlflowcpp::server::http {
namespace {

constexpr std::array<std::int64_t, StoreMetricsSeries::kDurationBucketCount - 1> kDurationBoundsNs = {
    100'000,    250'000,     500'000,     1'000'000,   2'500'000,     5'000'000,     10'000'000,    25'000'000,
    50'000'000, 100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 2'500'000'000, 5'000'000'000, 10'000'000'000};
constexpr std::array<std::string_view, StoreMetricsSeries::kDurationBucketCount> kDurationLabels = {
    "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",    "0.5",    "1.0",   "2.5",    "5.0",   "10.0", "+Inf"};

constexpr std::array<std::size_t, StoreMetricsSeries::kGroupBucketCount - 1> kGroupBounds = {1,  2,  4,   8,   16,
                                                                                             32, 64, 128, 256, 512};
constexpr std::array<std::string_view, StoreMetricsSeries::kGroupBucketCount> kGroupLabels = {
    "1.0", "2.0", "4.0", "8.0", "16.0", "32.0", "64.0", "128.0", "256.0", "512.0", "+Inf"};

constexpr std::array<std::string_view, 2> kCallNames = {"read", "write"};

std::size_t call_index(store::DatabaseCall call) { return call == store::DatabaseCall::kRead ? 0 : 1; }

void append_gauge(std::string& out, std::string_view name, std::string_view labels, std::uint64_t value) {
  out.append(name);
  if (!labels.empty()) out.append("{").append(labels).append("}");
  out.push_back(' ');
  prometheus::append_value(out, value);
  out.push_back('\n');
}

}  // namespace

void StoreMetricsSeries::database_call(store::DatabaseCall call, std::chrono::steady_clock::duration duration) {
  const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(duration).count();
  DurationHistogram& histogram = calls_[call_index(call)];
  histogram.buckets[prometheus::bucket_index(ns, kDurationBoundsNs)].fetch_add(1, std::memory_order_relaxed);
  histogram.sum_ns.fetch_add(static_cast<std::uint64_t>(ns > 0 ? ns : 0), std::memory_order_relaxed);
}

void StoreMetricsSeries::writer_queue_changed(int delta) {
  writer_queue_depth_.fetch_add(delta, std::memory_order_relaxed);
}

void StoreMetricsSeries::group_committed(std::size_t jobs) {
  group_buckets_[prometheus::bucket_index(jobs, kGroupBounds)].fetch_add(1, std::memory_order_relaxed);
  group_jobs_sum_.fetch_add(jobs, std::memory_order_relaxed);
}

void StoreMetricsSeries::pool_connections(std::size_t in_use, std::size_t idle) {
  // Called under the pool's lock, so the two stores are in order; a scrape may see them one change apart.
  pool_in_use_.store(in_use, std::memory_order_relaxed);
  pool_idle_.store(idle, std::memory_order_relaxed);
  pool_reported_.store(true, std::memory_order_relaxed);
}

void StoreMetricsSeries::render(std::string& out) const {
  prometheus::append_family(out, "mlflowcpp_store_database_duration_seconds",
                            "Time of the stores' database calls (waiting for a connection or the writer, running, "
                            "committing) by operation",
                            "histogram");
  for (std::size_t c = 0; c < calls_.size(); ++c) {
    std::array<std::uint64_t, kDurationBucketCount> counts{};
    for (std::size_t b = 0; b < kDurationBucketCount; ++b) {
      counts[b] = calls_[c].buckets[b].load(std::memory_order_relaxed);
    }
    const std::string labels = "operation=\"" + std::string(kCallNames[c]) + "\",";
    prometheus::append_histogram(out, "mlflowcpp_store_database_duration_seconds", labels, counts.data(),
                                 kDurationLabels.data(), counts.size(),
                                 static_cast<double>(calls_[c].sum_ns.load(std::memory_order_relaxed)) / 1e9);
  }

  prometheus::append_family(out, "mlflowcpp_sqlite_writer_queue_depth",
                            "SQLite write jobs waiting behind the group being committed", "gauge");
  const std::int64_t depth = writer_queue_depth_.load(std::memory_order_relaxed);
  append_gauge(out, "mlflowcpp_sqlite_writer_queue_depth", {}, static_cast<std::uint64_t>(depth > 0 ? depth : 0));

  prometheus::append_family(out, "mlflowcpp_sqlite_group_commit_jobs",
                            "SQLite write jobs per transaction of the group-committing writer", "histogram");
  std::array<std::uint64_t, kGroupBucketCount> group_counts{};
  for (std::size_t b = 0; b < kGroupBucketCount; ++b)
    group_counts[b] = group_buckets_[b].load(std::memory_order_relaxed);
  prometheus::append_histogram(out, "mlflowcpp_sqlite_group_commit_jobs", {}, group_counts.data(), kGroupLabels.data(),
                               group_counts.size(),
                               static_cast<double>(group_jobs_sum_.load(std::memory_order_relaxed)));

  if (pool_reported_.load(std::memory_order_relaxed)) {
    prometheus::append_family(out, "mlflowcpp_postgres_pool_connections",
                              "PostgreSQL pool connections by state (in_use: on loan or being opened)", "gauge");
    append_gauge(out, "mlflowcpp_postgres_pool_connections", "state=\"in_use\"",
                 pool_in_use_.load(std::memory_order_relaxed));
    append_gauge(out, "mlflowcpp_postgres_pool_connections", "state=\"idle\"",
                 pool_idle_.load(std::memory_order_relaxed));
  }

  if (open_connections_) {
    const ConnectionCounts counts = open_connections_();
    prometheus::append_family(out, "mlflowcpp_http_open_connections",
                              "HTTP connections open by state (busy: a request is being served)", "gauge");
    append_gauge(out, "mlflowcpp_http_open_connections", "state=\"busy\"", counts.busy);
    append_gauge(out, "mlflowcpp_http_open_connections", "state=\"idle\"", counts.idle);
  }
}

}  // namespace mlflowcpp::server::http
