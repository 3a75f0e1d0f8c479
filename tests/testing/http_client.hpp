#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace httplib {
class Client;
}

namespace mlflowcpp::testing {

using Json = nlohmann::json;

// One HTTP answer. `status` is 0 when no answer arrived at all (refused,
// reset, timed out); `transport_error` then says why.
struct HttpResponse {
  int status = 0;
  std::string body;
  Json json;  // the parsed body; null when the body is not JSON
  std::multimap<std::string, std::string> headers;
  std::string transport_error;

  std::string header(const std::string& name) const;  // first value, case-insensitive; "" if absent
  std::string content_type() const { return header("Content-Type"); }
  // json["error_code"] when the body is a JSON error, else "".
  std::string error_code() const;
  // "status 400, body {...}" for assertion messages (body cut to a readable length).
  std::string describe() const;
};

// A small JSON-over-HTTP client for tests and benchmarks, on one keep-alive
// connection to 127.0.0.1:<port>. Paths are sent exactly as given (no encoding):
// build query strings with url_encode().
//
// @par Thread Safety
// One client per thread; distinct clients are independent connections.
class HttpClient {
 public:
  explicit HttpClient(int port, std::chrono::seconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  int port() const { return port_; }

  // GET path (query string included).
  HttpResponse get(const std::string& path_with_query);
  // POST a JSON body with Content-Type application/json.
  HttpResponse post(const std::string& path, const Json& body);
  // Any method, raw body, given Content-Type ("" = no Content-Type header) and extra headers.
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type,
                       const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  int port_;
  std::unique_ptr<httplib::Client> client_;
};

// Percent-encodes everything but RFC 3986 unreserved characters (for query values).
std::string url_encode(const std::string& text);
// "a=1&b=x%20y" from pairs, each side url_encode()d; repeated keys allowed.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& fields);

// Sends `raw` bytes on a fresh loopback connection, then reads until one whole
// response (by Content-Length) arrived, the peer closes or `timeout` passes;
// returns what was read. For requests an HTTP client
// library refuses to produce (NUL bytes, broken request lines).
std::string send_raw_http(int port, const std::string& raw,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Status code from the first line of a raw HTTP response, 0 if there is none.
int raw_http_status(const std::string& raw_response);

}  // namespace mlflowcpp::testing
