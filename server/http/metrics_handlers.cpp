#include "server/http/metrics_handlers.hpp"

#include "server/http/prometheus_text.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"

namespace mlflowcpp::server::http {

void MetricsHandlers::register_routes(Router& router) {
  Route route;
  route.methods = {"GET"};
  route.pattern = kMetricsPath;
  route.family = ApiFamily::kServer;
  route.handler = [this](Request&, Reply& reply) { reply.send(200, render(), prometheus::kContentType); };
  router.add(std::move(route));
}

std::string MetricsHandlers::render() const {
  std::string out;
  // A scrape of a server with about a hundred routes in use stays well below this.
  out.reserve(64 * 1024);
  metrics_->render(out);
  if (store_metrics_) store_metrics_->render(out);
  process_.render(out);
  return out;
}

}  // namespace mlflowcpp::server::http
