#pragma once

// A group of endpoints (tracking, registry, artifacts, health and the UI) that
// registers its own routes; the server takes any number of them.

namespace mlflowcpp::server::http {

class Router;

class RouteGroup {
 public:
  virtual ~RouteGroup() = default;
  // Paths the UI reaches take router.static_prefix().
  virtual void register_routes(Router& router) = 0;
};

}  // namespace mlflowcpp::server::http
