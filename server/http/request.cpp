#include "server/http/request.hpp"

#include <algorithm>
#include <cctype>

namespace mlflowcpp::server::http {

bool method_reads_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string Request::query_value(const std::string& name) const {
  const auto it = query().find(name);
  return it == query().end() ? std::string() : it->second;
}

bool Request::is_multipart_form() const {
  const auto type = header("Content-Type");
  if (!type) return false;
  constexpr std::string_view kMultipart = "multipart/form-data";
  if (type->size() < kMultipart.size()) return false;
  return std::equal(kMultipart.begin(), kMultipart.end(), type->begin(),
                    [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

std::optional<std::uint64_t> Request::content_length() const {
  const auto length = header("Content-Length");
  if (!length || length->empty() || length->size() > 19 ||
      length->find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(*length);
}

const RequestMessage& Request::message() const {
  if (!message_) message_ = RequestMessage::from_request(*this);
  return *message_;
}

Request::BodyLoad Request::load_body(std::size_t limit) {
  if (const auto length = content_length()) {
    body_.reserve(static_cast<std::size_t>(limit == 0 ? *length : std::min<std::uint64_t>(*length, limit)));
  }
  bool too_large = false;
  const bool complete = read_body([&](const char* data, std::size_t length) {
    if (limit != 0 && body_.size() + length > limit) {
      too_large = true;
      return false;
    }
    body_.append(data, length);
    return true;
  });
  if (too_large) return BodyLoad::kTooLarge;
  return complete ? BodyLoad::kRead : BodyLoad::kIncomplete;
}

}  // namespace mlflowcpp::server::http
