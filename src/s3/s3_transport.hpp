#pragma once

// One S3 request over libcurl, signed, retried and mapped to S3Error: the
// piece every S3Client call goes through.

#include "net/idle_pool.hpp"

#include "s3/s3_client.hpp"
#include "s3/sigv4.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::s3::detail {

struct S3Request {
  std::string method = "GET";
  std::string bucket;
  std::string key;  // raw; "" addresses the bucket
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, all signed
  // The body: none, `text` (hashed into the signature), or `source` of
  // `source_size` bytes (streamed as UNSIGNED-PAYLOAD). Pointers outlive the call.
  const std::string* text = nullptr;
  const ByteSource* source = nullptr;
  std::uint64_t source_size = 0;
  // Where a successful answer's body goes; without one it is kept in S3Response::body.
  const ByteSink* sink = nullptr;
  // A range asked for with a Range header: a server answering with more
  // (200 and the whole object, or a wider 206) still delivers just these bytes to `sink`.
  std::optional<ByteRange> range;
};

struct S3Response {
  long status = 0;
  std::string body;                            // when the request had no sink
  std::map<std::string, std::string> headers;  // lower-case names
};

// Parsed endpoint: "http://127.0.0.1:9000/base" -> scheme+authority and path prefix.
struct Endpoint {
  std::string origin;     // "http://127.0.0.1:9000"
  std::string authority;  // "127.0.0.1:9000": the signed Host header
  std::string base_path;  // "" or "/base"
};
Endpoint parse_endpoint(const S3Settings& settings);

// @par Thread Safety
// perform() may be called from any number of threads at once.
class S3Transport {
 public:
  explicit S3Transport(S3Settings settings);
  ~S3Transport();
  S3Transport(const S3Transport&) = delete;
  S3Transport& operator=(const S3Transport&) = delete;

  const S3Settings& settings() const { return settings_; }
  const Endpoint& endpoint() const { return endpoint_; }
  const SigningKeys& keys() const { return keys_; }

  // Sends `request`, retrying connection failures and 5xx answers (with
  // backoff, a bounded number of times) while the body can be replayed.
  // Returns 2xx answers; throws S3Error for anything else.
  S3Response perform(const S3Request& request);

 private:
  struct EasyHandle;
  std::unique_ptr<EasyHandle> borrow_handle();
  void return_handle(std::unique_ptr<EasyHandle> handle);
  struct AttemptOutcome {
    int curl_code = 0;          // a CURLcode
    bool sink_refused = false;  // the request's sink returned false
  };
  // One attempt: fills `response`, counts bytes given to the sink in `delivered`,
  // keeps an exception a callback threw in `callback_error`.
  AttemptOutcome attempt(EasyHandle& handle, const S3Request& request, S3Response& response, std::uint64_t& delivered,
                         std::exception_ptr& callback_error);

  S3Settings settings_;
  Endpoint endpoint_;
  SigningKeys keys_;
  net::IdlePool<EasyHandle> idle_handles_;
};

}  // namespace mlflowcpp::s3::detail
