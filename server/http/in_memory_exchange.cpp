#include "server/http/in_memory_exchange.hpp"

#include <algorithm>
#include <cctype>

namespace mlflowcpp::server::http {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// As the HTTP edge decodes a path: %XX becomes its byte, a malformed escape stays as written, '+' stays '+'.
std::string percent_decoded(const std::string& path) {
  std::string decoded;
  decoded.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      const int high = hex_value(path[i + 1]);
      const int low = hex_value(path[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(path[i]);
  }
  return decoded;
}

}  // namespace

InMemoryRequest::InMemoryRequest(std::string method, const std::string& path, QueryParams query, std::string body,
                                 std::vector<std::pair<std::string, std::string>> headers)
    : method_(std::move(method)),
      path_(percent_decoded(path)),
      query_(std::move(query)),
      body_text_(std::move(body)),
      headers_(std::move(headers)) {}

std::optional<std::string> InMemoryRequest::header(const std::string& name) const {
  const std::string wanted = lower(name);
  for (const auto& [header_name, value] : headers_) {
    if (lower(header_name) == wanted) return value;
  }
  if (wanted == "content-length" && method_reads_body(method_)) return std::to_string(body_text_.size());
  return std::nullopt;
}

bool InMemoryRequest::read_body(const BodyChunkSink& sink) {
  note_body_consumed();
  if (body_read_) return true;
  body_read_ = true;
  add_body_bytes(body_text_.size());
  return body_text_.empty() || sink(body_text_.data(), body_text_.size());
}

void InMemoryReply::set_header(const std::string& name, const std::string& value) {
  const std::string key = lower(name);
  for (auto& [header_name, header_value] : headers_) {
    if (header_name == key) {
      header_value = value;
      return;
    }
  }
  headers_.emplace_back(key, value);
}

void InMemoryReply::send(int status, std::string body, const std::string& content_type) {
  status_ = status;
  body_ = std::move(body);
  if (!content_type.empty()) set_header("Content-Type", content_type);
}

void InMemoryReply::stream(std::uint64_t size, const std::string& content_type, ReplyContentWriter writer) {
  status_ = 200;
  streamed_ = true;
  if (!content_type.empty()) set_header("Content-Type", content_type);
  body_.clear();
  const ReplyChunkSink sink = [this](const char* data, std::size_t length) {
    body_.append(data, length);
    return true;
  };
  std::uint64_t offset = 0;
  while (offset < size) {
    const std::uint64_t written = writer(offset, size - offset, sink);
    if (written == 0) break;
    offset += written;
  }
  stream_complete_ = offset == size;
}

void InMemoryReply::when_sent(std::function<void(std::uint64_t body_bytes, bool complete)> sent) {
  on_sent_.push_back(std::move(sent));
}

void InMemoryReply::finish() {
  for (auto& sent : on_sent_) sent(body_.size(), stream_complete_);
  on_sent_.clear();
}

}  // namespace mlflowcpp::server::http
