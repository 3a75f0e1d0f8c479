#pragma once

// The seam between the client and the network: one HTTP exchange with the
// tracking server. MlflowClient speaks to a Connection; make_connection() builds
// the real one (libcurl, connection reuse, retries); tests and users may supply
// their own (a mock, a recorder, a proxy).

#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/export.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp {

// Whether sending a request twice leaves the server as sending it once does.
// It decides when a failed attempt may be repeated (see make_connection()).
enum class Idempotency {
  kIdempotent,     // reads, and writes that set a state (set-tag, update, delete, ...)
  kNonIdempotent,  // writes that add something on every call (create an experiment, a run, a model version, ...)
};

// One request as the client builds it. `path` is relative to the tracking URI
// (for example "/api/2.0/mlflow/runs/get"); query parameters are not yet encoded.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  std::string body;  // JSON text; empty for GET
  // MlflowClient marks every REST call; a request built elsewhere counts as idempotent, as before this field existed.
  Idempotency idempotency = Idempotency::kIdempotent;
  // The longest this one attempt may take, connecting included; zero: the connection's own timeout. The retry loop
  // sets it so that the last attempt ends by the call's deadline.
  std::chrono::milliseconds timeout{0};
};

struct MLFLOWCPP_EXPORT HttpResponse {
  int status = 0;
  std::string body;
  // Header names in lower case, in the order received.
  std::vector<std::pair<std::string, std::string>> headers;

  // The first header of that (lower-case) name.
  std::optional<std::string> header(std::string_view lower_case_name) const;
};

// The server could not be reached or did not answer (refused, reset, timed out,
// TLS failure...), as opposed to an error the server answered with. Like the
// official client it carries INTERNAL_ERROR; its http_status() is 0 because no
// response arrived. Catch it to tell "the network failed" from "the server said no".
class MLFLOWCPP_EXPORT TransportError : public MlflowException {
 public:
  // How far the request got: a non-idempotent request is retried only when the
  // server cannot have acted on it.
  enum class Delivery {
    kNotSent,         // no connection was made (refused, DNS failure, connect timeout, TLS handshake failure)
    kMaybeProcessed,  // the request may have reached the server (timeout or reset after sending)
  };

  // `retryable` is false for failures another attempt cannot fix (a malformed
  // URL, a certificate that does not verify).
  explicit TransportError(const std::string& message, bool retryable = true,
                          Delivery delivery = Delivery::kMaybeProcessed);

  bool retryable() const noexcept { return retryable_; }
  Delivery delivery() const noexcept { return delivery_; }

 private:
  bool retryable_;
  Delivery delivery_;
};

// One HTTP exchange. Returns any response the server sent, whatever its status:
// turning statuses into MlflowException is the client's job. Throws
// TransportError when no response arrived.
//
// @par Thread Safety
// Implementations must allow concurrent send() calls from many threads: one
// Connection is shared by all copies of a client.
class MLFLOWCPP_EXPORT Connection {
 public:
  virtual ~Connection() = default;
  virtual HttpResponse send(const HttpRequest& request) = 0;

  // Files a transfer takes its request body from or gives its response body to,
  // so that large artifacts need not be held in memory.
  struct FileTransfer {
    std::string upload_from;  // when set: the request body is this file's content (request.body is ignored)
    std::string download_to;  // when set: a 200 response's body is written to this file (created or
                              // truncated) instead of response.body; other responses keep theirs
  };
  // send() with file bodies. This default reads the upload into memory, calls
  // send() and writes the body out; the real connection streams both.
  virtual HttpResponse send_with_files(const HttpRequest& request, const FileTransfer& files);

  // The settings of a connection made by make_connection(); nullptr for other
  // connections. An artifact URI naming another server
  // (mlflow-artifacts://host:port/...) is reached with these, as MLflow's
  // clients do: the same scheme, credentials, TLS settings and retries.
  virtual const ResolvedClientOptions* resolved_options() const { return nullptr; }
};

// The real connection for `options` (resolved against the environment): libcurl
// with reused connections, authentication and TLS settings, and retries with
// exponential backoff, all within the call's deadline (request_deadline_seconds):
// - an idempotent request is retried on connection errors, timeouts and resets,
//   and on 408, 429, 500, 502, 503, 504;
// - a non-idempotent one only when the server cannot have acted on it: no
//   connection was made (TransportError::Delivery::kNotSent), or it answered 429
//   or 503 (refused before doing the work). Never after a timeout or reset once
//   sent, nor after 500, 502, 504: the first attempt may have done the work.
// A database tracking URI (sqlite:///, postgresql://, postgres://) gives instead the
// tracking server itself in this process, from the store module libmlflowcpp-store.so
// (loaded on demand; see the README's "Offline runs"): same answers and errors, no
// network, no retries.
// Throws MlflowException (INVALID_PARAMETER_VALUE) for unusable options, such as
// no tracking URI, a scheme other than http/https or a database's, or a store module
// that cannot be loaded.
MLFLOWCPP_EXPORT std::shared_ptr<Connection> make_connection(const ClientOptions& options = {});
MLFLOWCPP_EXPORT std::shared_ptr<Connection> make_connection(const ResolvedClientOptions& options);

}  // namespace mlflowcpp
