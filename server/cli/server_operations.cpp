#include "server/cli/server_operations.hpp"

#include "server/http/access_log_filter.hpp"
#include "server/http/http_server.hpp"
#include "server/http/metrics_filter.hpp"

#include <mlflowcpp/version.hpp>

#include <fmt/format.h>

#include <unistd.h>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace mlflowcpp::cli {

ServerOperations::ServerOperations(const ServerOptions& options) : options_(options) {
  if (!options_.expose_prometheus_dir.empty()) {
    // MLflow's exporter keeps its per-process files there; here it only has to exist, as with `mlflow server`.
    std::error_code error;
    std::filesystem::create_directories(options_.expose_prometheus_dir, error);
    if (error || !std::filesystem::is_directory(options_.expose_prometheus_dir)) {
      throw std::invalid_argument(fmt::format("--expose-prometheus: cannot create the directory '{}'{}",
                                              options_.expose_prometheus_dir,
                                              error ? ": " + error.message() : std::string()));
    }
    // The MLflow version whose protocol the server speaks labels MLflow's series, as /version answers.
    metrics_ = std::make_shared<server::http::HttpMetrics>(kMlflowProtocolVersion, kVersion);
    store_metrics_ = std::make_shared<server::http::StoreMetricsSeries>();
    metrics_handlers_ = std::make_unique<server::http::MetricsHandlers>(metrics_, store_metrics_);
  }
  if (options_.access_log) {
    if (options_.access_log_file.empty()) {
      access_log_ = std::make_shared<server::http::BufferedLogWriter>(STDERR_FILENO);
    } else {
      try {
        access_log_ = std::make_shared<server::http::BufferedLogWriter>(options_.access_log_file);
      } catch (const std::runtime_error& error) {
        throw std::invalid_argument(fmt::format("--access-log-file: {}", error.what()));
      }
    }
  }
}

void ServerOperations::add_routes(server::http::HttpServer& server) {
  if (metrics_handlers_) server.add_routes(*metrics_handlers_);
}

void ServerOperations::observe(server::http::HttpServer& server) {
  if (access_log_) {
    server.add_observer(std::make_shared<server::http::AccessLogFilter>(access_log_, options_.access_log_format));
  }
  if (metrics_) {
    metrics_->index_routes(server.router());
    // Lock-free (OpenConnections keeps atomic counts); the server outlives its scrapes.
    store_metrics_->set_open_connections([&server] { return server.open_connections(); });
    server.add_observer(std::make_shared<server::http::MetricsFilter>(metrics_));
  }
}

bool ServerOperations::reopen_access_log() { return access_log_ ? access_log_->reopen() : true; }

void ServerOperations::flush_access_log() {
  if (access_log_) access_log_->flush();
}

}  // namespace mlflowcpp::cli
