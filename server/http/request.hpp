#pragma once

// What a handler sees of one HTTP request, without the HTTP library's types:
// method, path, query, headers, the body (read whole before the handler for
// buffered routes, read through read_body() as it arrives for streamed ones),
// the peer, and what the dispatcher found out (request id, matched route,
// the path after a prefix route). One object per request, on the serving thread.

#include "server/http/caller.hpp"
#include "server/http/read_scope.hpp"
#include "server/http/request_message.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

struct Route;

using QueryParams = std::multimap<std::string, std::string>;
// Takes one piece of a streamed body; false stops the reading.
using BodyChunkSink = std::function<bool(const char* data, std::size_t length)>;

// Whether requests of `method` have their body read (POST, PUT, PATCH, DELETE);
// the body of any other request is never read.
bool method_reads_body(std::string_view method);

class Request {
 public:
  virtual ~Request() = default;
  Request(const Request&) = delete;
  Request& operator=(const Request&) = delete;

  virtual const std::string& method() const = 0;
  // Percent-decoded, without the query string.
  virtual const std::string& path() const = 0;
  virtual const QueryParams& query() const = 0;
  // The first value of header `name` (case-insensitive); nullopt when absent.
  virtual std::optional<std::string> header(const std::string& name) const = 0;
  virtual const std::string& peer_address() const = 0;

  // Streamed routes: passes the body to `sink` as it arrives; false when it
  // ended early (client gone, malformed chunking) or `sink` refused a piece.
  // A multipart/form-data body is read and dropped. Once only.
  virtual bool read_body(const BodyChunkSink& sink) = 0;
  // Whether read_body() was called (a body nobody read is drained or the connection closed).
  bool body_consumed() const { return body_consumed_; }

  // The first value of query parameter `name`; "" when absent.
  std::string query_value(const std::string& name) const;
  // Whether the body is multipart/form-data (by its Content-Type).
  bool is_multipart_form() const;
  // The declared Content-Length; nullopt when absent or not a decimal number.
  std::optional<std::uint64_t> content_length() const;

  // Buffered routes: the whole body (empty for streamed routes and bodiless methods).
  const std::string& body() const { return body_; }
  // Bytes of body received so far.
  std::uint64_t body_size() const { return body_size_; }

  // The API fields of the request (query string for GET, JSON body otherwise),
  // parsed on first use. Throws MlflowException for a wrong Content-Type.
  const RequestMessage& message() const;

  const std::string& request_id() const { return request_id_; }
  // The matched route; null when none matched the path and method (404, 405, OPTIONS).
  const Route* route() const { return route_; }
  // What a prefix route left of the path ("dir/f.txt"); empty for exact routes.
  std::string_view route_remainder() const { return route_remainder_; }

  // Who sent the request: set by authentication; nullopt when it is off or the route is open.
  const std::optional<Caller>& caller() const { return caller_; }
  void set_caller(Caller caller) { caller_ = std::move(caller); }
  // What searches may return for this caller (everything unless narrowed by authorization).
  const ReadScope& read_scope() const { return read_scope_; }
  void set_read_scope(ReadScope scope) { read_scope_ = std::move(scope); }

 protected:
  Request() = default;
  void note_body_consumed() { body_consumed_ = true; }
  void add_body_bytes(std::size_t count) { body_size_ += count; }

 private:
  friend class RequestDispatcher;

  // Reads the whole body into body() when it stays within `limit` bytes (0 = no limit).
  enum class BodyLoad { kRead, kTooLarge, kIncomplete };
  BodyLoad load_body(std::size_t limit);

  std::string request_id_;
  const Route* route_ = nullptr;
  std::string_view route_remainder_;
  std::string body_;
  std::uint64_t body_size_ = 0;
  bool body_consumed_ = false;
  mutable std::optional<RequestMessage> message_;
  std::optional<Caller> caller_;
  ReadScope read_scope_;
};

}  // namespace mlflowcpp::server::http
