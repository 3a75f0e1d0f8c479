#pragma once

// One line of the access log, in the text or the JSON-lines format.
//
// What a line holds, and what it never holds: the time the request started
// (ISO 8601, UTC, milliseconds), the client address (as the allowlist sees it,
// through the trusted proxies), the authenticated user or `-`, the method, the
// path WITHOUT its query string (query strings carry presigned-URL signatures
// and tokens), the status, the response body bytes, the duration in
// milliseconds and the request id (which error lines of the same request name).
// No header (Authorization, Cookie) and no body is ever read. Every byte a
// client chose is escaped, so a path cannot forge a line.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

enum class AccessLogFormat {
  kText,  // 2026-01-02T03:04:05.678Z 10.0.0.7 alice "GET /api/2.0/mlflow/runs/get" 200 512 1.234ms id=...
  kJson,  // {"time":...,"remote_addr":...,"user":...,"method":...,"path":...,"status":...,"bytes":...,...}
};

struct AccessLogEntry {
  std::chrono::system_clock::time_point started;
  std::string_view peer_address;
  std::string_view user;  // empty: none
  std::string_view method;
  std::string_view path;  // without the query string
  int status = 0;
  std::uint64_t bytes_sent = 0;
  std::chrono::steady_clock::duration duration{};
  std::string_view request_id;
  bool complete = true;  // false: a streamed answer broke off
};

// Appends the entry's line, newline included.
void append_access_log_line(std::string& out, const AccessLogEntry& entry, AccessLogFormat format);

// "2026-01-02T03:04:05.678Z".
std::string iso8601_utc_milliseconds(std::chrono::system_clock::time_point time);

}  // namespace mlflowcpp::server::http
