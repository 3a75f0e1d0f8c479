#pragma once

// The store series of `--expose-prometheus`: what the stores report through
// store::StoreMetrics, kept in atomics and rendered in Prometheus' text format,
// together with the HTTP edge's open connections (read when a scrape renders).
//
// Recording is a few relaxed atomic adds; rendering reads the same atomics and
// takes no lock a request holds.

#include "server/http/open_connections.hpp"
#include "server/store/store_metrics.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace mlflowcpp::server::http {

class StoreMetricsSeries final : public store::StoreMetrics {
 public:
  // Upper bounds of the database call duration buckets (seconds), then +Inf: store calls are mostly well
  // below the HTTP histogram's first bucket (5 ms).
  static constexpr std::size_t kDurationBucketCount = 17;
  // Upper bounds of the group-commit size buckets (jobs), then +Inf; the writer caps a group at 512.
  static constexpr std::size_t kGroupBucketCount = 11;

  void database_call(store::DatabaseCall call, std::chrono::steady_clock::duration duration) override;
  void writer_queue_changed(int delta) override;
  void group_committed(std::size_t jobs) override;
  void pool_connections(std::size_t in_use, std::size_t idle) override;

  // The edge's open connections, read at each scrape; must not take a lock a request holds.
  void set_open_connections(std::function<ConnectionCounts()> counts) { open_connections_ = std::move(counts); }

  // Appends every series in the text exposition format.
  void render(std::string& out) const;

 private:
  struct DurationHistogram {
    std::array<std::atomic<std::uint64_t>, kDurationBucketCount> buckets{};
    std::atomic<std::uint64_t> sum_ns{0};
  };

  std::array<DurationHistogram, 2> calls_{};  // by store::DatabaseCall
  std::atomic<std::int64_t> writer_queue_depth_{0};
  std::array<std::atomic<std::uint64_t>, kGroupBucketCount> group_buckets_{};
  std::atomic<std::uint64_t> group_jobs_sum_{0};
  // PostgreSQL only: set once the pool reported, so a SQLite server shows no pool series.
  std::atomic<bool> pool_reported_{false};
  std::atomic<std::uint64_t> pool_in_use_{0};
  std::atomic<std::uint64_t> pool_idle_{0};
  std::function<ConnectionCounts()> open_connections_;
};

}  // namespace mlflowcpp::server::http
