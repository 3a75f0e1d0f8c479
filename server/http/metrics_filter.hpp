#pragma once

// Records every finished request into HttpMetrics (`--expose-prometheus`).
// Added ahead of every other filter, so requests another filter refused
// (403 allowlist, 401, 413, 503) count too.

#include "server/http/filter.hpp"
#include "server/http/http_metrics.hpp"

#include <memory>
#include <utility>

namespace mlflowcpp::server::http {

class MetricsFilter : public Filter {
 public:
  explicit MetricsFilter(std::shared_ptr<HttpMetrics> metrics) : metrics_(std::move(metrics)) {}

  void after(const CompletedRequest& completed) override {
    metrics_->record(completed.method, completed.route_pattern, completed.status, completed.duration,
                     completed.body_bytes_received, completed.body_bytes_sent);
  }

 private:
  std::shared_ptr<HttpMetrics> metrics_;
};

}  // namespace mlflowcpp::server::http
