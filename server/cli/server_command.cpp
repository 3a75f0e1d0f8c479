#include "server/cli/server_command.hpp"

#include "server/app/tracking_app.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "server/auth/basic_auth_app.hpp"
#include "server/auth/route_protection.hpp"
#include "server/auth/store_resource_resolver.hpp"
#include "server/cli/heap_settings.hpp"
#include "server/cli/reload_actions.hpp"
#include "server/cli/server_lifecycle.hpp"
#include "server/cli/server_operations.hpp"
#include "server/cli/server_options.hpp"
#include "server/cli/signal_watcher.hpp"
#include "server/http/built_in_ui.hpp"
#include "server/http/directory_ui_files.hpp"
#include "server/http/http_server.hpp"
#include "server/http/tls_context.hpp"
#include "server/store/postgres_uri.hpp"

#include <mlflowcpp/version.hpp>

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::cli {

int run_server_command(const std::vector<std::string>& arguments) {
  for (const auto& argument : arguments) {
    if (argument == "--help") {
      std::cout << cli::server_usage();
      return 0;
    }
  }
  cli::ServerOptions options;
  std::optional<server::ArtifactRoots> artifact_roots;
  try {
    options = cli::parse_server_options(arguments, cli::process_environment);
    artifact_roots = options.allow_any_artifact_location
                         ? server::ArtifactRoots::any()
                         : server::ArtifactRoots::of_server(options.artifacts_destination,
                                                            options.default_artifact_root,
                                                            options.allowed_artifact_roots);
  } catch (const std::invalid_argument& error) {
    std::cerr << "mlflowcpp server: " << error.what() << "\n";
    return 2;
  }

  // A client that hangs up mid-response must cost that response, not the
  // process: socket writes then fail with EPIPE instead of raising SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  // Before the first thread starts.
  cli::tune_heap_for_serving();
  SignalWatcher signal_watcher;
  // What SIGHUP reloads; each part that can be reloaded adds itself below.
  ReloadActions reload_actions;
  std::optional<ServerOperations> operations;
  try {
    // After the watcher: the access log's thread inherits the blocked signals.
    operations.emplace(options);
  } catch (const std::invalid_argument& error) {
    std::cerr << "mlflowcpp server: " << error.what() << "\n";
    return 2;
  }

  // The stores, the services over them and the API's handler groups; they outlive the server that calls them.
  std::unique_ptr<server::TrackingApp> app;
  try {
    server::TrackingAppOptions app_options;
    app_options.backend_store_uri = options.backend_store_uri;
    app_options.stores.default_artifact_root = options.default_artifact_root;
    app_options.stores.db_pool_size = options.db_pool_size;
    app_options.stores.db_max_overflow = options.db_max_overflow;
    app_options.stores.metrics = operations->store_metrics();
    app_options.artifacts_destination = options.artifacts_destination;
    // A UI build given with --static-dir wins over the one built in.
    if (options.static_dir.empty()) {
      app_options.ui_files = std::make_shared<server::http::EmbeddedUiFiles>(server::http::built_in_ui_files());
    } else {
      app_options.ui_files = std::make_shared<server::http::DirectoryUiFiles>(options.static_dir);
    }
    app_options.serving.static_prefix = options.static_prefix;
    app_options.serving.artifacts_only = options.artifacts_only;
    app_options.serving.serve_artifacts = options.serve_artifacts;
    app = std::make_unique<server::TrackingApp>(app_options, *artifact_roots, std::cerr);
  } catch (const std::exception& error) {
    std::cerr << "mlflowcpp server: cannot open the backend store '"
              << server::store::postgres::redact_password(options.backend_store_uri) << "': " << error.what()
              << "\n";
    return 1;
  }

  // Before the store opens: a certificate that cannot be used is a configuration error, like a bad flag.
  std::shared_ptr<server::http::TlsContext> tls;
  if (!options.tls_cert.empty()) {
    try {
      tls = std::make_shared<server::http::TlsContext>(options.tls_cert, options.tls_key);
    } catch (const server::http::TlsSetupError& error) {
      std::cerr << "mlflowcpp server: " << error.what() << "\n";
      return 2;
    }
  }

  // Users and permissions (MLflow's basic-auth app): its database opens before the server takes requests.
  std::unique_ptr<server::auth::BasicAuthApp> auth_app;
  if (options.app_name == cli::kBasicAuthApp) {
    server::auth::BasicAuthAppOptions auth_options;
    auth_options.config_path = options.auth_config_path;
    auth_options.form_secret = cli::process_environment("MLFLOW_FLASK_SERVER_SECRET_KEY").value_or("");
    auth_options.static_prefix = options.static_prefix;
    try {
      auth_app = std::make_unique<server::auth::BasicAuthApp>(auth_options);
    } catch (const server::auth::AuthSetupError& error) {
      std::cerr << "mlflowcpp server: " << error.what() << "\n";
      return 2;
    } catch (const std::exception& error) {
      std::cerr << "mlflowcpp server: cannot start the basic-auth app: " << error.what() << "\n";
      return 1;
    }
    if (auth_app->created_admin()) {
      std::cout << fmt::format("mlflowcpp server: created the admin user '{}'; set a new password for it at once "
                               "(PATCH /api/2.0/mlflow/users/update-password).\n",
                               auth_app->config().admin_username)
                << std::flush;
    }
  }

  server::http::HttpServerOptions http_options;
  http_options.serving.static_prefix = options.static_prefix;
  http_options.serving.artifacts_only = options.artifacts_only;
  http_options.serving.serve_artifacts = options.serve_artifacts;
  http_options.worker_threads = options.workers;
  http_options.max_connections = options.max_connections;
  http_options.limits.read_timeout = std::chrono::seconds(options.read_timeout_seconds);
  http_options.limits.write_timeout = std::chrono::seconds(options.write_timeout_seconds);
  http_options.limits.keep_alive_timeout = std::chrono::seconds(options.keep_alive_timeout_seconds);
  http_options.limits.max_keep_alive_requests = options.max_keep_alive_requests;
  http_options.limits.max_header_bytes = options.max_header_bytes;
  http_options.allowed_ips = options.allowed_ips;
  http_options.trusted_proxies = options.trusted_proxies;
  http_options.tls = tls;
  if (auth_app) http_options.authentication = auth_app->authentication_filter();
  // `app` outlives the server, whose memory trimmer calls this.
  http_options.release_idle_memory = [&app] { app->stores().tracking->release_idle_memory(); };
  // Finds the experiment of a run or logged model for the permission checks.
  server::auth::StoreResourceResolver resource_resolver(*app->stores().tracking, *app->stores().logged_models);
  server::http::HttpServer http_server(http_options, std::cerr);
  for (server::http::RouteGroup& group : app->route_groups()) http_server.add_routes(group);
  operations->add_routes(http_server);
  if (auth_app) {
    http_server.add_routes(auth_app->routes());
    // After the last add_routes: every route gets its permission check.
    server::auth::ProtectionOptions protection;
    protection.default_permission = auth_app->config().default_permission;
    protection.static_prefix = options.static_prefix;
    server::auth::protect_routes(http_server.router(), auth_app->store(), resource_resolver, protection);
  }
  operations->observe(http_server);

  if (!http_server.bind(options.host, options.port)) {
    std::cerr << fmt::format("mlflowcpp server: cannot listen on {}:{} (address in use or not available).\n",
                             options.host, options.port);
    return 1;
  }
  const std::string auth_summary =
      auth_app ? fmt::format(" | basic-auth on (users in {})",
                             server::store::postgres::redact_password(auth_app->config().database_uri))
               : "";
  std::cout << fmt::format("mlflowcpp {} (MLflow {} protocol) listening on {}://{}:{} | backend store {} | "
                           "default artifact root {} | {} workers{}\n",
                           kVersion, kMlflowProtocolVersion, tls ? "https" : "http", options.host, http_server.port(),
                           server::store::postgres::redact_password(options.backend_store_uri),
                           options.default_artifact_root, options.workers, auth_summary)
            << std::flush;
  // New connections get the new certificate; open ones keep theirs, and a failed reload keeps the old one.
  if (tls) reload_actions.add("TLS certificate and key", [&tls] { tls->reload(); });
  if (!options.access_log_file.empty()) {
    reload_actions.add("access log file", [&operations, &options] {
      if (!operations->reopen_access_log()) {
        throw std::runtime_error("cannot open " + options.access_log_file + "; writing on to the previous one");
      }
    });
  }
  ShutdownTiming shutdown_timing;
  shutdown_timing.delay = std::chrono::seconds(options.shutdown_delay_seconds);
  shutdown_timing.timeout = std::chrono::seconds(options.shutdown_timeout_seconds);
  ServerLifecycle lifecycle(signal_watcher, http_server, reload_actions, shutdown_timing, std::cerr);
  const bool served = http_server.run();
  lifecycle.finish();
  operations->flush_access_log();
  if (!served) {
    std::cerr << "mlflowcpp server: the server stopped unexpectedly.\n";
    return 1;
  }
  return 0;
}

}  // namespace mlflowcpp::cli
