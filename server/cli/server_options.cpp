#include "server/cli/server_options.hpp"

#include "server/cli/option_values.hpp"
#include "text/ascii.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

namespace mlflowcpp::cli {
namespace {

namespace fs = std::filesystem;

// Flags of `mlflow server` that this server does not implement; refused by name.
const std::set<std::string>& unsupported_flags() {
  static const std::set<std::string> flags = {
      "--gunicorn-opts", "--waitress-opts", "--uvicorn-opts",
      "--dev",           "--allowed-hosts", "--cors-allowed-origins", "--disable-security-middleware",
      "--x-frame-options", "--enable-workspaces", "--workspace-store-uri",
  };
  return flags;
}

std::string lowercase(std::string text) {
  text = to_lower_ascii(text);
  return text;
}

bool parse_bool(const std::string& name, const std::string& text) {
  const std::string lower = lowercase(text);
  if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "0" || lower == "no" || lower == "off") return false;
  throw std::invalid_argument(fmt::format("{} must be true or false, got '{}'.", name, text));
}

bool has_uri_scheme(const std::string& location) {
  const auto colon = location.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  return std::all_of(location.begin(), location.begin() + static_cast<long>(colon),
                     [](unsigned char c) { return std::isalnum(c) || c == '+' || c == '-' || c == '.'; });
}

std::string absolute_path(const std::string& path) {
  return fs::absolute(fs::path(path)).lexically_normal().string();
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string server_usage() {
  return "Usage: mlflowcpp server [OPTIONS]\n"
         "\n"
         "Runs an MLflow tracking server (REST protocol of MLflow 2.9.2) over SQLite, PostgreSQL or MySQL /\n"
         "MariaDB.\n"
         "\n"
         "Options:\n"
         "  -h, --host HOST                 Address to listen on [MLFLOW_HOST] (default 127.0.0.1)\n"
         "  -p, --port PORT                 Port to listen on [MLFLOW_PORT] (default 5000)\n"
         "  --backend-store-uri URI         sqlite:///path.db, postgresql://user:password@host:port/db or\n"
         "                                  mysql://user:password@host:port/db\n"
         "                                  [MLFLOW_BACKEND_STORE_URI] (default sqlite:///mlflow.db)\n"
         "  --db-pool-size N                PostgreSQL / MySQL connections kept open\n"
         "                                  [MLFLOW_SQLALCHEMYSTORE_POOL_SIZE] (default 5)\n"
         "  --db-max-overflow N             PostgreSQL / MySQL connections opened beyond those under load\n"
         "                                  [MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW] (default 10)\n"
         "  --registry-store-uri URI        Must equal the backend store URI if given\n"
         "  --default-artifact-root URI     Artifact root of new experiments [MLFLOW_DEFAULT_ARTIFACT_ROOT]\n"
         "                                  (default mlflow-artifacts:/ when serving artifacts, else ./mlruns)\n"
         "  --serve-artifacts / --no-serve-artifacts\n"
         "                                  Resolve mlflow-artifacts: URIs locally [MLFLOW_SERVE_ARTIFACTS] (on)\n"
         "  --artifacts-destination URI     Where mlflow-artifacts: URIs live: a directory or s3://bucket/prefix\n"
         "                                  [MLFLOW_ARTIFACTS_DESTINATION] (default ./mlartifacts)\n"
         "  --allowed-artifact-roots LIST   More roots experiments' artifact locations may lie below (comma-\n"
         "                                  separated paths, file: or s3://bucket/prefix URIs) besides the\n"
         "                                  destination and the default root [MLFLOW_ALLOWED_ARTIFACT_ROOTS]\n"
         "  --allow-any-artifact-location   Trusted setups only: serve artifacts wherever a client's experiment\n"
         "                                  points, as `mlflow server` does [MLFLOW_ALLOW_ANY_ARTIFACT_LOCATION]\n"
         "  --artifacts-only                Answer tracking calls with 503 [MLFLOW_ARTIFACTS_ONLY]\n"
         "  -w, --workers N                 Request threads; one per open client connection\n"
         "                                  [MLFLOW_WORKERS] (default 32)\n"
         "  --static-prefix PREFIX          URL prefix of the UI, ajax-api, health and version\n"
         "                                  [MLFLOW_STATIC_PREFIX]; starts with '/', no trailing '/'\n"
         "  --static-dir DIR                Serve the web UI from this folder instead of the one built in:\n"
         "                                  a static build of the official MLflow UI, or server/ui to serve\n"
         "                                  the built-in UI's sources live (UI development)\n"
         "  --app-name basic-auth           Users, passwords and permissions, as MLflow's basic-auth app; its\n"
         "                                  settings are read from the ini file MLFLOW_AUTH_CONFIG_PATH names\n"
         "\n"
         "Network edge (see README, Security):\n"
         "  --allowed-ips LIST              Only these clients, e.g. 10.0.0.0/8,192.168.1.7,::1; others get 403\n"
         "                                  [MLFLOW_ALLOWED_IPS] (default: everyone)\n"
         "  --trusted-proxies LIST          Proxies whose X-Forwarded-For names the client\n"
         "                                  [MLFLOW_TRUSTED_PROXIES] (default: none)\n"
         "  --tls-cert PATH, --tls-key PATH PEM certificate chain and private key: HTTPS only; SIGHUP reloads them\n"
         "  --read-timeout SECONDS          Longest wait for request bytes; a request's headers must arrive whole\n"
         "                                  within it (default 30)\n"
         "  --write-timeout SECONDS         Longest wait for the client to take answer bytes (default 30)\n"
         "  --keep-alive-timeout SECONDS    Idle time before an open connection is closed (default 5)\n"
         "  --max-keep-alive-requests N     Requests per connection (default 1000)\n"
         "  --max-connections N             Connections served or waiting for a worker; more get 503\n"
         "                                  (default 512, at least --workers)\n"
         "  --max-header-bytes N            Request line and headers together; beyond, 414 or 431 (default 65536)\n"
         "\n"
         "Shutdown (SIGTERM or SIGINT; a second one stops at once; SIGHUP reloads the TLS certificate and log file):\n"
         "  --shutdown-delay SECONDS        /health answers 503 while the server still serves new connections\n"
         "                                  for this long [MLFLOWCPP_SHUTDOWN_DELAY] (default 0)\n"
         "  --shutdown-timeout SECONDS      Then, with new connections refused, the time requests in progress\n"
         "                                  have to finish; 0 cuts them at once [MLFLOWCPP_SHUTDOWN_TIMEOUT]\n"
         "                                  (default 30)\n"
         "\n"
         "Operations (see README, Operations):\n"
         "  --expose-prometheus DIR         Serve Prometheus metrics on /metrics; DIR is created if missing\n"
         "                                  (kept for compatibility with `mlflow server`) [MLFLOW_EXPOSE_PROMETHEUS]\n"
         "  --access-log-format text|json   One readable line or one JSON object per request\n"
         "                                  [MLFLOWCPP_ACCESS_LOG_FORMAT] (default text)\n"
         "  --no-access-log                 No access log [MLFLOWCPP_ACCESS_LOG=false]\n"
         "  --access-log-file PATH          Append the access log to PATH instead of stderr\n"
         "                                  [MLFLOWCPP_ACCESS_LOG_FILE]\n"
         "  --help                          Show this message\n";
}

ServerOptions parse_server_options(const std::vector<std::string>& arguments, const EnvironmentLookup& environment) {
  // Flag values as given (name -> text); the booleans are recorded as "true"/"false".
  std::map<std::string, std::string> given;
  const std::set<std::string> value_flags = {"--host",          "--port",          "--backend-store-uri",
                                             "--registry-store-uri", "--default-artifact-root",
                                             "--artifacts-destination", "--workers", "--static-prefix",
                                             "--static-dir", "--db-pool-size", "--db-max-overflow",
                                             "--allowed-ips", "--trusted-proxies", "--tls-cert", "--tls-key",
                                             "--read-timeout", "--write-timeout", "--keep-alive-timeout",
                                             "--max-keep-alive-requests", "--max-connections", "--max-header-bytes",
                                             "--allowed-artifact-roots", "--app-name", "--shutdown-delay",
                                             "--shutdown-timeout", "--expose-prometheus",
                                             "--access-log-format", "--access-log-file"};
  const std::map<std::string, std::string> short_flags = {{"-h", "--host"}, {"-p", "--port"}, {"-w", "--workers"}};

  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string flag = arguments[i];
    std::optional<std::string> inline_value;
    if (const auto equals = flag.find('='); flag.rfind("--", 0) == 0 && equals != std::string::npos) {
      inline_value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    }
    if (const auto alias = short_flags.find(flag); alias != short_flags.end()) flag = alias->second;

    if (unsupported_flags().count(flag)) {
      throw std::invalid_argument(fmt::format("{} is an option of `mlflow server` that mlflowcpp server does not "
                                              "support.",
                                              flag));
    }
    if (flag == "--serve-artifacts" || flag == "--no-serve-artifacts" || flag == "--artifacts-only" ||
        flag == "--allow-any-artifact-location" || flag == "--no-access-log") {
      if (inline_value) throw std::invalid_argument(fmt::format("{} takes no value.", flag));
      if (flag == "--no-access-log") {
        given["--access-log"] = "false";
      } else if (flag == "--artifacts-only" || flag == "--allow-any-artifact-location") {
        given[flag] = "true";
      } else {
        given["--serve-artifacts"] = flag == "--serve-artifacts" ? "true" : "false";
      }
      continue;
    }
    if (!value_flags.count(flag)) {
      throw std::invalid_argument(fmt::format("No such option: {} (see `mlflowcpp server --help`).", arguments[i]));
    }
    if (!inline_value) {
      if (i + 1 >= arguments.size()) throw std::invalid_argument(fmt::format("Option {} requires a value.", flag));
      inline_value = arguments[++i];
    }
    given[flag] = *inline_value;
  }

  // Flag, else environment variable.
  const auto setting = [&](const std::string& flag, const std::string& variable) -> std::optional<std::string> {
    if (const auto it = given.find(flag); it != given.end()) return it->second;
    if (!variable.empty()) {
      if (auto value = environment(variable); value && !value->empty()) return value;
    }
    return std::nullopt;
  };

  ServerOptions options;
  if (auto host = setting("--host", "MLFLOW_HOST")) options.host = *host;
  if (auto port = setting("--port", "MLFLOW_PORT")) options.port = static_cast<int>(parse_integer("--port", *port, 0, 65535));
  if (auto uri = setting("--backend-store-uri", "MLFLOW_BACKEND_STORE_URI")) options.backend_store_uri = *uri;
  if (auto registry = setting("--registry-store-uri", "MLFLOW_REGISTRY_STORE_URI");
      registry && *registry != options.backend_store_uri) {
    throw std::invalid_argument("--registry-store-uri different from --backend-store-uri is not supported: the "
                                "model registry lives in the backend store.");
  }
  if (auto serve = setting("--serve-artifacts", "MLFLOW_SERVE_ARTIFACTS")) {
    options.serve_artifacts = parse_bool("--serve-artifacts", *serve);
  }
  if (auto only = setting("--artifacts-only", "MLFLOW_ARTIFACTS_ONLY")) {
    options.artifacts_only = parse_bool("--artifacts-only", *only);
  }
  if (options.artifacts_only && !options.serve_artifacts) {
    throw std::invalid_argument("--artifacts-only cannot be combined with --no-serve-artifacts.");
  }
  if (auto workers = setting("--workers", "MLFLOW_WORKERS")) {
    options.workers = static_cast<std::size_t>(parse_integer("--workers", *workers, 1, 4096));
  }
  if (auto size = setting("--db-pool-size", "MLFLOW_SQLALCHEMYSTORE_POOL_SIZE")) {
    options.db_pool_size = static_cast<std::size_t>(parse_integer("--db-pool-size", *size, 1, 1000));
  }
  if (auto overflow = setting("--db-max-overflow", "MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW")) {
    options.db_max_overflow = static_cast<std::size_t>(parse_integer("--db-max-overflow", *overflow, 0, 1000));
  }
  if (auto any = setting("--allow-any-artifact-location", "MLFLOW_ALLOW_ANY_ARTIFACT_LOCATION")) {
    options.allow_any_artifact_location = parse_bool("--allow-any-artifact-location", *any);
  }
  if (auto roots = setting("--allowed-artifact-roots", "MLFLOW_ALLOWED_ARTIFACT_ROOTS")) {
    std::size_t start = 0;
    while (start <= roots->size()) {
      const std::size_t comma = std::min(roots->find(',', start), roots->size());
      std::string root = roots->substr(start, comma - start);
      root.erase(0, root.find_first_not_of(" \t"));
      root.erase(root.find_last_not_of(" \t") + 1);
      if (!root.empty()) options.allowed_artifact_roots.push_back(has_uri_scheme(root) ? root : absolute_path(root));
      start = comma + 1;
    }
  }
  if (auto prefix = setting("--static-prefix", "MLFLOW_STATIC_PREFIX")) {
    if (prefix->empty() || prefix->front() != '/') {
      throw std::invalid_argument("--static-prefix must begin with a '/'.");
    }
    if (prefix->back() == '/') throw std::invalid_argument("--static-prefix should not end with a '/'.");
    options.static_prefix = *prefix;
  }
  if (auto dir = setting("--static-dir", "")) {
    std::error_code error;
    if (!fs::is_directory(*dir, error)) {
      throw std::invalid_argument(fmt::format("--static-dir '{}' is not a directory.", *dir));
    }
    options.static_dir = absolute_path(*dir);
  }

  const auto network_list = [](const std::string& flag, const std::string& text) {
    try {
      return server::http::IpNetworkList::parse(text);
    } catch (const std::invalid_argument& error) {
      throw std::invalid_argument(fmt::format("{}: {}", flag, error.what()));
    }
  };
  if (auto allowed = setting("--allowed-ips", "MLFLOW_ALLOWED_IPS")) {
    options.allowed_ips = network_list("--allowed-ips", *allowed);
  }
  if (auto proxies = setting("--trusted-proxies", "MLFLOW_TRUSTED_PROXIES")) {
    options.trusted_proxies = network_list("--trusted-proxies", *proxies);
  }
  const auto tls_cert = setting("--tls-cert", "");
  const auto tls_key = setting("--tls-key", "");
  if (tls_cert.has_value() != tls_key.has_value()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together: give both (HTTPS) or neither (HTTP).");
  }
  if (tls_cert) {
    if (tls_cert->empty() || tls_key->empty()) throw std::invalid_argument("--tls-cert and --tls-key need a path.");
    options.tls_cert = absolute_path(*tls_cert);
    options.tls_key = absolute_path(*tls_key);
  }
  const auto seconds = [&](const std::string& flag, int& value) {
    if (auto text = setting(flag, "")) value = static_cast<int>(parse_integer(flag, *text, 1, 3600));
  };
  seconds("--read-timeout", options.read_timeout_seconds);
  seconds("--write-timeout", options.write_timeout_seconds);
  seconds("--keep-alive-timeout", options.keep_alive_timeout_seconds);
  if (auto count = setting("--max-keep-alive-requests", "")) {
    options.max_keep_alive_requests =
        static_cast<std::size_t>(parse_integer("--max-keep-alive-requests", *count, 1, 1000000));
  }
  if (auto count = setting("--max-connections", "")) {
    options.max_connections = static_cast<std::size_t>(parse_integer("--max-connections", *count, 1, 100000));
    if (options.max_connections < options.workers) {
      throw std::invalid_argument(fmt::format("--max-connections ({}) must be at least --workers ({}).",
                                              options.max_connections, options.workers));
    }
  } else {
    options.max_connections = std::max(options.max_connections, options.workers);
  }
  if (auto bytes = setting("--max-header-bytes", "")) {
    options.max_header_bytes =
        static_cast<std::size_t>(parse_integer("--max-header-bytes", *bytes, 1024, 1024 * 1024));
  }

  if (auto delay = setting("--shutdown-delay", "MLFLOWCPP_SHUTDOWN_DELAY")) {
    options.shutdown_delay_seconds = static_cast<int>(parse_integer("--shutdown-delay", *delay, 0, 3600));
  }
  if (auto timeout = setting("--shutdown-timeout", "MLFLOWCPP_SHUTDOWN_TIMEOUT")) {
    options.shutdown_timeout_seconds = static_cast<int>(parse_integer("--shutdown-timeout", *timeout, 0, 3600));
  }

  if (auto app = setting("--app-name", "")) {
    if (*app != kBasicAuthApp) {
      throw std::invalid_argument(
          fmt::format("--app-name '{}' is not supported: the only app is {}.", *app, kBasicAuthApp));
    }
    options.app_name = *app;
    options.auth_config_path = environment("MLFLOW_AUTH_CONFIG_PATH").value_or("");
  }

  if (auto directory = setting("--expose-prometheus", "MLFLOW_EXPOSE_PROMETHEUS")) {
    options.expose_prometheus_dir = absolute_path(*directory);
  }
  if (auto enabled = setting("--access-log", "MLFLOWCPP_ACCESS_LOG")) {
    options.access_log = parse_bool("MLFLOWCPP_ACCESS_LOG", *enabled);
  }
  if (auto format = setting("--access-log-format", "MLFLOWCPP_ACCESS_LOG_FORMAT")) {
    if (*format == "text") {
      options.access_log_format = server::http::AccessLogFormat::kText;
    } else if (*format == "json") {
      options.access_log_format = server::http::AccessLogFormat::kJson;
    } else {
      throw std::invalid_argument(fmt::format("--access-log-format must be text or json, got '{}'.", *format));
    }
  }
  if (auto file = setting("--access-log-file", "MLFLOWCPP_ACCESS_LOG_FILE")) {
    options.access_log_file = absolute_path(*file);
  }

  const std::string destination =
      setting("--artifacts-destination", "MLFLOW_ARTIFACTS_DESTINATION").value_or("./mlartifacts");
  options.artifacts_destination = has_uri_scheme(destination) ? destination : absolute_path(destination);

  if (auto root = setting("--default-artifact-root", "MLFLOW_DEFAULT_ARTIFACT_ROOT")) {
    options.default_artifact_root = has_uri_scheme(*root) ? *root : absolute_path(*root);
  } else if (options.serve_artifacts) {
    options.default_artifact_root = "mlflow-artifacts:/";
  } else {
    options.default_artifact_root = absolute_path("./mlruns");
  }
  return options;
}

}  // namespace mlflowcpp::cli
