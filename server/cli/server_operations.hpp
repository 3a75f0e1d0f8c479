#pragma once

// The operations side of `mlflowcpp server`: the Prometheus metrics of
// `--expose-prometheus` and the access log (README, "Operations").

#include "server/cli/server_options.hpp"
#include "server/http/buffered_log_writer.hpp"
#include "server/http/http_metrics.hpp"
#include "server/http/metrics_handlers.hpp"
#include "server/http/store_metrics_series.hpp"

#include <memory>

namespace mlflowcpp::server::http {
class HttpServer;
}

namespace mlflowcpp::cli {

class ServerOperations {
 public:
  // Creates the metrics directory and opens the access log file when asked for. Throws std::invalid_argument
  // with a message for the user when either cannot be made.
  explicit ServerOperations(const ServerOptions& options);

  // What the backend stores report to (BackendStoreOptions::metrics); null without --expose-prometheus.
  std::shared_ptr<server::store::StoreMetrics> store_metrics() const { return store_metrics_; }

  // Before the permission checks are installed: GET /metrics joins the routes. The server must not outlive this.
  void add_routes(server::http::HttpServer& server);
  // After the last route: the metrics and the access log, ahead of every other filter.
  void observe(server::http::HttpServer& server);
  // Opens the access log file again (after log rotation; meant for SIGHUP). False when it cannot be opened
  // (the old one is kept); true without a file.
  bool reopen_access_log();
  // Writes out what the access log holds (at shutdown).
  void flush_access_log();

 private:
  ServerOptions options_;
  std::shared_ptr<server::http::HttpMetrics> metrics_;
  std::shared_ptr<server::http::StoreMetricsSeries> store_metrics_;
  std::unique_ptr<server::http::MetricsHandlers> metrics_handlers_;
  std::shared_ptr<server::http::BufferedLogWriter> access_log_;
};

}  // namespace mlflowcpp::cli
