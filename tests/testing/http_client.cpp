#include "testing/http_client.hpp"
#include "text/ascii.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <httplib.h>

namespace mlflowcpp::testing {

namespace {

// True once `raw` holds a status line, headers and a body of the announced
// Content-Length (a response without Content-Length ends when the peer closes).
bool holds_complete_response(const std::string& raw) {
  const size_t header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos) return false;
  const std::string headers = to_lower_ascii(raw.substr(0, header_end));
  const size_t length_at = headers.find("\r\ncontent-length:");
  if (length_at == std::string::npos) return false;
  const size_t length = std::strtoul(headers.c_str() + length_at + 17, nullptr, 10);
  return raw.size() >= header_end + 4 + length;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (equals_ignoring_case(key, name)) return value;
  }
  return "";
}

std::string HttpResponse::error_code() const {
  if (json.is_object() && json.contains("error_code") && json["error_code"].is_string()) {
    return json["error_code"].get<std::string>();
  }
  return "";
}

std::string HttpResponse::describe() const {
  constexpr size_t kShownBodyBytes = 600;
  std::string text = "status " + std::to_string(status);
  if (!transport_error.empty()) text += " (transport error: " + transport_error + ")";
  text += ", body: " + body.substr(0, kShownBodyBytes);
  if (body.size() > kShownBodyBytes) text += "... (" + std::to_string(body.size()) + " bytes)";
  return text;
}

HttpClient::HttpClient(int port, std::chrono::seconds timeout)
    : port_(port), client_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
  client_->set_keep_alive(true);
  // Paths are sent verbatim so tests control every byte (invalid UTF-8, %-escapes).
  client_->set_url_encode(false);
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(timeout.count(), 0);
  client_->set_write_timeout(timeout.count(), 0);
}

HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::get(const std::string& path_with_query) {
  return request("GET", path_with_query, "", "");
}

HttpResponse HttpClient::post(const std::string& path, const Json& body) {
  return request("POST", path, body.dump(), "application/json");
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path, const std::string& body,
                                 const std::string& content_type,
                                 const std::vector<std::pair<std::string, std::string>>& headers) {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.body = body;
  for (const auto& [name, value] : headers) request.headers.emplace(name, value);
  if (!content_type.empty()) request.headers.emplace("Content-Type", content_type);

  HttpResponse response;
  httplib::Result result = client_->send(request);
  if (!result) {
    response.transport_error = httplib::to_string(result.error());
    return response;
  }
  response.status = result->status;
  response.body = result->body;
  for (const auto& [name, value] : result->headers) response.headers.emplace(name, value);
  response.json = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (response.json.is_discarded()) response.json = nullptr;
  return response;
}

std::string url_encode(const std::string& text) {
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      char escape[4];
      std::snprintf(escape, sizeof(escape), "%%%02X", c);
      encoded += escape;
    }
  }
  return encoded;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string query;
  for (const auto& [key, value] : fields) {
    if (!query.empty()) query += '&';
    query += url_encode(key) + "=" + url_encode(value);
  }
  return query;
}

std::string send_raw_http(int port, const std::string& raw, std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
    size_t sent = 0;
    while (sent < raw.size()) {
      ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[8192];
    while (!holds_complete_response(received)) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd waiting{fd, POLLIN, 0};
      if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return received;
}

int raw_http_status(const std::string& raw_response) {
  // "HTTP/1.1 400 Bad Request"
  if (raw_response.rfind("HTTP/", 0) != 0) return 0;
  size_t space = raw_response.find(' ');
  if (space == std::string::npos || space + 4 > raw_response.size()) return 0;
  try {
    return std::stoi(raw_response.substr(space + 1, 3));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace mlflowcpp::testing
