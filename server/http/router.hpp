#pragma once

// Exact-path routing by hash map: one lookup per request, whatever the number
// of routes. The server sends every request here from one catch-all handler,
// so unknown paths and wrong methods get MLflow-shaped JSON errors (404, 405).

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace mlflowcpp::server::http {

class Router {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `method` is an HTTP method in upper case; GET routes also answer HEAD.
  void add(const std::string& method, const std::string& path, Handler handler);
  void add(const std::vector<std::string>& methods, const std::string& path, const Handler& handler);

  // Fallback for paths with no exact route (static files, say); it returns
  // false when it does not serve the path either.
  using Fallback = std::function<bool(const httplib::Request&, httplib::Response&)>;
  void set_fallback(Fallback fallback) { fallback_ = std::move(fallback); }

  // Answers every request: the route's handler, 405 for a known path with another
  // method, the fallback, or 404.
  void dispatch(const httplib::Request& request, httplib::Response& response) const;

 private:
  // path -> method -> handler
  std::unordered_map<std::string, std::unordered_map<std::string, Handler>> routes_;
  Fallback fallback_;
};

}  // namespace mlflowcpp::server::http
