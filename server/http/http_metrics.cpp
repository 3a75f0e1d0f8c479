#include "server/http/http_metrics.hpp"

#include "server/http/prometheus_text.hpp"
#include "server/http/router.hpp"

#include <fmt/format.h>

#include <iterator>
#include <map>
#include <set>
#include <utility>

namespace mlflowcpp::server::http {
namespace {

using Nanoseconds = std::chrono::nanoseconds;

// Upper bounds in nanoseconds, and as prometheus_client writes them in `le` (dashboards match the text).
constexpr std::array<std::int64_t, kDurationBucketCount - 1> kBucketBoundsNs = {
    5'000'000,   10'000'000,  25'000'000,    50'000'000,    75'000'000,    100'000'000,   250'000'000,
    500'000'000, 750'000'000, 1'000'000'000, 2'500'000'000, 5'000'000'000, 7'500'000'000, 10'000'000'000};
constexpr std::array<std::string_view, kDurationBucketCount> kBucketLabels = {"0.005", "0.01", "0.025", "0.05", "0.075",
                                                                              "0.1",   "0.25", "0.5",   "0.75", "1.0",
                                                                              "2.5",   "5.0",  "7.5",   "10.0", "+Inf"};

constexpr std::array<std::string_view, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "OTHER"};

std::size_t bucket_of(std::chrono::steady_clock::duration duration) {
  return prometheus::bucket_index(std::chrono::duration_cast<Nanoseconds>(duration).count(), kBucketBoundsNs);
}

// MLflow's exporter leaves these paths out (matched as prefixes, as its regular expressions match).
bool excluded_from_mlflow_series(std::string_view pattern) {
  return pattern.rfind("/health", 0) == 0 || pattern.rfind("/version", 0) == 0 || pattern == "/metrics";
}

struct HistogramSums {
  std::array<std::uint64_t, kDurationBucketCount> buckets{};
  std::uint64_t duration_sum_ns = 0;
};

// A histogram's lines; `labels` are the series' other labels ("a=\"b\",").
void append_histogram(std::string& out, std::string_view name, std::string_view labels, const HistogramSums& sums) {
  prometheus::append_histogram(out, name, labels, sums.buckets.data(), kBucketLabels.data(), kDurationBucketCount,
                               static_cast<double>(sums.duration_sum_ns) / 1e9);
}

std::string label(std::string_view name, std::string_view value) {
  std::string text(name);
  text.append("=\"");
  prometheus::append_label_value(text, value);
  text.append("\",");
  return text;
}

}  // namespace

HttpMetrics::HttpMetrics(std::string mlflow_version, std::string exporter_version)
    : mlflow_version_(std::move(mlflow_version)),
      exporter_version_(std::move(exporter_version)),
      slots_(std::make_unique<RouteSlot[]>(1)),
      slot_count_(1) {
  slots_[0].pattern = std::string(kUnmatchedPath);
}

HttpMetrics::~HttpMetrics() { free_cells(); }

void HttpMetrics::free_cells() {
  for (std::size_t s = 0; s < slot_count_; ++s) {
    for (auto& head : slots_[s].cells) {
      for (Cell* cell = head.load(); cell != nullptr;) {
        Cell* next = cell->next;
        delete cell;
        cell = next;
      }
      head.store(nullptr);
    }
  }
}

void HttpMetrics::index_routes(Router& router) {
  // Distinct patterns in a stable order, so scrapes list routes alike.
  std::map<std::string, ApiFamily> patterns;
  router.for_each_route([&patterns](Route& route) { patterns.emplace(route.pattern, route.family); });
  auto slots = std::make_unique<RouteSlot[]>(patterns.size() + 1);
  slots[0].pattern = std::string(kUnmatchedPath);
  std::size_t index = 1;
  for (const auto& [pattern, family] : patterns) {
    slots[index].pattern = pattern;
    slots[index].family = family;
    slots[index].excluded_from_mlflow_series = excluded_from_mlflow_series(pattern);
    ++index;
  }
  free_cells();  // cells recorded before the index (none in a server that indexes before serving)
  slots_ = std::move(slots);
  slot_count_ = index;
  slot_of_pattern_.clear();
  for (std::size_t s = 1; s < slot_count_; ++s) slot_of_pattern_.emplace(slots_[s].pattern, s);
}

std::size_t HttpMetrics::method_slot(std::string_view method) {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (kMethods[i] == method) return i;
  }
  return kMethods.size() - 1;
}

std::string_view HttpMetrics::method_name(std::size_t slot) { return kMethods[slot]; }

HttpMetrics::Cell& HttpMetrics::cell_for(RouteSlot& slot, std::size_t method, int status) {
  std::atomic<Cell*>& head = slot.cells[method];
  Cell* first = head.load(std::memory_order_acquire);
  for (;;) {
    for (Cell* cell = first; cell != nullptr; cell = cell->next) {
      if (cell->status == status) return *cell;
    }
    // A status not seen yet on this route and method: publish a new cell at the head. If another thread got
    // there first, look again from the new head (it may have added this very status).
    auto* fresh = new Cell(
        status, first,
        label("method", method_name(method)) + label("path", slot.pattern) + label("status", std::to_string(status)));
    if (head.compare_exchange_strong(first, fresh, std::memory_order_acq_rel, std::memory_order_acquire)) {
      return *fresh;
    }
    delete fresh;
  }
}

void HttpMetrics::record(std::string_view method, std::string_view route_pattern, int status,
                         std::chrono::steady_clock::duration duration, std::uint64_t bytes_received,
                         std::uint64_t bytes_sent) {
  std::size_t index = 0;
  if (!route_pattern.empty()) {
    if (const auto found = slot_of_pattern_.find(route_pattern); found != slot_of_pattern_.end()) {
      index = found->second;
    }
  }
  RouteSlot& slot = slots_[index];
  Cell& cell = cell_for(slot, method_slot(method), status);
  cell.buckets[bucket_of(duration)].fetch_add(1, std::memory_order_relaxed);
  const auto ns = std::chrono::duration_cast<Nanoseconds>(duration).count();
  cell.duration_sum_ns.fetch_add(static_cast<std::uint64_t>(ns > 0 ? ns : 0), std::memory_order_relaxed);
  if (slot.family == ApiFamily::kArtifactProxy || slot.family == ApiFamily::kArtifactFiles) {
    artifact_bytes_received_.fetch_add(bytes_received, std::memory_order_relaxed);
    artifact_bytes_sent_.fetch_add(bytes_sent, std::memory_order_relaxed);
  }
}

void HttpMetrics::render(std::string& out) const {
  out.reserve(out.size() + last_render_bytes_.load(std::memory_order_relaxed) + 4096);
  const std::size_t start = out.size();
  render_mlflow_series(out);
  render_route_series(out);
  last_render_bytes_.store(out.size() - start, std::memory_order_relaxed);
}

void HttpMetrics::render_mlflow_series(std::string& out) const {
  // MLflow's series count every route alike: sum the cells by method and status.
  std::map<std::pair<std::size_t, int>, HistogramSums> by_method_status;
  for (std::size_t s = 0; s < slot_count_; ++s) {
    const RouteSlot& slot = slots_[s];
    if (slot.excluded_from_mlflow_series) continue;
    for (std::size_t m = 0; m < kMethodCount; ++m) {
      for (const Cell* cell = slot.cells[m].load(std::memory_order_acquire); cell; cell = cell->next) {
        HistogramSums& sums = by_method_status[{m, cell->status}];
        for (std::size_t b = 0; b < kDurationBucketCount; ++b) {
          sums.buckets[b] += cell->buckets[b].load(std::memory_order_relaxed);
        }
        sums.duration_sum_ns += cell->duration_sum_ns.load(std::memory_order_relaxed);
      }
    }
  }

  prometheus::append_family(out, "mlflow_exporter_info", "Information about the Prometheus Flask exporter", "gauge");
  out.append("mlflow_exporter_info{version=\"");
  prometheus::append_label_value(out, exporter_version_);
  out.append("\"} 1.0\n");

  prometheus::append_family(out, "mlflow_http_request_duration_seconds", "Flask HTTP request duration in seconds",
                            "histogram");
  const std::string version_label = label("mlflow_version", mlflow_version_);
  for (const auto& [key, sums] : by_method_status) {
    const std::string labels =
        label("method", method_name(key.first)) + version_label + label("status", std::to_string(key.second));
    append_histogram(out, "mlflow_http_request_duration_seconds", labels, sums);
  }

  prometheus::append_family(out, "mlflow_http_request_total", "Total number of HTTP requests", "counter");
  for (const auto& [key, sums] : by_method_status) {
    std::uint64_t count = 0;
    for (const auto bucket : sums.buckets) count += bucket;
    fmt::format_to(std::back_inserter(out), "mlflow_http_request_total{{method=\"{}\",status=\"{}\"}} {}\n",
                   method_name(key.first), key.second, count);
  }

  // Requests whose handler failed unexpectedly (the server's only 500s).
  prometheus::append_family(out, "mlflow_http_request_exceptions_total",
                            "Total number of HTTP requests which resulted in an exception", "counter");
  for (const auto& [key, sums] : by_method_status) {
    if (key.second != 500) continue;
    std::uint64_t count = 0;
    for (const auto bucket : sums.buckets) count += bucket;
    fmt::format_to(std::back_inserter(out), "mlflow_http_request_exceptions_total{{method=\"{}\",status=\"{}\"}} {}\n",
                   method_name(key.first), key.second, count);
  }
}

void HttpMetrics::render_route_series(std::string& out) const {
  prometheus::append_family(out, "mlflowcpp_http_request_duration_seconds",
                            "HTTP request duration in seconds by route pattern", "histogram");
  for (std::size_t s = 0; s < slot_count_; ++s) {
    const RouteSlot& slot = slots_[s];
    for (std::size_t m = 0; m < kMethodCount; ++m) {
      const Cell* first = slot.cells[m].load(std::memory_order_acquire);
      if (first == nullptr) continue;
      // Statuses in a stable order: the list holds them newest first.
      std::map<int, const Cell*> by_status;
      for (const Cell* cell = first; cell; cell = cell->next) by_status.emplace(cell->status, cell);
      for (const auto& [status, cell] : by_status) {
        HistogramSums sums;
        for (std::size_t b = 0; b < kDurationBucketCount; ++b) {
          sums.buckets[b] = cell->buckets[b].load(std::memory_order_relaxed);
        }
        sums.duration_sum_ns = cell->duration_sum_ns.load(std::memory_order_relaxed);
        append_histogram(out, "mlflowcpp_http_request_duration_seconds", cell->series_labels, sums);
      }
    }
  }

  prometheus::append_family(out, "mlflowcpp_artifact_bytes_received_total",
                            "Request body bytes received by the artifact routes", "counter");
  out.append("mlflowcpp_artifact_bytes_received_total ");
  prometheus::append_value(out, artifact_bytes_received_.load(std::memory_order_relaxed));
  out.push_back('\n');
  prometheus::append_family(out, "mlflowcpp_artifact_bytes_sent_total",
                            "Response body bytes sent by the artifact routes", "counter");
  out.append("mlflowcpp_artifact_bytes_sent_total ");
  prometheus::append_value(out, artifact_bytes_sent_.load(std::memory_order_relaxed));
  out.push_back('\n');
}

}  // namespace mlflowcpp::server::http
