#pragma once

// The HTTP server in-process on a free port with the basic-auth app's filter and
// handlers over an in-memory store, a cheap password "hash" ("cheap:" + password)
// and an httplib client. Credentials are checked against the store's hash, so a
// password change or a deletion counts on the next request, as with the real
// Authenticator.

#include "fake_auth_store.hpp"

#include "protocol/json_codec.hpp"
#include "server/auth/auth_handlers.hpp"
#include "server/auth/authentication_filter.hpp"
#include "server/auth/signup_form_token.hpp"
#include "server/http/http_server.hpp"
#include "server/http/server_handlers.hpp"

#include <httplib.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace mlflowcpp::server::auth::testing {

inline std::string cheap_hash(std::string_view password) { return "cheap:" + std::string(password); }

struct AuthTestResponse {
  int status = 0;
  std::string body;
  protocol::Json json;  // discarded when the body is not JSON
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class AuthTestServer {
 public:
  static constexpr const char* kAdmin = "admin";
  static constexpr const char* kAdminPassword = "admin-password-1";

  // `extra_routes`: more routes behind the filter (e.g. one that echoes the caller); may be null.
  explicit AuthTestServer(std::string static_prefix = "", http::RouteGroup* extra_routes = nullptr)
      : form_tokens_("test secret"), handlers_(store_, form_tokens_, cheap_hash), server_handlers_("") {
    store_.create_user(kAdmin, cheap_hash(kAdminPassword), true);
    http::HttpServerOptions options;
    options.serving.static_prefix = static_prefix;
    options.authentication = std::make_shared<AuthenticationFilter>(
        [this](const std::string& username, const std::string& password) -> std::optional<http::Caller> {
          const auto user = store_.find_user(username);
          if (!user || user->password_hash != cheap_hash(password)) return std::nullopt;
          return http::Caller{user->id, user->username, user->is_admin};
        },
        static_prefix);
    server_ = std::make_unique<http::HttpServer>(std::move(options), std::cerr);
    server_->add_routes(server_handlers_);
    server_->add_routes(handlers_);
    if (extra_routes) server_->add_routes(*extra_routes);
    if (!server_->bind("127.0.0.1", 0)) throw std::runtime_error("cannot bind a free port");
    thread_ = std::thread([this] { server_->run(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_->is_running()) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("server did not start");
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~AuthTestServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  AuthTestServer(const AuthTestServer&) = delete;
  AuthTestServer& operator=(const AuthTestServer&) = delete;

  FakeAuthStore& store() { return store_; }
  const SignupFormTokens& form_tokens() const { return form_tokens_; }
  int port() const { return server_->port(); }

  // One request with the given headers (Authorization among them, or not).
  AuthTestResponse send(const std::string& method, const std::string& path, const std::string& body = "",
                        const std::string& content_type = "", httplib::Headers headers = {}) {
    httplib::Client client("127.0.0.1", port());
    client.set_read_timeout(30, 0);
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers = std::move(headers);
    request.body = body;
    if (!content_type.empty()) request.headers.emplace("Content-Type", content_type);
    const auto result = client.send(request);
    AuthTestResponse response;
    if (!result) return response;
    response.status = result->status;
    response.body = result->body;
    response.headers = result->headers;
    response.json = protocol::Json::parse(result->body, nullptr, false);
    return response;
  }
  // As `username` (basic auth).
  AuthTestResponse send_as(const std::string& username, const std::string& password, const std::string& method,
                           const std::string& path, const std::string& body = "", const std::string& content_type = "",
                           httplib::Headers headers = {}) {
    headers.emplace(httplib::make_basic_authentication_header(username, password));
    return send(method, path, body, content_type, std::move(headers));
  }
  // As the admin, with a JSON body for methods that take one.
  AuthTestResponse admin(const std::string& method, const std::string& path, const protocol::Json& body = nullptr) {
    if (body.is_null()) return send_as(kAdmin, kAdminPassword, method, path);
    return send_as(kAdmin, kAdminPassword, method, path, protocol::dump(body), "application/json");
  }

 private:
  FakeAuthStore store_;
  SignupFormTokens form_tokens_;
  AuthHandlers handlers_;
  http::ServerHandlers server_handlers_;
  std::unique_ptr<http::HttpServer> server_;
  std::thread thread_;
};

}  // namespace mlflowcpp::server::auth::testing
