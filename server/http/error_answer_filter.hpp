#pragma once

// Turns what a handler throws into MLflow's error answer: an MlflowException
// answers its own code, status and message; anything else (a database, file
// system or S3 failure, a bug) answers 500 INTERNAL_ERROR with a message that
// names only the request id, and the cause goes to the server log with that
// id, the method and the path. Internal messages never reach clients.

#include "server/http/filter.hpp"

#include <mutex>
#include <ostream>
#include <string_view>

namespace mlflowcpp::server::http {

class ErrorAnswerFilter : public Filter {
 public:
  // `log` (std::cerr for the server) must outlive the filter.
  explicit ErrorAnswerFilter(std::ostream& log) : log_(log) {}

  bool answer_exception(const Request& request, Reply& reply, const std::exception_ptr& error) override;

 private:
  void log_failure(const Request& request, std::string_view cause);

  std::ostream& log_;
  std::mutex log_mutex_;  // one line at a time from the serving threads
};

}  // namespace mlflowcpp::server::http
