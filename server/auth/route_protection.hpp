#pragma once

// The basic-auth app's authorization: every route of the server gets an
// access rule (open, any signed-in user, admin only, the caller's own user,
// or a capability on the experiment or registered model the request names),
// and its handler is wrapped so that a request beyond the caller's permission
// is answered 403 PERMISSION_DENIED before the handler runs. Admins pass every
// check. Searches are narrowed to what the caller may read (Request::read_scope).
// Creating an experiment or registered model grants its creator MANAGE;
// renaming or deleting a model carries its grants along.

#include "server/auth/auth_store.hpp"
#include "server/auth/permission.hpp"

#include <functional>
#include <string>

namespace mlflowcpp::server::http {
class Router;
}

namespace mlflowcpp::server::auth {

// What the checks read from the tracking side. Throws MlflowException
// RESOURCE_DOES_NOT_EXIST for an unknown run, experiment or model.
class ResourceResolver {
 public:
  virtual ~ResourceResolver() = default;
  virtual std::string experiment_of_run(const std::string& run_id) = 0;
  virtual std::string experiment_id_by_name(const std::string& experiment_name) = 0;
  virtual std::string experiment_of_logged_model(const std::string& model_id) = 0;
};

struct ProtectionOptions {
  Permission default_permission = Permission::kRead;
  // The server's --static-prefix ("" or "/prefix").
  std::string static_prefix;
  // Where a grant that could not be written after a successful call is reported
  // (the call's answer stands); empty = std::cerr.
  std::function<void(const std::string& message)> warn;
};

// Wraps every route registered in `router` so far; call it after the last
// add_routes(). `store` and `resolver` must outlive the router.
void protect_routes(http::Router& router, AuthStore& store, ResourceResolver& resolver,
                    const ProtectionOptions& options);

}  // namespace mlflowcpp::server::auth
