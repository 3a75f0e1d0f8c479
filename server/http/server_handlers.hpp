#pragma once

// The server's own endpoints, all under the static prefix: /health, /version
// (the MLflow version whose protocol the server speaks), and the web UI: its
// index at the prefix's root and its build files under /static-files/.

#include "server/http/route_group.hpp"
#include "server/http/static_files.hpp"

#include <string>

namespace mlflowcpp::server::http {

class ServerHandlers : public RouteGroup {
 public:
  // `static_dir`: a static build of the MLflow web UI; "" = none.
  explicit ServerHandlers(std::string static_dir) : static_files_(std::move(static_dir)) {}

  void register_routes(Router& router) override;

 private:
  StaticFiles static_files_;
};

}  // namespace mlflowcpp::server::http
