#include "server/http/access_log_line.hpp"

#include <fmt/format.h>

#include <ctime>
#include <iterator>

namespace mlflowcpp::server::http {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// The text format's quoting, as common web servers do it: quote, backslash,
// control and non-ASCII bytes as \xHH.
void append_text_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
      out.append("\\x").push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0xf]);
    } else {
      out.push_back(c);
    }
  }
}

// The length of the valid UTF-8 sequence at `text[i]`; 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  std::size_t length = 0;
  unsigned minimum = 0;
  unsigned code = 0;
  if (byte >= 0xc2 && byte <= 0xdf) {
    length = 2, minimum = 0x80, code = byte & 0x1f;
  } else if (byte >= 0xe0 && byte <= 0xef) {
    length = 3, minimum = 0x800, code = byte & 0x0f;
  } else if (byte >= 0xf0 && byte <= 0xf4) {
    length = 4, minimum = 0x10000, code = byte & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

// A JSON string's contents: valid UTF-8 kept, anything else replaced by U+FFFD.
void append_json_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      if (byte == '"' || byte == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(byte));
      } else if (byte < 0x20 || byte == 0x7f) {
        out.append("\\u00").push_back(kHexDigits[byte >> 4]);
        out.push_back(kHexDigits[byte & 0xf]);
      } else {
        out.push_back(static_cast<char>(byte));
      }
      ++i;
      continue;
    }
    if (const std::size_t length = utf8_sequence_length(text, i); length > 0) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out.append("\\ufffd");
      ++i;
    }
  }
}

double milliseconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace

std::string iso8601_utc_milliseconds(std::chrono::system_clock::time_point time) {
  const auto since_epoch = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(since_epoch / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(since_epoch % 1000));
}

void append_access_log_line(std::string& out, const AccessLogEntry& entry, AccessLogFormat format) {
  const std::string time = iso8601_utc_milliseconds(entry.started);
  if (format == AccessLogFormat::kText) {
    out.append(time).push_back(' ');
    append_text_escaped(out, entry.peer_address.empty() ? std::string_view("-") : entry.peer_address);
    out.push_back(' ');
    append_text_escaped(out, entry.user.empty() ? std::string_view("-") : entry.user);
    out.append(" \"");
    append_text_escaped(out, entry.method);
    out.push_back(' ');
    append_text_escaped(out, entry.path);
    fmt::format_to(std::back_inserter(out), "\" {} {} {:.3f}ms id={}{}\n", entry.status, entry.bytes_sent,
                   milliseconds(entry.duration), entry.request_id, entry.complete ? "" : " incomplete");
    return;
  }
  out.append("{\"time\":\"").append(time).append("\",\"remote_addr\":\"");
  append_json_escaped(out, entry.peer_address);
  out.append("\",\"user\":");
  if (entry.user.empty()) {
    out.append("null");
  } else {
    out.push_back('"');
    append_json_escaped(out, entry.user);
    out.push_back('"');
  }
  out.append(",\"method\":\"");
  append_json_escaped(out, entry.method);
  out.append("\",\"path\":\"");
  append_json_escaped(out, entry.path);
  fmt::format_to(std::back_inserter(out),
                 "\",\"status\":{},\"bytes\":{},\"duration_ms\":{:.3f},\"request_id\":\"{}\",\"complete\":{}}}\n",
                 entry.status, entry.bytes_sent, milliseconds(entry.duration), entry.request_id,
                 entry.complete ? "true" : "false");
}

}  // namespace mlflowcpp::server::http
