#pragma once

// A `mlflowcpp server --app-name basic-auth` for integration tests, and a
// client that signs its calls in as one user.

#include <httplib.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {

inline constexpr const char* kAuthAdmin = "admin";
inline constexpr const char* kAuthAdminPassword = "initial-admin-password";

// The ini file and options of a basic-auth server keeping its users in `database_uri`, by default in
// `dir`/basic_auth.db.
inline testing::ServerOptions basic_auth_server(const std::filesystem::path& dir,
                                                const std::string& default_permission = "READ",
                                                std::string database_uri = "") {
  if (database_uri.empty()) database_uri = "sqlite:///" + (dir / "basic_auth.db").string();
  const auto ini = dir / "basic_auth.ini";
  testing::write_file(ini,
                      "[mlflow]\n"
                      "default_permission = " +
                          default_permission +
                          "\n"
                          "database_uri = " +
                          database_uri +
                          "\n"
                          "admin_username = " +
                          std::string(kAuthAdmin) +
                          "\n"
                          "admin_password = " +
                          std::string(kAuthAdminPassword) +
                          "\n"
                          "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n");
  testing::ServerOptions options;
  options.work_dir = dir;
  options.extra_args = {"--app-name", "basic-auth"};
  options.environment["MLFLOW_AUTH_CONFIG_PATH"] = ini.string();
  return options;
}

// Calls as one user (or with any Authorization header at all).
class AuthClient {
 public:
  AuthClient(const testing::ServerProcess& server, const std::string& username, const std::string& password)
      : http_(server.client()), authorization_(httplib::make_basic_authentication_header(username, password).second) {}

  testing::HttpResponse get(const std::string& path_with_query) { return call("GET", path_with_query); }
  testing::HttpResponse call(const std::string& method, const std::string& path, const testing::Json& body = nullptr) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!authorization_.empty()) headers.emplace_back("Authorization", authorization_);
    if (body.is_null()) return http_.request(method, path, "", "", headers);
    return http_.request(method, path, body.dump(), "application/json", headers);
  }
  void set_authorization(std::string header) { authorization_ = std::move(header); }

 private:
  testing::HttpClient http_;
  std::string authorization_;
};

}  // namespace mlflowcpp::integration
