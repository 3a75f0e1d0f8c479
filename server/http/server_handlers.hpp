#pragma once

// The server's own endpoints, all under the static prefix: /health, /version
// (the MLflow version whose protocol the server speaks), and the web UI: its
// index at the prefix's root and its files under /static-files/.

#include "server/http/route_group.hpp"
#include "server/http/ui_files.hpp"

#include <memory>
#include <string>

namespace mlflowcpp::server::http {

class ServerHandlers : public RouteGroup {
 public:
  // `ui_files`: where the web UI comes from; null = no UI (the UI root says how to get one).
  explicit ServerHandlers(std::shared_ptr<const UiFiles> ui_files);
  // A static build of the MLflow web UI in `static_dir`; "" = no UI.
  explicit ServerHandlers(std::string static_dir);

  void register_routes(Router& router) override;

 private:
  std::shared_ptr<const UiFiles> ui_files_;
};

}  // namespace mlflowcpp::server::http
