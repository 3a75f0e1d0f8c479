#pragma once

// One request and its answer held in memory, for serving a request without a
// socket: the in-process store hands the client's requests to the server's
// dispatcher through these. The body is whole from the start; a streamed
// answer is collected into the reply's body.

#include "server/http/reply.hpp"
#include "server/http/request.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::server::http {

class InMemoryRequest : public Request {
 public:
  // `path` is percent-decoded here, as the HTTP edge does; `query` is taken as given (already decoded).
  // `headers` are matched case-insensitively.
  InMemoryRequest(std::string method, const std::string& path, QueryParams query, std::string body,
                  std::vector<std::pair<std::string, std::string>> headers);

  const std::string& method() const override { return method_; }
  const std::string& path() const override { return path_; }
  const QueryParams& query() const override { return query_; }
  std::optional<std::string> header(const std::string& name) const override;
  const std::string& peer_address() const override { return peer_address_; }
  bool read_body(const BodyChunkSink& sink) override;

 private:
  std::string method_;
  std::string path_;
  QueryParams query_;
  std::string body_text_;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string peer_address_ = "127.0.0.1";
  bool body_read_ = false;
};

class InMemoryReply : public Reply {
 public:
  void set_header(const std::string& name, const std::string& value) override;
  void send(int status, std::string body, const std::string& content_type) override;
  void send_status(int status) override { status_ = status; }
  // Runs the writer at once: the whole body lands in body().
  void stream(std::uint64_t size, const std::string& content_type, ReplyContentWriter writer) override;
  int status() const override { return status_; }
  std::uint64_t body_bytes() const override { return body_.size(); }
  bool streamed() const override { return streamed_; }
  // The body is complete when the handler returns, so `sent` runs once dispatch is over (finish()).
  void when_sent(std::function<void(std::uint64_t body_bytes, bool complete)> sent) override;

  // Runs what when_sent() registered; call once after dispatch.
  void finish();

  const std::string& body() const { return body_; }
  std::string take_body() { return std::move(body_); }
  // Header names in lower case, in the order set (a repeated name is set again, not added).
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  int status_ = 0;
  std::string body_;
  std::vector<std::pair<std::string, std::string>> headers_;
  bool streamed_ = false;
  bool stream_complete_ = true;
  std::vector<std::function<void(std::uint64_t, bool)>> on_sent_;
};

}  // namespace mlflowcpp::server::http
