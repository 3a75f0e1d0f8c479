#pragma once

// The HTTP server run in-process over a fresh SQLite database in a temporary
// directory, on a free port, with an httplib client pointed at it.

#include "protocol/json_codec.hpp"
#include "server/artifacts/artifact_lister.hpp"
#include "server/http/http_server.hpp"
#include "server/http/server_handlers.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/tracking_service.hpp"
#include "server/store/store_factory.hpp"
#include "unit/http/serving_thread.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

namespace mlflowcpp::server::http::testing {

class TempDirectory {
 public:
  TempDirectory() {
    std::random_device device;
    path_ = std::filesystem::temp_directory_path() /
            ("mlflowcpp-http-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    std::filesystem::create_directories(path_);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct JsonResponse {
  int status = 0;
  std::string content_type;
  std::string body;
  protocol::Json json;  // discarded when the body is not JSON
};

class TestServer {
 public:
  // `database_to_copy`: a database file to serve (a copy of it); "" = a fresh one.
  // `static_dir`: a UI build to serve ("" = none).
  explicit TestServer(HttpServerOptions options = {}, const std::string& database_to_copy = "",
                      const std::string& artifact_root = "mlflow-artifacts:/", const std::string& static_dir = "")
      : artifacts_destination_((directory_.path() / "mlartifacts").string()),
        store_(
            open_tracking_store("sqlite:///" + prepare_database(directory_.path(), database_to_copy), artifact_root)),
        lister_(artifacts_destination_, ArtifactRoots::any()),  // the roots have their own tests
        service_(*store_, lister_),
        server_handlers_(static_dir),
        tracking_handlers_(service_),
        server_(std::move(options), std::cerr) {
    server_.add_routes(server_handlers_);
    server_.add_routes(tracking_handlers_);
    serving_.emplace(server_);
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  httplib::Client& client() { return serving_->client(); }
  int port() const { return server_.port(); }
  const std::filesystem::path& directory() const { return directory_.path(); }
  const std::string& artifacts_destination() const { return artifacts_destination_; }

  static std::string prepare_database(const std::filesystem::path& directory, const std::string& database_to_copy) {
    const std::string path = (directory / "mlflow.db").string();
    if (!database_to_copy.empty()) std::filesystem::copy_file(database_to_copy, path);
    return path;
  }

  static JsonResponse to_json_response(const httplib::Result& result) {
    JsonResponse response;
    if (!result) {
      ADD_FAILURE() << "no HTTP response: " << httplib::to_string(result.error());
      return response;
    }
    response.status = result->status;
    response.content_type = result->get_header_value("Content-Type");
    response.body = result->body;
    response.json = protocol::Json::parse(result->body, nullptr, false);
    return response;
  }

  JsonResponse get(const std::string& path) { return to_json_response(serving_->client().Get(path)); }
  JsonResponse post(const std::string& path, const std::string& body,
                    const std::string& content_type = "application/json") {
    return to_json_response(serving_->client().Post(path, body, content_type));
  }
  JsonResponse post_json(const std::string& path, const protocol::Json& body) {
    return post(path, protocol::dump(body));
  }

  // Shorthands that expect success.
  std::string create_experiment(const std::string& name) {
    auto response = post_json("/api/2.0/mlflow/experiments/create", protocol::Json{{"name", name}});
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json.value("experiment_id", "");
  }
  std::string create_run(const std::string& experiment_id) {
    auto response = post_json("/api/2.0/mlflow/runs/create", protocol::Json{{"experiment_id", experiment_id}});
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json["run"]["info"].value("run_id", "");
  }

 private:
  TempDirectory directory_;
  std::string artifacts_destination_;
  std::unique_ptr<TrackingStore> store_;
  ArtifactLister lister_;
  TrackingService service_;
  ServerHandlers server_handlers_;
  TrackingHandlers tracking_handlers_;
  HttpServer server_;
  std::optional<ServingThread> serving_;  // last: stops serving before the rest goes
};

}  // namespace mlflowcpp::server::http::testing
