#pragma once

#include "net/idle_pool.hpp"

#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/connection.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

// Declared so that <curl/curl.h> stays in the .cpp.
struct curl_slist;

namespace mlflowcpp::client {

// One HTTP attempt per send() over libcurl; no retries (RetryingConnection adds them).
//
// Connections are reused: each libcurl easy handle keeps its connections alive,
// and handles live in a pool. A call borrows an idle handle (or makes one when
// all are busy) and gives it back afterwards, so a single thread reuses one
// connection for every call, and N concurrent threads use about N connections.
//
// @par Thread Safety
// send() may be called from any number of threads at once.
class CurlTransport : public Connection {
 public:
  explicit CurlTransport(const ResolvedClientOptions& options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  HttpResponse send(const HttpRequest& request) override;
  // Streams the upload through a libcurl read callback and a 200 body into the file.
  HttpResponse send_with_files(const HttpRequest& request, const FileTransfer& files) override;
  const ResolvedClientOptions* resolved_options() const override { return &options_; }

  struct HeaderListCleanup {
    void operator()(curl_slist* list) const;
  };
  using HeaderList = std::unique_ptr<curl_slist, HeaderListCleanup>;

 private:
  struct EasyHandle;  // a CURL* with its RAII cleanup
  std::unique_ptr<EasyHandle> borrow_handle();
  void return_handle(std::unique_ptr<EasyHandle> handle);
  // Sets the options every request of this transport shares on a new handle.
  void configure(EasyHandle& handle) const;
  // The per-attempt timeout of the options; a request may ask for less (HttpRequest::timeout).
  long default_timeout_ms() const;
  HttpResponse perform(const HttpRequest& request, const FileTransfer& files);

  ResolvedClientOptions options_;
  std::string user_agent_;
  HeaderList get_headers_;   // for GET: no Content-Type
  HeaderList body_headers_;  // for requests with a JSON body
  net::IdlePool<EasyHandle> idle_handles_;
};

}  // namespace mlflowcpp::client
