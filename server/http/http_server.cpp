#include "server/http/http_server.hpp"

#include "server/http/artifact_handlers.hpp"
#include "server/http/responses.hpp"

#include <mlflowcpp/version.hpp>

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <limits>

namespace mlflowcpp::server::http {

HttpServer::HttpServer(TrackingService& service, HttpServerOptions options)
    : options_(std::move(options)),
      tracking_handlers_(service, options_.artifacts_only),
      static_files_(options_.static_dir),
      server_(std::make_unique<httplib::Server>()) {
  register_routes();

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
  server_->set_keep_alive_max_count(1000000);
  server_->set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
  server_->set_read_timeout(options_.read_timeout_seconds, 0);
  server_->set_write_timeout(options_.write_timeout_seconds, 0);
  server_->set_payload_max_length(options_.max_body_bytes);
  const std::size_t threads = options_.worker_threads == 0 ? 1 : options_.worker_threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

  // One catch-all per method: the Router does the (hash map) routing.
  const auto dispatch = [this](const httplib::Request& request, httplib::Response& response) {
    memory_trimmer_.note_activity();
    router_.dispatch(request, response);
  };
  const char* kAnyPath = "/.*";
  server_->Get(kAnyPath, dispatch);
  server_->Post(kAnyPath, dispatch);
  server_->Put(kAnyPath, dispatch);
  server_->Patch(kAnyPath, dispatch);
  server_->Delete(kAnyPath, dispatch);
  server_->Options(kAnyPath, dispatch);

  // Before any body is read: refuse a malformed or oversized Content-Length at
  // once (httplib would otherwise wait for, or skip, that many bytes). httplib
  // reads no body for GET, HEAD and OPTIONS; when such a request carries one,
  // the answer says "Connection: close" so the client does not reuse a
  // connection whose unread bytes would be taken for its next request.
  server_->set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    const bool body_is_read = request.method == "POST" || request.method == "PUT" || request.method == "PATCH" ||
                              request.method == "DELETE";
    if (request.has_header("Content-Length")) {
      const std::string length = request.get_header_value("Content-Length");
      const bool decimal = !length.empty() && length.size() <= 19 &&
                           length.find_first_not_of("0123456789") == std::string::npos;
      if (!decimal) {
        response.set_header("Connection", "close");
        send_error(response, 400, "BAD_REQUEST", "Invalid Content-Length header.");
        return httplib::Server::HandlerResponse::Handled;
      }
      const unsigned long long bytes = std::stoull(length);
      const std::size_t limit = body_limit_for(request);
      if (limit != 0 && bytes > limit) {
        response.set_header("Connection", "close");
        send_error(response, 413, "RESOURCE_EXHAUSTED",
                   "Request rejected: the request body is larger than " + std::to_string(limit) + " bytes.");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (!body_is_read && bytes > 0) response.set_header("Connection", "close");
    } else if (request.has_header("Transfer-Encoding")) {
      // httplib enforces no cap on a chunked body: it would read it whole into
      // memory. Capped routes (everything but streamed artifact uploads)
      // therefore need a Content-Length, as every MLflow client sends.
      if (body_is_read && body_limit_for(request) != 0) {
        response.set_header("Connection", "close");
        send_error(response, 411, "BAD_REQUEST", "Request rejected: a request body needs a Content-Length header.");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (!body_is_read) response.set_header("Connection", "close");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  // Errors raised by httplib itself (body too large, URI too long, malformed
  // request) get MLflow's JSON error shape too.
  server_->set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    const int status = response.status;
    const char* code = status == 413 ? "RESOURCE_EXHAUSTED" : status == 404 ? "ENDPOINT_NOT_FOUND" : "BAD_REQUEST";
    const char* reason = status == 413   ? "the request body is too large"
                         : status == 414 ? "the request URI is too long"
                         : status == 404 ? "the requested URL was not found on the server"
                                         : "the request is malformed";
    send_error(response, status, code, std::string("Request rejected: ") + reason + ".");
  });
  server_->set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr) {
    send_error(response, 500, "INTERNAL_ERROR", "Unexpected server error.");
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::register_routes() {
  tracking_handlers_.register_routes(router_, options_.static_prefix);
  const std::string& prefix = options_.static_prefix;
  router_.add("GET", prefix + "/health",
              [](const httplib::Request&, httplib::Response& response) { send_text(response, 200, "OK"); });
  router_.add("GET", prefix + "/version", [](const httplib::Request&, httplib::Response& response) {
    send_text(response, 200, kMlflowProtocolVersion);
  });
  const auto index = [this](const httplib::Request&, httplib::Response& response) {
    static_files_.serve_index(response);
  };
  router_.add("GET", prefix + "/", index);
  if (!prefix.empty()) router_.add("GET", prefix, index);
  const std::string static_root = prefix + "/static-files/";
  router_.set_fallback([this, static_root](const httplib::Request& request, httplib::Response& response) {
    if (artifact_handlers_ != nullptr && artifact_handlers_->dispatch_prefixed(request, response)) return true;
    if (request.path.compare(0, static_root.size(), static_root) != 0) return false;
    if (request.method != "GET" && request.method != "HEAD") return false;
    static_files_.serve_file(std::string_view(request.path).substr(static_root.size()), response);
    return true;
  });
}

void HttpServer::add_artifact_routes(ArtifactHandlers& handlers) {
  artifact_handlers_ = &handlers;
  handlers.register_routes(router_);
  if (!handlers.serves_proxy()) return;
  // Uploads bypass the Router: httplib hands these handlers a reader instead
  // of a body read into memory, so a file goes to disk as it arrives.
  for (const auto& pattern : handlers.upload_path_patterns()) {
    server_->Put(pattern, [&handlers](const httplib::Request& request, httplib::Response& response,
                                      const httplib::ContentReader& reader) {
      handlers.upload(request, response, reader);
    });
  }
  // httplib's own cap applies to every body; the per-route caps are checked
  // before routing (body_limit_for).
  const std::size_t upload_cap = options_.max_artifact_upload_bytes == 0
                                     ? std::numeric_limits<std::size_t>::max()
                                     : std::max(options_.max_artifact_upload_bytes, options_.max_body_bytes);
  server_->set_payload_max_length(upload_cap);
}

std::size_t HttpServer::body_limit_for(const httplib::Request& request) const {
  if (request.method == "PUT" && artifact_handlers_ != nullptr && artifact_handlers_->serves_proxy() &&
      artifact_handlers_->is_upload_path(request.path)) {
    return options_.max_artifact_upload_bytes;
  }
  return options_.max_body_bytes;
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

void HttpServer::stop() {
  if (server_) server_->stop();
}

bool HttpServer::is_running() const { return server_->is_running(); }

}  // namespace mlflowcpp::server::http
