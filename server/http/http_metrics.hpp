#pragma once

// The request metrics of `--expose-prometheus`: per route pattern, method and
// status, a duration histogram (the buckets of prometheus_client), plus the
// body bytes of the artifact routes. Rendered as the series MLflow's exporter
// (prometheus_flask_exporter with the prefix "mlflow", grouped by MLflow
// version) publishes, and as mlflowcpp_http_* series labelled by route pattern.
//
// Recording is lock-free: the route slots are fixed when index_routes() runs,
// before serving; each slot holds, per method, a list of per-status cells that
// only ever grows at its head (compare-and-swap), and a cell is a set of
// atomic counters. Rendering reads the same atomics and takes no lock.

#include "server/http/route.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mlflowcpp::server::http {

class Router;

// The upper bounds of the duration buckets, in seconds (prometheus_client's defaults), then +Inf.
inline constexpr std::size_t kDurationBucketCount = 15;

class HttpMetrics {
 public:
  // `mlflow_version` labels MLflow's series (`mlflow_version`), `exporter_version` the exporter_info gauge.
  HttpMetrics(std::string mlflow_version, std::string exporter_version);
  ~HttpMetrics();
  HttpMetrics(const HttpMetrics&) = delete;
  HttpMetrics& operator=(const HttpMetrics&) = delete;

  // Once, after every route is registered and before the first request: a slot per route pattern.
  void index_routes(Router& router);

  // One finished request. `route_pattern` empty: no route matched (one label for all such paths).
  void record(std::string_view method, std::string_view route_pattern, int status,
              std::chrono::steady_clock::duration duration, std::uint64_t bytes_received, std::uint64_t bytes_sent);

  // Appends every series in the text exposition format.
  void render(std::string& out) const;

  // The path label of requests no route matched.
  static constexpr std::string_view kUnmatchedPath = "unmatched";

 private:
  static constexpr std::size_t kMethodCount = 8;  // GET HEAD POST PUT PATCH DELETE OPTIONS, then any other

  // One (route, method, status): counts per bucket (not cumulative) and the summed duration.
  struct Cell {
    Cell(int status_code, Cell* next_cell, std::string labels)
        : status(status_code), next(next_cell), series_labels(std::move(labels)) {}
    const int status;
    Cell* const next;
    // `method="GET",path="/x",status="200",`: made once, so a scrape only copies it.
    const std::string series_labels;
    std::array<std::atomic<std::uint64_t>, kDurationBucketCount> buckets{};
    std::atomic<std::uint64_t> duration_sum_ns{0};
  };
  struct RouteSlot {
    std::string pattern;
    ApiFamily family = ApiFamily::kServer;
    // Not in MLflow's series: its exporter leaves out /health and /version (and /metrics itself).
    bool excluded_from_mlflow_series = false;
    std::array<std::atomic<Cell*>, kMethodCount> cells{};
  };

  static std::size_t method_slot(std::string_view method);
  static std::string_view method_name(std::size_t slot);
  void free_cells();
  Cell& cell_for(RouteSlot& slot, std::size_t method, int status);
  // A scrape's size, to reserve the next one's buffer at once.
  mutable std::atomic<std::size_t> last_render_bytes_{0};
  void render_mlflow_series(std::string& out) const;
  void render_route_series(std::string& out) const;

  std::string mlflow_version_;
  std::string exporter_version_;
  // slots_[0] is the unmatched slot; the pattern index points into slots_' own strings.
  std::unique_ptr<RouteSlot[]> slots_;
  std::size_t slot_count_ = 0;
  std::unordered_map<std::string_view, std::size_t> slot_of_pattern_;
  std::atomic<std::uint64_t> artifact_bytes_received_{0};
  std::atomic<std::uint64_t> artifact_bytes_sent_{0};
};

}  // namespace mlflowcpp::server::http
