#pragma once

// The options of `mlflowcpp server`, read like those of `mlflow server` 2.9:
// flags first, then MLFLOW_* environment variables, then defaults.

#include "server/http/access_log_line.hpp"
#include "server/http/ip_allowlist.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::cli {

// The one app `--app-name` takes: MLflow's users, passwords and permissions.
inline constexpr const char* kBasicAuthApp = "basic-auth";

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 5000;
  std::string backend_store_uri = "sqlite:///mlflow.db";
  std::string default_artifact_root;  // resolved: never empty after parsing
  bool serve_artifacts = true;
  std::string artifacts_destination;  // resolved: absolute when local
  bool artifacts_only = false;
  std::size_t workers = 32;
  std::string static_prefix;
  std::string static_dir;
  // PostgreSQL connections per server: kept open, and opened beyond that under
  // load (MLflow's SQLAlchemy pool settings and defaults).
  std::size_t db_pool_size = 5;
  std::size_t db_max_overflow = 10;

  // The network edge (README, "Security"). Empty lists: everyone allowed, no proxy believed.
  server::http::IpNetworkList allowed_ips;
  server::http::IpNetworkList trusted_proxies;
  // Both or neither: HTTPS only when set.
  std::string tls_cert;
  std::string tls_key;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int keep_alive_timeout_seconds = 5;
  std::size_t max_keep_alive_requests = 1000;
  std::size_t max_connections = 512;
  std::size_t max_header_bytes = 64 * 1024;

  // Stopping on SIGTERM/SIGINT (README, "Operations: shutdown and reloads"): how long /health answers 503 while
  // the server still accepts, then how long the requests in progress have to finish (0: cut them at once).
  int shutdown_delay_seconds = 0;
  int shutdown_timeout_seconds = 30;

  // Artifact roots beyond the destination and the default root; or none at all
  // (every location served, as the official server does) for trusted setups.
  std::vector<std::string> allowed_artifact_roots;
  bool allow_any_artifact_location = false;

  // kBasicAuthApp, or empty: no authentication.
  std::string app_name;
  // The basic-auth app's ini file (MLFLOW_AUTH_CONFIG_PATH); empty: MLflow's defaults.
  std::string auth_config_path;

  // Operations (README, "Operations"). Non-empty: GET /metrics is served; the directory (MLflow keeps its
  // exporter's files there) is created if missing and otherwise unused.
  std::string expose_prometheus_dir;
  // One line per request on stderr, or appended to access_log_file when that is set.
  bool access_log = true;
  server::http::AccessLogFormat access_log_format = server::http::AccessLogFormat::kText;
  std::string access_log_file;
};

// Reads the environment; injectable so parsing can be tested.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
std::optional<std::string> process_environment(const std::string& name);

// Parses the arguments that follow `server`. Throws std::invalid_argument with
// a message for the user on a bad or unsupported flag.
ServerOptions parse_server_options(const std::vector<std::string>& arguments, const EnvironmentLookup& environment);

// The text of `mlflowcpp server --help`.
std::string server_usage();

}  // namespace mlflowcpp::cli
