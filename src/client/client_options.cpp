#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/errors.hpp>
#include "client/credentials_file.hpp"
#include "client/store_module_loader.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace mlflowcpp {
namespace {

MlflowException bad_setting(const std::string& name, const std::string& problem) {
  return invalid_parameter("Invalid client setting " + name + ": " + problem);
}

std::string lower(std::string text) {
  text = to_lower_ascii(text);
  return text;
}

// The value from code if set, else the non-empty environment variable, else nullopt.
std::optional<std::string> pick_string(const std::optional<std::string>& from_code, const EnvironmentLookup& env,
                                       const char* variable) {
  if (from_code) return from_code;
  auto value = env(variable);
  if (value && value->empty()) return std::nullopt;
  return value;
}

// MLflow's boolean environment values: "true"/"1" and "false"/"0", any case.
std::optional<bool> env_bool(const EnvironmentLookup& env, const char* variable) {
  auto value = env(variable);
  if (!value || value->empty()) return std::nullopt;
  std::string text = lower(*value);
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  throw bad_setting(variable, "expected true/false/1/0, got '" + *value + "'");
}

std::optional<double> env_double(const EnvironmentLookup& env, const char* variable) {
  auto value = env(variable);
  if (!value || value->empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double parsed = std::strtod(value->c_str(), &end);
  if (end != value->c_str() + value->size() || errno == ERANGE || !std::isfinite(parsed)) {
    throw bad_setting(variable, "expected a number, got '" + *value + "'");
  }
  return parsed;
}

std::optional<int> env_int(const EnvironmentLookup& env, const char* variable) {
  auto value = env(variable);
  if (!value || value->empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long parsed = std::strtol(value->c_str(), &end, 10);
  if (end != value->c_str() + value->size() || errno == ERANGE || parsed < -1000000 || parsed > 1000000) {
    throw bad_setting(variable, "expected an integer, got '" + *value + "'");
  }
  return static_cast<int>(parsed);
}

template <typename T>
T first_of(const std::optional<T>& from_code, const std::optional<T>& from_env, T fallback) {
  if (from_code) return *from_code;
  if (from_env) return *from_env;
  return fallback;
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

ResolvedClientOptions resolve_client_options(const ClientOptions& options, const EnvironmentLookup& environment) {
  const EnvironmentLookup& env = environment ? environment : process_environment();
  ResolvedClientOptions resolved;

  auto uri = pick_string(options.tracking_uri, env, "MLFLOW_TRACKING_URI");
  if (!uri || uri->empty()) {
    throw invalid_parameter(
        "No tracking URI: set MLFLOW_TRACKING_URI (for example http://localhost:5000) or "
        "ClientOptions::tracking_uri");
  }
  std::string scheme = lower(uri->substr(0, uri->find("://")));
  // A database is tracked into in this process (offline runs); it keeps its URI as written.
  if (uri->find("://") != std::string::npos && client::is_database_uri(*uri)) {
    resolved.tracking_uri = *uri;
  } else if (uri->find("://") == std::string::npos || (scheme != "http" && scheme != "https")) {
    throw bad_setting("MLFLOW_TRACKING_URI", "'" + *uri +
                                                 "' is not an http:// or https:// URI, nor a sqlite:/// or "
                                                 "postgresql:// database");
  }
  // Paths are appended to the URI, so a trailing '/' would double up.
  if (resolved.tracking_uri.empty()) resolved.tracking_uri = *uri;
  while (!client::is_database_uri(resolved.tracking_uri) && resolved.tracking_uri.size() > scheme.size() + 3 && resolved.tracking_uri.back() == '/') {
    resolved.tracking_uri.pop_back();
  }

  resolved.username = pick_string(options.username, env, "MLFLOW_TRACKING_USERNAME");
  resolved.password = pick_string(options.password, env, "MLFLOW_TRACKING_PASSWORD");
  // ~/.mlflow/credentials fills in, field by field, what code and environment leave open.
  if (!resolved.username || !resolved.password) {
    if (auto path = client::credentials_file_path(env)) {
      client::FileCredentials file = client::read_credentials_file(*path);
      if (!resolved.username) resolved.username = file.username;
      if (!resolved.password) resolved.password = file.password;
    }
  }
  resolved.token = pick_string(options.token, env, "MLFLOW_TRACKING_TOKEN");
  resolved.server_cert_path = pick_string(options.server_cert_path, env, "MLFLOW_TRACKING_SERVER_CERT_PATH");
  resolved.client_cert_path = pick_string(options.client_cert_path, env, "MLFLOW_TRACKING_CLIENT_CERT_PATH");
  resolved.insecure_tls = first_of(options.insecure_tls, env_bool(env, "MLFLOW_TRACKING_INSECURE_TLS"), false);
  if (resolved.insecure_tls && resolved.server_cert_path) {
    throw bad_setting("MLFLOW_TRACKING_INSECURE_TLS",
                      "cannot skip TLS verification and verify with MLFLOW_TRACKING_SERVER_CERT_PATH at once");
  }

  resolved.max_retries = first_of(options.max_retries, env_int(env, "MLFLOW_HTTP_REQUEST_MAX_RETRIES"), 7);
  if (resolved.max_retries < 0 || resolved.max_retries >= 10) {
    throw bad_setting("MLFLOW_HTTP_REQUEST_MAX_RETRIES",
                      "must be between 0 and 9, got " + std::to_string(resolved.max_retries));
  }
  resolved.backoff_factor =
      first_of(options.backoff_factor, env_double(env, "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"), 2.0);
  if (!(resolved.backoff_factor >= 0 && resolved.backoff_factor < 120)) {
    throw bad_setting("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "must be at least 0 and below 120 seconds");
  }
  resolved.backoff_jitter =
      first_of(options.backoff_jitter, env_double(env, "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER"), 1.0);
  if (!(resolved.backoff_jitter >= 0)) {
    throw bad_setting("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "must not be negative");
  }
  resolved.timeout_seconds = first_of(options.timeout_seconds, env_double(env, "MLFLOW_HTTP_REQUEST_TIMEOUT"), 120.0);
  if (!(resolved.timeout_seconds > 0)) {
    throw bad_setting("MLFLOW_HTTP_REQUEST_TIMEOUT", "must be a positive number of seconds");
  }
  resolved.respect_retry_after =
      first_of(options.respect_retry_after, env_bool(env, "MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER"), true);
  resolved.request_deadline_seconds =
      first_of(options.request_deadline_seconds, env_double(env, "MLFLOW_HTTP_REQUEST_DEADLINE"), 600.0);
  if (!(resolved.request_deadline_seconds > 0)) {
    throw bad_setting("MLFLOW_HTTP_REQUEST_DEADLINE", "must be a positive number of seconds");
  }
  resolved.async_logging = first_of(options.async_logging, env_bool(env, "MLFLOW_ENABLE_ASYNC_LOGGING"), false);
  resolved.async_logging_buffering_seconds = first_of(
      options.async_logging_buffering_seconds, env_double(env, "MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS"), 0.0);
  if (!(resolved.async_logging_buffering_seconds >= 0 && resolved.async_logging_buffering_seconds <= 3600)) {
    throw bad_setting("MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS", "must be between 0 and 3600 seconds");
  }
  return resolved;
}

}  // namespace mlflowcpp
