#pragma once

// The route table: exact paths in a hash map (one lookup per request, whatever
// the number of routes), then path prefixes, the longest first. Matching is all
// it does; RequestDispatcher runs the filters and the handler, and answers 404
// (no route for the path), 405 with Allow (another method) and OPTIONS.

#include "server/http/route.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mlflowcpp::server::http {

struct RouteMatch {
  // The route for the path and method; null when none.
  const Route* route = nullptr;
  // Whether some route has the path (with other methods): then `allow` lists them.
  bool path_known = false;
  // "DELETE, GET, HEAD, OPTIONS, PUT" for path_known.
  std::string allow;
  // For a prefix route: the path after the prefix.
  std::string_view remainder;
};

class Router {
 public:
  // `static_prefix`: "" or "/prefix", prepended by the handler groups to the UI's paths.
  // `default_body_limit`: the cap of buffered routes registered with Route::kDefaultBodyLimit.
  Router(std::string static_prefix, std::size_t default_body_limit);

  const std::string& static_prefix() const { return static_prefix_; }
  std::size_t default_body_limit() const { return default_body_limit_; }

  // One route; a later route for the same pattern and method replaces the earlier.
  void add(Route route);

  // Calls `visit` with every route, so a layer can wrap their handlers (before the server runs).
  void for_each_route(const std::function<void(Route& route)>& visit);

  // `path` must outlive the match (the remainder points into it).
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  // One pattern's routes, by method.
  struct RouteSet {
    std::string pattern;
    std::unordered_map<std::string, Route> by_method;
  };
  RouteMatch match_in(const RouteSet& routes, const std::string& method) const;

  std::string static_prefix_;
  std::size_t default_body_limit_;
  std::unordered_map<std::string, RouteSet> exact_;
  std::vector<RouteSet> prefixes_;  // longest pattern first
};

}  // namespace mlflowcpp::server::http
