#include "server/http/httplib_exchange.hpp"

#include <utility>

namespace mlflowcpp::server::http {

std::optional<std::string> HttplibRequest::header(const std::string& name) const {
  const auto it = request_.headers.find(name);
  if (it == request_.headers.end()) return std::nullopt;
  return it->second;
}

bool HttplibRequest::read_body(const BodyChunkSink& sink) {
  if (body_consumed()) return false;
  note_body_consumed();
  if (reader_ == nullptr) return true;
  if (request_.is_multipart_form_data()) {
    // httplib reads such a body only through its multipart parser; nothing here takes form uploads.
    return (*reader_)([](const httplib::MultipartFormData&) { return true; },
                      [this](const char*, std::size_t length) {
                        add_body_bytes(length);
                        return true;
                      });
  }
  return (*reader_)([this, &sink](const char* data, std::size_t length) {
    add_body_bytes(length);
    return sink(data, length);
  });
}

void HttplibReply::set_header(const std::string& name, const std::string& value) {
  response_.set_header(name, value);
}

void HttplibReply::send(int status, std::string body, const std::string& content_type) {
  response_.status = status;
  response_.body = std::move(body);
  response_.set_header("Content-Type", content_type);
}

void HttplibReply::send_status(int status) { response_.status = status; }

void HttplibReply::stream(std::uint64_t size, const std::string& content_type, ReplyContentWriter writer) {
  // httplib sends the requested byte range of the content; the status must then say so.
  response_.status = request_.ranges.empty() ? 200 : 206;
  progress_ = std::make_shared<StreamProgress>();
  response_.set_content_provider(
      static_cast<std::size_t>(size), content_type,
      [writer = std::move(writer), progress = progress_](std::size_t offset, std::size_t length,
                                                         httplib::DataSink& sink) {
        // `length`: the rest of the body, or of the byte range the client asked for.
        const std::uint64_t sent = writer(offset, length, [&sink](const char* data, std::size_t count) {
          return sink.write(data, count);
        });
        progress->bytes_sent += sent;
        // Some progress: httplib calls again from the new offset if bytes are
        // missing. None: the response ends early and the client sees a short body.
        return sent > 0;
      },
      [progress = progress_](bool success) {
        if (progress->sent) progress->sent(progress->bytes_sent, success);
      });
}

void HttplibReply::when_sent(std::function<void(std::uint64_t body_bytes, bool complete)> sent) {
  if (progress_) progress_->sent = std::move(sent);
}

}  // namespace mlflowcpp::server::http
