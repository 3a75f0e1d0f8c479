#pragma once

// The glue between cpp-httplib and the server's own request and reply types:
// the only place besides http_server.cpp that sees httplib.

#include "server/http/reply.hpp"
#include "server/http/request.hpp"

#include <httplib.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace mlflowcpp::server::http {

class HttplibRequest : public Request {
 public:
  // `reader` is null for requests whose body httplib does not read (GET, HEAD, OPTIONS).
  // `peer_address`: the client, as the trusted proxies name it.
  HttplibRequest(const httplib::Request& request, const httplib::ContentReader* reader, std::string peer_address)
      : request_(request), reader_(reader), peer_address_(std::move(peer_address)) {}

  const std::string& method() const override { return request_.method; }
  const std::string& path() const override { return request_.path; }
  const QueryParams& query() const override { return request_.params; }
  std::optional<std::string> header(const std::string& name) const override;
  const std::string& peer_address() const override { return peer_address_; }
  bool read_body(const BodyChunkSink& sink) override;

 private:
  const httplib::Request& request_;
  const httplib::ContentReader* reader_;
  std::string peer_address_;
};

class HttplibReply : public Reply {
 public:
  // `request`: for the byte ranges it asks for.
  HttplibReply(const httplib::Request& request, httplib::Response& response)
      : request_(request), response_(response) {}

  void set_header(const std::string& name, const std::string& value) override;
  void send(int status, std::string body, const std::string& content_type) override;
  void send_status(int status) override;
  void stream(std::uint64_t size, const std::string& content_type, ReplyContentWriter writer) override;
  int status() const override { return response_.status < 0 ? 0 : response_.status; }
  std::uint64_t body_bytes() const override { return response_.body.size(); }
  bool streamed() const override { return progress_ != nullptr; }
  void when_sent(std::function<void(std::uint64_t body_bytes, bool complete)> sent) override;

 private:
  // Shared with httplib's content provider and its releaser, which outlive this object.
  struct StreamProgress {
    std::uint64_t bytes_sent = 0;
    std::function<void(std::uint64_t, bool)> sent;
  };

  const httplib::Request& request_;
  httplib::Response& response_;
  std::shared_ptr<StreamProgress> progress_;
};

}  // namespace mlflowcpp::server::http
