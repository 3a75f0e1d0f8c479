#pragma once

// The access log: one line per finished request (access_log_line.hpp says
// what a line holds and leaves out) through a BufferedLogWriter. Added ahead
// of every other filter, so refused requests (403, 401, 413, 503) are logged too.

#include "server/http/access_log_line.hpp"
#include "server/http/buffered_log_writer.hpp"
#include "server/http/filter.hpp"

#include <memory>
#include <utility>

namespace mlflowcpp::server::http {

class AccessLogFilter : public Filter {
 public:
  AccessLogFilter(std::shared_ptr<BufferedLogWriter> writer, AccessLogFormat format)
      : writer_(std::move(writer)), format_(format) {}

  void after(const CompletedRequest& completed) override;

 private:
  std::shared_ptr<BufferedLogWriter> writer_;
  AccessLogFormat format_;
};

}  // namespace mlflowcpp::server::http
