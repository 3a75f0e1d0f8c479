#pragma once

// What a handler writes the answer into, without the HTTP library's types: a
// body held in memory (JSON, always through protocol::dump so invalid UTF-8 in
// stored data cannot break a response; text; MLflow's error shape
// {"error_code": NAME, "message": ...}) or a body streamed as the socket takes
// it (files, with byte ranges), plus headers.

#include "protocol/json_codec.hpp"

#include <mlflowcpp/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

// Takes a piece of a streamed body; false when the client is gone.
using ReplyChunkSink = std::function<bool(const char* data, std::size_t length)>;
// Writes `length` bytes from `offset` of a streamed body to `sink`; returns how
// many it wrote (0 ends the response early).
using ReplyContentWriter =
    std::function<std::uint64_t(std::uint64_t offset, std::uint64_t length, const ReplyChunkSink& sink)>;

class Reply {
 public:
  virtual ~Reply() = default;
  Reply(const Reply&) = delete;
  Reply& operator=(const Reply&) = delete;

  virtual void set_header(const std::string& name, const std::string& value) = 0;
  // A body held in memory (possibly empty).
  virtual void send(int status, std::string body, const std::string& content_type) = 0;
  // An answer without a body (OPTIONS).
  virtual void send_status(int status) = 0;
  // A body of `size` bytes produced by `writer` while it is sent: 200, or 206
  // with the byte range the client asked for.
  virtual void stream(std::uint64_t size, const std::string& content_type, ReplyContentWriter writer) = 0;
  // The status set so far; 0 before any answer.
  virtual int status() const = 0;
  bool answered() const { return status() != 0; }
  // Body bytes of an answer held in memory.
  virtual std::uint64_t body_bytes() const = 0;
  // Whether the answer is streamed (stream() was called).
  virtual bool streamed() const = 0;
  // A streamed answer is sent after the handler returned: `sent` runs once it is
  // over, with the body bytes that went out and whether that was all of them.
  virtual void when_sent(std::function<void(std::uint64_t body_bytes, bool complete)> sent) = 0;

  // Says "Connection: close": the connection ends after this answer, and a
  // body nobody read is left unread.
  void close_connection() {
    set_header("Connection", "close");
    closes_connection_ = true;
  }
  bool closes_connection() const { return closes_connection_; }

  void json(int status, const protocol::Json& body);
  void json(int status, protocol::JsonText body);
  void text(int status, const std::string& text);
  void error(const MlflowException& error);
  void error(int status, std::string_view error_code, std::string_view message);

 protected:
  Reply() = default;

 private:
  bool closes_connection_ = false;
};

}  // namespace mlflowcpp::server::http
