#include "server/app/in_process_connection.hpp"

#include "server/app/tracking_app.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "server/http/in_memory_exchange.hpp"

#include <cctype>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <utility>

namespace mlflowcpp::server {
namespace {

bool has_uri_scheme(const std::string& location) {
  const auto colon = location.find(':');
  if (colon == std::string::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = location[i];
    const bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    if (!allowed) return false;
  }
  return true;
}

std::string absolute_path(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().generic_string();
}

class InProcessConnection : public Connection {
 public:
  explicit InProcessConnection(std::unique_ptr<TrackingApp> app) : app_(std::move(app)) {}

  HttpResponse send(const HttpRequest& request) override {
    HttpResponse response;
    try {
      http::QueryParams query(request.query.begin(), request.query.end());
      std::vector<std::pair<std::string, std::string>> headers;
      if (http::method_reads_body(request.method)) headers.emplace_back("Content-Type", "application/json");
      http::InMemoryRequest in_memory_request(request.method, request.path, std::move(query), request.body,
                                              std::move(headers));
      http::InMemoryReply reply;
      app_->dispatcher().dispatch(in_memory_request, reply);
      reply.finish();
      response.status = reply.status();
      response.headers = reply.headers();
      response.body = reply.take_body();
    } catch (const std::exception& error) {
      // The dispatcher answers every handler's exception; this is for one escaping the exchange itself.
      std::cerr << "mlflowcpp: the in-process store failed to serve " << request.method << " " << request.path << ": "
                << error.what() << "\n";
      response = internal_error();
    } catch (...) {
      response = internal_error();
    }
    return response;
  }

 private:
  static HttpResponse internal_error() {
    HttpResponse response;
    response.status = 500;
    response.body = R"({"error_code": "INTERNAL_ERROR", "message": "An internal error occurred."})";
    response.headers.emplace_back("content-type", "application/json");
    return response;
  }

  std::unique_ptr<TrackingApp> app_;
};

}  // namespace

std::string resolve_default_artifact_root(const std::string& explicit_root,
                                          const std::optional<std::string>& environment_root) {
  std::string root = explicit_root;
  if (root.empty() && environment_root && !environment_root->empty()) root = *environment_root;
  if (root.empty()) root = "./mlruns";
  if (!has_uri_scheme(root)) return absolute_path(root);
  // file:relative/path (no authority): MLflow makes it file:///<absolute path>.
  if (root.rfind("file:", 0) == 0 && root.rfind("file://", 0) != 0 && root.size() > 5 && root[5] != '/') {
    return "file://" + absolute_path(root.substr(5));
  }
  return root;
}

std::shared_ptr<Connection> open_in_process_connection(const std::string& database_uri,
                                                       const InProcessOptions& options) {
  const char* environment_root = std::getenv("MLFLOW_DEFAULT_ARTIFACT_ROOT");
  const std::string root = resolve_default_artifact_root(
      options.default_artifact_root,
      environment_root != nullptr ? std::optional<std::string>(environment_root) : std::nullopt);
  TrackingAppOptions app_options;
  app_options.backend_store_uri = database_uri;
  app_options.stores.default_artifact_root = root;
  // Runs created here get their real location (the default root is a path or a store URI, never
  // mlflow-artifacts:/), and the client writes their files there itself. The proxy routes still answer for runs a
  // server wrote into the same database with mlflow-artifacts:/ locations: they resolve where `mlflow server` (and
  // `mlflowcpp server`) keep them by default, ./mlartifacts, or MLFLOW_ARTIFACTS_DESTINATION.
  const char* environment_destination = std::getenv("MLFLOW_ARTIFACTS_DESTINATION");
  app_options.artifacts_destination = resolve_default_artifact_root(
      "", environment_destination != nullptr && *environment_destination != '\0'
              ? std::optional<std::string>(environment_destination)
              : std::optional<std::string>("./mlartifacts"));
  app_options.serving.serve_artifacts = true;
  // The process trusts itself with any location, as MLflow's in-process stores do.
  auto app = std::make_unique<TrackingApp>(app_options, ArtifactRoots::any(), std::cerr);
  return std::make_shared<InProcessConnection>(std::move(app));
}

}  // namespace mlflowcpp::server
