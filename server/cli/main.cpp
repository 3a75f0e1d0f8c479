// mlflowcpp: the command-line program. `mlflowcpp server` runs the tracking
// server; `mlflowcpp db upgrade` prepares a database; `mlflowcpp sync` copies
// runs between stores; `mlflowcpp --version` prints the version.

#include "server/app/tracking_app.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "server/auth/basic_auth_app.hpp"
#include "server/auth/route_protection.hpp"
#include "server/auth/store_resource_resolver.hpp"
#include "server/cli/db_command.hpp"
#include "server/cli/server_operations.hpp"
#include "server/cli/server_options.hpp"
#include "server/cli/sync_command.hpp"
#include "server/http/built_in_ui.hpp"
#include "server/http/directory_ui_files.hpp"
#include "server/http/http_server.hpp"
#include "server/http/tls_context.hpp"
#include "server/store/postgres_uri.hpp"

#include <mlflowcpp/version.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <pthread.h>
#include <signal.h>

namespace {

using namespace mlflowcpp;

constexpr const char* kUsage =
    "Usage: mlflowcpp [--version] [--help] <command> [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  server   Run the MLflow tracking server (see `mlflowcpp server --help`)\n"
    "  db       Create or check a backend store's schema (see `mlflowcpp db --help`)\n"
    "  sync     Copy runs and models from one tracking store to another (see `mlflowcpp sync --help`)\n";

// Stops the server on SIGINT or SIGTERM, and calls `on_reload` on SIGHUP. The signals are blocked in every
// thread (the mask is inherited by the server's threads, so block them before
// creating any) and taken synchronously by one watcher thread, so no handler
// runs in signal context.
class SignalWatcher {
 public:
  SignalWatcher() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
  }
  ~SignalWatcher() { finish(); }
  // Ends the watching; call it before the watched server goes away.
  void finish() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  void watch(server::http::HttpServer& server, std::function<void()> on_reload) {
    thread_ = std::thread([this, &server, on_reload = std::move(on_reload)] {
      const timespec poll_interval{0, 200 * 1000 * 1000};
      while (!done_) {
        const int signal = sigtimedwait(&signals_, nullptr, &poll_interval);
        if (signal == SIGHUP) {
          if (on_reload) on_reload();
          continue;
        }
        if (signal == SIGINT || signal == SIGTERM) {
          std::cerr << "mlflowcpp: shutting down\n";
          // A signal that arrives while the server is still starting must not be
          // lost: stop() only acts on a running server.
          while (!server.is_running() && !done_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          server.stop();
          return;
        }
      }
    });
  }

 private:
  sigset_t signals_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

int run_server(const std::vector<std::string>& arguments) {
  for (const auto& argument : arguments) {
    if (argument == "--help") {
      std::cout << cli::server_usage();
      return 0;
    }
  }
  cli::ServerOptions options;
  std::optional<server::ArtifactRoots> artifact_roots;
  std::optional<cli::ServerOperations> operations;
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
  SignalWatcher signal_watcher;
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
  signal_watcher.watch(http_server, [&tls] {
    if (!tls) return;
    // New connections get the new certificate; open ones keep theirs, and a failed reload keeps the old one.
    try {
      tls->reload();
      std::cerr << "mlflowcpp server: reloaded the TLS certificate and key\n";
    } catch (const server::http::TlsSetupError& error) {
      std::cerr << "mlflowcpp server: kept the previous TLS certificate: " << error.what() << "\n";
    }
  });
  const bool served = http_server.run();
  signal_watcher.finish();
  operations->flush_access_log();
  if (!served) {
    std::cerr << "mlflowcpp server: the server stopped unexpectedly.\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& command = arguments.front();
  if (command == "--version" || command == "version") {
    std::cout << "mlflowcpp " << kVersion << "\n";
    return 0;
  }
  if (command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "server") {
    try {
      return run_server({arguments.begin() + 1, arguments.end()});
    } catch (const std::exception& error) {
      std::cerr << "mlflowcpp server: " << error.what() << "\n";
      return 1;
    }
  }
  if (command == "db") return cli::run_db_command({arguments.begin() + 1, arguments.end()});
  if (command == "sync") return cli::run_sync_command({arguments.begin() + 1, arguments.end()});
  std::cerr << "mlflowcpp: unknown command '" << command << "'.\n" << kUsage;
  return 2;
}
