#include "server/http/server_handlers.hpp"

#include "server/http/directory_ui_files.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"

#include <mlflowcpp/version.hpp>

namespace mlflowcpp::server::http {

ServerHandlers::ServerHandlers(std::shared_ptr<const UiFiles> ui_files)
    : ui_files_(ui_files ? std::move(ui_files) : std::make_shared<DirectoryUiFiles>("")) {}

ServerHandlers::ServerHandlers(std::string static_dir)
    : ui_files_(std::make_shared<DirectoryUiFiles>(std::move(static_dir))) {}

void ServerHandlers::register_routes(Router& router) {
  const std::string& prefix = router.static_prefix();
  const auto add = [&router](PathMatch match, const std::string& pattern, Handler handler) {
    Route route;
    route.methods = {"GET"};
    route.pattern = pattern;
    route.match = match;
    route.family = ApiFamily::kServer;
    route.handler = std::move(handler);
    router.add(std::move(route));
  };
  add(PathMatch::kExact, prefix + "/health", [](Request&, Reply& reply) { reply.text(200, "OK"); });
  // The MLflow release whose protocol every served call follows. MLflow 3's Python client reads this for one
  // decision alone: at 3.4 or later its log_spans posts to /v1/traces, which is not served here; below 3.4 it
  // refuses cleanly. Nothing else a 3.x client does (logged models included) depends on it, and 2.x clients and
  // the 2.9 UI keep the answer they always had.
  add(PathMatch::kExact, prefix + "/version",
      [](Request&, Reply& reply) { reply.text(200, kMlflowProtocolVersion); });
  const auto index = [this](Request& request, Reply& reply) { ui_files_->serve_index(request, reply); };
  add(PathMatch::kExact, prefix + "/", index);
  if (!prefix.empty()) add(PathMatch::kExact, prefix, index);
  add(PathMatch::kPrefix, prefix + "/static-files/",
      [this](Request& request, Reply& reply) { ui_files_->serve_file(request.route_remainder(), request, reply); });
}

}  // namespace mlflowcpp::server::http
