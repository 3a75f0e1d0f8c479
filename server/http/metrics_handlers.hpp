#pragma once

// GET /metrics (`--expose-prometheus`): the request series of HttpMetrics and
// the store series (StoreMetricsSeries) and the process series, in Prometheus' text format 0.0.4. At the root whatever
// the static prefix, as MLflow's exporter serves it; with basic auth on, any
// signed-in user may read it, as on MLflow's server.

#include "server/http/http_metrics.hpp"
#include "server/http/process_metrics.hpp"
#include "server/http/route_group.hpp"
#include "server/http/store_metrics_series.hpp"

#include <memory>
#include <string>

namespace mlflowcpp::server::http {

inline constexpr const char* kMetricsPath = "/metrics";

class MetricsHandlers : public RouteGroup {
 public:
  // `store_metrics` may be null (no store series).
  explicit MetricsHandlers(std::shared_ptr<const HttpMetrics> metrics,
                           std::shared_ptr<const StoreMetricsSeries> store_metrics = nullptr)
      : metrics_(std::move(metrics)), store_metrics_(std::move(store_metrics)) {}

  void register_routes(Router& router) override;

  // The whole scrape answer.
  std::string render() const;

 private:
  std::shared_ptr<const HttpMetrics> metrics_;
  std::shared_ptr<const StoreMetricsSeries> store_metrics_;
  ProcessMetrics process_;
};

}  // namespace mlflowcpp::server::http
