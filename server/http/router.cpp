#include "server/http/router.hpp"

#include <algorithm>

namespace mlflowcpp::server::http {

Router::Router(std::string static_prefix, std::size_t default_body_limit)
    : static_prefix_(std::move(static_prefix)), default_body_limit_(default_body_limit) {}

void Router::add(Route route) {
  if (route.max_body_bytes == Route::kDefaultBodyLimit) {
    route.max_body_bytes = route.body == BodyHandling::kBuffered ? default_body_limit_ : 0;
  }
  RouteSet* routes = nullptr;
  if (route.match == PathMatch::kExact) {
    routes = &exact_[route.pattern];
  } else {
    auto it = std::find_if(prefixes_.begin(), prefixes_.end(),
                           [&](const RouteSet& set) { return set.pattern == route.pattern; });
    if (it == prefixes_.end()) {
      // Kept longest first, so the first prefix that matches is the longest.
      it = std::find_if(prefixes_.begin(), prefixes_.end(),
                        [&](const RouteSet& set) { return set.pattern.size() < route.pattern.size(); });
      it = prefixes_.insert(it, RouteSet{});
    }
    routes = &*it;
  }
  routes->pattern = route.pattern;
  const std::vector<std::string> methods = route.methods;
  for (const auto& method : methods) routes->by_method[method] = route;
}

void Router::for_each_route(const std::function<void(Route& route)>& visit) {
  for (auto& [pattern, routes] : exact_) {
    for (auto& [method, route] : routes.by_method) visit(route);
  }
  for (auto& routes : prefixes_) {
    for (auto& [method, route] : routes.by_method) visit(route);
  }
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  const auto exact = exact_.find(path);
  if (exact != exact_.end()) return match_in(exact->second, method);
  for (const auto& prefix : prefixes_) {
    // A prefix route needs something after the prefix.
    if (path.size() > prefix.pattern.size() && path.compare(0, prefix.pattern.size(), prefix.pattern) == 0) {
      RouteMatch found = match_in(prefix, method);
      found.remainder = std::string_view(path).substr(prefix.pattern.size());
      return found;
    }
  }
  return {};
}

RouteMatch Router::match_in(const RouteSet& routes, const std::string& method) const {
  RouteMatch found;
  found.path_known = true;
  auto route = routes.by_method.find(method);
  if (route == routes.by_method.end() && method == "HEAD") route = routes.by_method.find("GET");
  if (route != routes.by_method.end()) {
    found.route = &route->second;
    return found;
  }
  std::vector<std::string> allowed;
  for (const auto& entry : routes.by_method) allowed.push_back(entry.first);
  if (routes.by_method.count("GET")) allowed.push_back("HEAD");
  allowed.push_back("OPTIONS");
  std::sort(allowed.begin(), allowed.end());
  for (const auto& name : allowed) found.allow += (found.allow.empty() ? "" : ", ") + name;
  return found;
}

}  // namespace mlflowcpp::server::http
