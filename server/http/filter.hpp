#pragma once

// A step every request passes on its way to the handler and back. Filters run
// in the order they were added: before() ahead of the handler (and ahead of
// reading a buffered body), so a filter can answer itself and stop the chain
// (401, 403, 413, 503); after() once the answer is complete, in reverse order,
// for every filter whose before() ran. Access logs, metrics, authentication and
// IP allow-lists are filters. Filters are shared by all serving threads: they
// must be thread-safe.

#include <chrono>
#include <cstdint>
#include <exception>
#include <string_view>

namespace mlflowcpp::server::http {

class Request;
class Reply;

enum class FilterAction {
  kContinue,  // on to the next filter, then the handler
  kStop,      // the filter answered: no later filter's before(), no handler
};

// A finished request as after() sees it; the views live as long as the call.
struct CompletedRequest {
  std::string_view request_id;
  std::string_view method;
  std::string_view path;
  std::string_view route_pattern;  // empty when no route matched
  std::string_view peer_address;
  // The authenticated user's name; empty when authentication is off, failed or the route is open.
  std::string_view user;
  int status = 0;
  std::uint64_t body_bytes_received = 0;
  std::uint64_t body_bytes_sent = 0;
  // False when a streamed body could not be sent to the end.
  bool complete = true;
  std::chrono::steady_clock::duration duration{};
};

class Filter {
 public:
  virtual ~Filter() = default;

  virtual FilterAction before(Request& /*request*/, Reply& /*reply*/) { return FilterAction::kContinue; }
  virtual void after(const CompletedRequest& /*completed*/) {}
  // A filter that turns exceptions (from the handler or a later filter) into
  // answers returns true when it answered `error`; the innermost filter is asked first.
  virtual bool answer_exception(const Request& /*request*/, Reply& /*reply*/, const std::exception_ptr& /*error*/) {
    return false;
  }
};

}  // namespace mlflowcpp::server::http
