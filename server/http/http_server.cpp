#include "server/http/http_server.hpp"

#include "server/http/body_limit_filter.hpp"
#include "server/http/client_address.hpp"
#include "server/http/draining_health_filter.hpp"
#include "server/http/error_answer_filter.hpp"
#include "server/http/httplib_edge_server.hpp"
#include "server/http/httplib_exchange.hpp"
#include "server/http/ip_allowlist_filter.hpp"
#include "server/http/serving_mode_filter.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <limits>
#include <string>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

// Long enough that a client pausing between calls does not trigger a trim, short enough that an idle server is
// small again soon after a load.
constexpr std::chrono::milliseconds kQuietBeforeTrim{1000};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, std::ostream& error_log)
    : options_(std::move(options)),
      router_(options_.serving.static_prefix, options_.max_body_bytes),
      dispatcher_(router_, filters_),
      memory_trimmer_(kQuietBeforeTrim, options_.release_idle_memory),
      server_(std::make_unique<HttplibEdgeServer>(options_.limits, options_.worker_threads, options_.max_connections,
                                                  options_.tls)) {
  if (!options_.allowed_ips.empty()) filters_.add(std::make_unique<IpAllowlistFilter>(options_.allowed_ips));
  filters_.add(std::make_unique<ErrorAnswerFilter>(error_log));
  // Ahead of authentication: /health answers everyone.
  filters_.add(std::make_unique<DrainingHealthFilter>(draining_, options_.serving.static_prefix));
  if (options_.authentication) filters_.add(options_.authentication);
  filters_.add(std::make_unique<BodyLimitFilter>(options_.max_body_bytes));
  filters_.add(std::make_unique<ServingModeFilter>(options_.serving));

  // Without TCP_NODELAY small responses wait for delayed ACKs (a few hundred requests/s).
  server_->set_tcp_nodelay(true);
  // SO_REUSEADDR only: httplib's default SO_REUSEPORT would let a second server
  // bind a port that is already in use instead of failing.
  // The socket is remembered to raise its listen backlog after the bind.
  server_->set_socket_options([this](int socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listening_socket_ = socket;
  });
  // Bodies are read by the dispatcher, within each route's cap (BodyLimitFilter).
  server_->set_payload_max_length(std::numeric_limits<std::size_t>::max());
  install_handlers();
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::install_handlers() {
  // One catch-all per method: the Router does the (hash map) routing. Methods
  // whose body httplib reads get the ContentReader form, so httplib leaves the
  // body unread and each route decides: read whole within its cap, or streamed.
  const auto without_body = [this](const httplib::Request& request, httplib::Response& response) {
    memory_trimmer_.note_activity();
    HttplibRequest view(request, nullptr, client_address_of(request));
    HttplibReply reply(request, response);
    dispatcher_.dispatch(view, reply);
    close_when_draining(request, response);
  };
  const auto with_body = [this](const httplib::Request& request, httplib::Response& response,
                                const httplib::ContentReader& reader) {
    memory_trimmer_.note_activity();
    HttplibRequest view(request, &reader, client_address_of(request));
    HttplibReply reply(request, response);
    dispatcher_.dispatch(view, reply);
    close_when_draining(request, response);
  };
  const char* kAnyPath = "/.*";
  server_->Get(kAnyPath, without_body);
  server_->Options(kAnyPath, without_body);
  server_->Post(kAnyPath, with_body);
  server_->Put(kAnyPath, with_body);
  server_->Patch(kAnyPath, with_body);
  server_->Delete(kAnyPath, with_body);

  // Errors raised by httplib itself (URI too long, malformed request, a range
  // it cannot satisfy) get MLflow's JSON error shape too.
  server_->set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    const int status = response.status;
    const char* code = status == 413 ? "RESOURCE_EXHAUSTED" : status == 404 ? "ENDPOINT_NOT_FOUND" : "BAD_REQUEST";
    const char* reason = status == 413   ? "the request body is too large"
                         : status == 414 ? "the request URI is too long"
                         : status == 431 ? "the request headers are too large"
                         : status == 404 ? "the requested URL was not found on the server"
                                         : "the request is malformed";
    HttplibReply(request, response).error(status, code, std::string("Request rejected: ") + reason + ".");
  });
  // The dispatcher answers every exception; this is for one escaping the glue itself.
  server_->set_exception_handler(
      [](const httplib::Request& request, httplib::Response& response, std::exception_ptr) {
        HttplibReply(request, response).error(500, "INTERNAL_ERROR", "An internal error occurred.");
      });
}

void HttpServer::close_when_draining(const httplib::Request& request, httplib::Response& response) const {
  // httplib writes the answer's head after the handler returns, so even a request that began before the drain
  // tells its client not to send the next one here (the edge server then closes the connection). httplib adds the
  // header itself when the client asked for it.
  if (draining_.load() && request.get_header_value("Connection") != "close") {
    response.set_header("Connection", "close");
  }
}

std::string HttpServer::client_address_of(const httplib::Request& request) const {
  std::vector<std::string> forwarded_for;
  if (!options_.trusted_proxies.empty()) {
    const std::size_t count = request.get_header_value_count("X-Forwarded-For");
    for (std::size_t i = 0; i < count; ++i) forwarded_for.push_back(request.get_header_value("X-Forwarded-For", i));
  }
  return client_address(request.remote_addr, forwarded_for, options_.trusted_proxies);
}

bool HttpServer::bind(const std::string& host, int port) {
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ <= 0) return false;
  } else {
    if (!server_->bind_to_port(host, port)) return false;
    port_ = port;
  }
  raise_listen_backlog();
  return true;
}

void HttpServer::raise_listen_backlog() {
  // cpp-httplib 0.11.4 (as Debian compiles it) listens with a backlog of 5:
  // a burst of clients connecting at once overflows the accept queue and the
  // kernel resets the connections it cannot take. Linux lets listen() be
  // called again on a listening socket to change its backlog; the kernel caps
  // it at net.core.somaxconn. Failing here only leaves the smaller backlog.
  if (listening_socket_ >= 0) ::listen(listening_socket_, SOMAXCONN);
}

bool HttpServer::run() { return server_->listen_after_bind(); }

void HttpServer::begin_draining() { draining_ = true; }

void HttpServer::stop() {
  if (server_) server_->stop();
}

ConnectionCounts HttpServer::open_connections() const { return server_->open_connections(); }

ConnectionCounts HttpServer::cut_connections() { return server_->cut_connections(); }

bool HttpServer::is_running() const { return server_->is_running(); }

}  // namespace mlflowcpp::server::http
