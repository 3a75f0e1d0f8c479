#pragma once

// How a client reaches the tracking server. Every setting can come from code
// (ClientOptions) or from the environment variables the official MLflow client
// reads; the precedence is written down once, in resolve_client_options():
//
//     value set in ClientOptions  >  environment variable  >  built-in default
//
// | field               | environment variable                 | default |
// |---------------------|--------------------------------------|---------|
// | tracking_uri        | MLFLOW_TRACKING_URI                  | none: an error |
// | username, password  | MLFLOW_TRACKING_USERNAME / _PASSWORD, | none    |
// |                     | then ~/.mlflow/credentials [mlflow]  |         |
// |                     | mlflow_tracking_username / _password |         |
// | token               | MLFLOW_TRACKING_TOKEN                | none    |
// | insecure_tls        | MLFLOW_TRACKING_INSECURE_TLS         | false   |
// | server_cert_path    | MLFLOW_TRACKING_SERVER_CERT_PATH     | none    |
// | client_cert_path    | MLFLOW_TRACKING_CLIENT_CERT_PATH     | none    |
// | max_retries         | MLFLOW_HTTP_REQUEST_MAX_RETRIES      | 7       |
// | backoff_factor      | MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR   | 2 s     |
// | backoff_jitter      | MLFLOW_HTTP_REQUEST_BACKOFF_JITTER   | 1.0 s   |
// | timeout_seconds     | MLFLOW_HTTP_REQUEST_TIMEOUT          | 120 s   |
// | respect_retry_after | MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER | true  |
// | request_deadline_seconds | MLFLOW_HTTP_REQUEST_DEADLINE    | 600 s   |
// | async_logging       | MLFLOW_ENABLE_ASYNC_LOGGING          | false   |
// | async_logging_buffering_seconds | MLFLOW_ASYNC_LOGGING_BUFFERING_SECONDS | 0 |
//
// MLFLOW_HTTP_REQUEST_DEADLINE is mlflowcpp's own (the official client has no
// such bound): the time one call may take across all its attempts and the waits
// between them. Once it has passed, the last error is thrown.

#include <mlflowcpp/export.hpp>

#include <functional>
#include <optional>
#include <string>

namespace mlflowcpp {

// Settings given in code; an unset field falls back to the environment, then to
// the default.
struct ClientOptions {
  // http://host:port[/prefix] or https://...; or a database tracked into with no server (offline runs):
  // sqlite:///path.db, postgresql://... or postgres://... (see make_connection()).
  std::optional<std::string> tracking_uri;
  std::optional<std::string> username;      // HTTP basic auth, with password
  std::optional<std::string> password;
  std::optional<std::string> token;             // bearer token; basic auth wins when both are set
  std::optional<bool> insecure_tls;             // skip TLS verification
  std::optional<std::string> server_cert_path;  // CA bundle to verify the server with
  std::optional<std::string> client_cert_path;  // PEM holding the client certificate (and key)
  std::optional<int> max_retries;               // retries after the first attempt, 0..9
  std::optional<double> backoff_factor;         // seconds, 0 <= x < 120
  std::optional<double> backoff_jitter;         // seconds of uniform random extra delay
  std::optional<double> timeout_seconds;        // per attempt, connect included
  std::optional<bool> respect_retry_after;      // let a Retry-After header set the delay
  std::optional<double> request_deadline_seconds;  // per call, all attempts and waits included; > 0
  // Log metrics, params and tags in the background (see <mlflowcpp/async_logging.hpp>).
  std::optional<bool> async_logging;
  std::optional<double> async_logging_buffering_seconds;  // >= 0; 0: send as soon as there is something
};

// Every setting decided. Built by resolve_client_options(), read by make_connection().
struct ResolvedClientOptions {
  std::string tracking_uri;  // without trailing '/'
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::string> token;
  bool insecure_tls = false;
  std::optional<std::string> server_cert_path;
  std::optional<std::string> client_cert_path;
  int max_retries = 7;
  double backoff_factor = 2.0;
  double backoff_jitter = 1.0;
  double timeout_seconds = 120.0;
  bool respect_retry_after = true;
  double request_deadline_seconds = 600.0;
  bool async_logging = false;
  double async_logging_buffering_seconds = 0.0;
};

// Reads one environment variable; nullopt when unset. Lets tests supply a fake environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The real process environment (getenv).
MLFLOWCPP_EXPORT EnvironmentLookup process_environment();

// Applies the precedence above and validates the result. Throws MlflowException
// (INVALID_PARAMETER_VALUE) naming the setting at fault: no tracking URI, a
// scheme other than http/https or a database's, an unparsable number or boolean, values out of
// range, or insecure_tls together with server_cert_path.
MLFLOWCPP_EXPORT ResolvedClientOptions
resolve_client_options(const ClientOptions& options, const EnvironmentLookup& environment = process_environment());

}  // namespace mlflowcpp
