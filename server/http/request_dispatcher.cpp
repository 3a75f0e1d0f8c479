#include "server/http/request_dispatcher.hpp"

#include <chrono>
#include <exception>
#include <random>

namespace mlflowcpp::server::http {
namespace {

using Clock = std::chrono::steady_clock;

// An unread body up to this size is read and dropped so the connection can
// serve the next request; a larger one closes the connection instead.
constexpr std::uint64_t kMaxDrainedBodyBytes = 1024 * 1024;

std::uint64_t random_request_id_base() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// What after() of a streamed answer needs once the handler's objects are gone.
struct RequestIdentity {
  std::string request_id;
  std::string method;
  std::string path;
  std::string route_pattern;
  std::string peer_address;
  std::string user;
};

std::string_view user_of(const Request& request) {
  return request.caller() ? std::string_view(request.caller()->username) : std::string_view();
}

}  // namespace

RequestDispatcher::RequestDispatcher(const Router& router, const FilterChain& filters)
    : router_(router), filters_(filters), request_id_base_(random_request_id_base()) {}

std::string RequestDispatcher::next_request_id() const {
  const std::uint64_t id = request_id_base_ + request_count_.fetch_add(1, std::memory_order_relaxed);
  static constexpr char kDigits[] = "0123456789abcdef";
  char text[12];
  for (int i = 11; i >= 0; --i) text[11 - i] = kDigits[(id >> (4 * i)) & 0xf];
  return std::string(text, sizeof(text));
}

void RequestDispatcher::dispatch(Request& request, Reply& reply) const {
  const auto started = Clock::now();
  request.request_id_ = next_request_id();
  const RouteMatch match = router_.match(request.method(), request.path());
  request.route_ = match.route;
  request.route_remainder_ = match.remainder;

  std::size_t filters_run = 0;
  try {
    if (!filters_.run_before(request, reply, filters_run)) serve(match, request, reply);
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    if (!filters_.answer_exception(filters_run, request, reply, error)) {
      reply.error(500, "INTERNAL_ERROR", "An internal error occurred.");
    }
  }
  discard_unread_body(request, reply);

  const std::string_view pattern = match.route ? std::string_view(match.route->pattern) : std::string_view();
  const int status = reply.status();
  if (reply.streamed()) {
    // The request's objects are gone by the time the last byte is sent: keep copies.
    RequestIdentity identity{request.request_id(), request.method(),       request.path(),
                             std::string(pattern), request.peer_address(), std::string(user_of(request))};
    const std::uint64_t received = request.body_size();
    reply.when_sent([this, filters_run, started, status, received, identity = std::move(identity)](std::uint64_t bytes,
                                                                                                   bool complete) {
      filters_.run_after(filters_run, CompletedRequest{identity.request_id, identity.method, identity.path,
                                                       identity.route_pattern, identity.peer_address, identity.user,
                                                       status, received, bytes, complete, Clock::now() - started});
    });
    return;
  }
  filters_.run_after(filters_run,
                     CompletedRequest{request.request_id(), request.method(), request.path(), pattern,
                                      request.peer_address(), user_of(request), status, request.body_size(),
                                      reply.body_bytes(), true, Clock::now() - started});
}

void RequestDispatcher::serve(const RouteMatch& match, Request& request, Reply& reply) const {
  if (match.route == nullptr) {
    if (!match.path_known) {
      reply.error(404, "ENDPOINT_NOT_FOUND", "The requested URL was not found on the server: " + request.path());
      return;
    }
    reply.set_header("Allow", match.allow);
    if (request.method() == "OPTIONS") {
      reply.send_status(200);
      return;
    }
    reply.error(405, "BAD_REQUEST",
                "The method " + request.method() + " is not allowed for the requested URL " + request.path() + ".");
    return;
  }
  const Route& route = *match.route;
  if (route.body == BodyHandling::kBuffered && method_reads_body(request.method())) {
    switch (request.load_body(route.max_body_bytes)) {
      case Request::BodyLoad::kRead:
        break;
      case Request::BodyLoad::kTooLarge:
        reply.close_connection();
        reply.error(413, "RESOURCE_EXHAUSTED",
                    "Request rejected: the request body is larger than " + std::to_string(route.max_body_bytes) +
                        " bytes.");
        return;
      case Request::BodyLoad::kIncomplete:
        reply.close_connection();
        reply.error(400, "BAD_REQUEST", "Request rejected: the request is malformed.");
        return;
    }
  }
  route.handler(request, reply);
}

void RequestDispatcher::discard_unread_body(Request& request, Reply& reply) const {
  if (request.body_consumed() || reply.closes_connection() || !method_reads_body(request.method())) return;
  const auto length = request.content_length();
  if (length && *length == 0) return;
  if (!length && !request.header("Transfer-Encoding")) return;  // no body at all
  if (!length || *length > kMaxDrainedBodyBytes) {
    reply.close_connection();
    return;
  }
  if (!request.read_body([](const char*, std::size_t) { return true; })) reply.close_connection();
}

}  // namespace mlflowcpp::server::http
