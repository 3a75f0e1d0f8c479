#include "server/http/router.hpp"

#include "server/http/responses.hpp"

#include <httplib.h>

#include <algorithm>

namespace mlflowcpp::server::http {

void Router::add(const std::string& method, const std::string& path, Handler handler) {
  routes_[path][method] = std::move(handler);
}

void Router::add(const std::vector<std::string>& methods, const std::string& path, const Handler& handler) {
  for (const auto& method : methods) add(method, path, handler);
}

void Router::dispatch(const httplib::Request& request, httplib::Response& response) const {
  const auto route = routes_.find(request.path);
  if (route == routes_.end()) {
    if (fallback_ && fallback_(request, response)) return;
    send_error(response, 404, "ENDPOINT_NOT_FOUND",
               "The requested URL was not found on the server: " + request.path);
    return;
  }
  const auto& by_method = route->second;
  auto handler = by_method.find(request.method);
  if (handler == by_method.end() && request.method == "HEAD") handler = by_method.find("GET");
  if (handler != by_method.end()) {
    handler->second(request, response);
    return;
  }
  std::vector<std::string> allowed;
  for (const auto& entry : by_method) allowed.push_back(entry.first);
  if (by_method.count("GET")) allowed.push_back("HEAD");
  allowed.push_back("OPTIONS");
  std::sort(allowed.begin(), allowed.end());
  std::string allow;
  for (const auto& method : allowed) allow += (allow.empty() ? "" : ", ") + method;
  response.set_header("Allow", allow);
  if (request.method == "OPTIONS") {
    response.status = 200;
    return;
  }
  send_error(response, 405, "BAD_REQUEST",
             "The method " + request.method + " is not allowed for the requested URL " + request.path + ".");
}

}  // namespace mlflowcpp::server::http
