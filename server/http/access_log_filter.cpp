#include "server/http/access_log_filter.hpp"

#include <chrono>
#include <string>

namespace mlflowcpp::server::http {

void AccessLogFilter::after(const CompletedRequest& completed) {
  AccessLogEntry entry;
  const auto elapsed = std::chrono::duration_cast<std::chrono::system_clock::duration>(completed.duration);
  entry.started = std::chrono::system_clock::now() - elapsed;
  entry.peer_address = completed.peer_address;
  entry.user = completed.user;
  entry.method = completed.method;
  entry.path = completed.path;
  entry.status = completed.status;
  entry.bytes_sent = completed.body_bytes_sent;
  entry.duration = completed.duration;
  entry.request_id = completed.request_id;
  entry.complete = completed.complete;
  std::string line;
  line.reserve(256);
  append_access_log_line(line, entry, format_);
  writer_->write(line);
}

}  // namespace mlflowcpp::server::http
