#pragma once

// The basic-auth app's authentication: every request but the open ones
// (health, the UI's static files, /favicon.ico, and OPTIONS, which the
// dispatcher answers from the route table alone) must carry
// `Authorization: Basic base64(username:password)` of a known user. The caller
// is then set on the request; anything else is answered 401 with
// `WWW-Authenticate: Basic realm="mlflow"` and one identical MLflow error,
// whatever was wrong, so the answer tells nothing about which usernames exist.

#include "server/http/caller.hpp"
#include "server/http/filter.hpp"

#include <functional>
#include <optional>
#include <string>

namespace mlflowcpp::server::auth {

// The caller whose password `password` is, or nullopt (Authenticator::authenticate).
using CredentialCheck =
    std::function<std::optional<http::Caller>(const std::string& username, const std::string& password)>;

class AuthenticationFilter : public http::Filter {
 public:
  // `static_prefix`: the server's --static-prefix ("" or "/prefix").
  AuthenticationFilter(CredentialCheck check, std::string static_prefix);

  http::FilterAction before(http::Request& request, http::Reply& reply) override;

 private:
  bool is_open(const http::Request& request) const;
  std::optional<http::Caller> caller_of(const http::Request& request) const;

  CredentialCheck check_;
  std::string health_path_;
  std::string static_files_prefix_;
};

}  // namespace mlflowcpp::server::auth
