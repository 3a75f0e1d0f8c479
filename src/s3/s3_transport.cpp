#include "s3/s3_transport.hpp"

#include "s3/s3_errors.hpp"
#include "text/ascii.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace mlflowcpp::s3::detail {
namespace {

struct HeaderListCleanup {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, HeaderListCleanup>;

void append_header(HeaderList& list, const std::string& line) {
  curl_slist* extended = curl_slist_append(list.get(), line.c_str());
  if (extended == nullptr) throw S3Error(S3Error::Kind::kOther, 0, "", "Out of memory building S3 request headers");
  list.release();
  list.reset(extended);
}

std::string lower(std::string text) {
  text = to_lower_ascii(text);
  return text;
}

std::string trim(std::string text) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

// State the libcurl callbacks of one attempt share.
struct Exchange {
  const S3Request* request = nullptr;
  S3Response* response = nullptr;
  CURL* curl = nullptr;
  std::uint64_t* delivered = nullptr;  // bytes given to the sink, across attempts
  std::uint64_t received = 0;          // body bytes of this answer
  std::size_t text_offset = 0;         // read position in request->text
  std::exception_ptr* callback_error = nullptr;
  bool sink_refused = false;
};

long response_status(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

// Where the answer's body starts in the object: 0 for a 200, the first byte
// of "Content-Range: bytes <first>-<last>/<size>" for a 206.
std::uint64_t body_offset(const S3Response& response) {
  if (response.status != 206) return 0;
  auto range = response.headers.find("content-range");
  if (range == response.headers.end()) return 0;
  auto digits = range->second.find_first_of("0123456789");
  if (digits == std::string::npos) return 0;
  return std::strtoull(range->second.c_str() + digits, nullptr, 10);
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  long status = response_status(exchange->curl);
  if (exchange->request->sink == nullptr || status < 200 || status >= 300) {
    exchange->response->body.append(data, bytes);
    return bytes;
  }
  // Only the range asked for reaches the sink, even from a server that
  // answers with more (the whole object as a 200, or a wider 206).
  exchange->response->status = status;
  std::uint64_t begin = body_offset(*exchange->response) + exchange->received;
  std::uint64_t end = begin + bytes;
  exchange->received += bytes;
  std::uint64_t wanted_first = 0;
  std::uint64_t wanted_end = end;
  if (exchange->request->range) {
    wanted_first = exchange->request->range->first;
    wanted_end = wanted_first + exchange->request->range->length;
  }
  std::uint64_t from = std::max(begin, wanted_first);
  std::uint64_t to = std::min(end, wanted_end);
  if (from >= to) return bytes;
  try {
    if (!(*exchange->request->sink)(data + (from - begin), static_cast<std::size_t>(to - from))) {
      exchange->sink_refused = true;
      return 0;  // aborts the transfer
    }
  } catch (...) {
    *exchange->callback_error = std::current_exception();
    return 0;
  }
  *exchange->delivered += to - from;
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t bytes = size * count;
  std::string line(data, bytes);
  if (line.rfind("HTTP/", 0) == 0) {
    exchange->response->headers.clear();  // a new answer (after 100 Continue)
    return bytes;
  }
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    exchange->response->headers[lower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
  }
  return bytes;
}

size_t on_upload_read(char* buffer, size_t size, size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const size_t capacity = size * count;
  const S3Request& request = *exchange->request;
  if (request.text != nullptr) {
    size_t n = std::min(capacity, request.text->size() - exchange->text_offset);
    std::copy_n(request.text->data() + exchange->text_offset, n, buffer);
    exchange->text_offset += n;
    return n;
  }
  try {
    return request.source->read(buffer, capacity);
  } catch (...) {
    *exchange->callback_error = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

std::chrono::milliseconds backoff(int attempt) {
  // 200 ms, 400 ms, 800 ms, ... capped at 5 s.
  long delay = 200L << std::min(attempt - 1, 5);
  return std::chrono::milliseconds(std::min(delay, 5000L));
}

}  // namespace

struct S3Transport::EasyHandle {
  struct Cleanup {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  };
  std::unique_ptr<CURL, Cleanup> curl;
};

Endpoint parse_endpoint(const S3Settings& settings) {
  std::string url = settings.endpoint_url;
  if (url.empty()) url = "https://s3." + settings.region + ".amazonaws.com";
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    throw std::invalid_argument("The S3 endpoint URL needs a scheme (http:// or https://): " + url);
  }
  auto path_start = url.find('/', scheme_end + 3);
  Endpoint endpoint;
  endpoint.origin = url.substr(0, path_start);
  endpoint.authority = endpoint.origin.substr(scheme_end + 3);
  if (endpoint.authority.empty()) throw std::invalid_argument("The S3 endpoint URL has no host: " + url);
  if (path_start != std::string::npos) {
    endpoint.base_path = url.substr(path_start);
    while (!endpoint.base_path.empty() && endpoint.base_path.back() == '/') endpoint.base_path.pop_back();
  }
  return endpoint;
}

S3Transport::S3Transport(S3Settings settings) : settings_(std::move(settings)), endpoint_(parse_endpoint(settings_)) {
  // Reference counted by libcurl and thread-safe in the libcurl versions we build with.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  keys_.access_key_id = settings_.access_key_id;
  keys_.secret_access_key = settings_.secret_access_key;
  keys_.session_token = settings_.session_token;
  keys_.region = settings_.region;
}

S3Transport::~S3Transport() {
  idle_handles_.clear();
  curl_global_cleanup();
}

std::unique_ptr<S3Transport::EasyHandle> S3Transport::borrow_handle() {
  if (auto idle = idle_handles_.take()) return idle;
  auto handle = std::make_unique<EasyHandle>();
  handle->curl.reset(curl_easy_init());
  if (!handle->curl) throw S3Error(S3Error::Kind::kOther, 0, "", "Could not create a libcurl handle");
  return handle;
}

void S3Transport::return_handle(std::unique_ptr<EasyHandle> handle) {
  // reset() forgets the options but keeps the live connections for the next call.
  curl_easy_reset(handle->curl.get());
  idle_handles_.give_back(std::move(handle));
}

S3Transport::AttemptOutcome S3Transport::attempt(EasyHandle& handle, const S3Request& request, S3Response& response,
                                                 std::uint64_t& delivered, std::exception_ptr& callback_error) {
  CURL* curl = handle.curl.get();
  curl_easy_reset(curl);

  RequestToSign to_sign;
  to_sign.method = request.method;
  to_sign.path = endpoint_.base_path + object_path(request.bucket, request.key);
  to_sign.query = request.query;
  to_sign.headers = request.headers;
  to_sign.headers.emplace_back("host", endpoint_.authority);
  if (request.text != nullptr) {
    to_sign.payload_hash = sha256_hex(*request.text);
  } else if (request.source != nullptr) {
    to_sign.payload_hash = std::string(kUnsignedPayload);
  } else {
    to_sign.payload_hash = std::string(kEmptyPayloadHash);
  }
  auto now = std::chrono::system_clock::now();
  std::string timestamp =
      amz_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  std::string authorization = sign_headers(to_sign, keys_, timestamp);

  HeaderList headers;
  for (const auto& [name, value] : to_sign.headers) append_header(headers, name + ": " + value);
  if (!keys_.access_key_id.empty()) append_header(headers, "Authorization: " + authorization);
  // curl would otherwise wait for "100 Continue" before sending larger bodies.
  append_header(headers, "Expect:");
  // Bodiless POSTs would get a form Content-Type from curl.
  append_header(headers, "Content-Type:");

  std::string url = endpoint_.origin + to_sign.path;
  std::string query = canonical_query_string(request.query);
  if (!query.empty()) url += "?" + query;

  Exchange exchange;
  exchange.request = &request;
  exchange.response = &response;
  exchange.curl = curl;
  exchange.delivered = &delivered;
  exchange.callback_error = &callback_error;

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, settings_.connect_timeout_ms);
  // A transfer slower than 1 byte/s for stall_timeout is abandoned, however long it is in total.
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, std::max(1L, settings_.stall_timeout_ms / 1000));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  if (!settings_.verify_tls) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.text != nullptr || request.source != nullptr || request.method == "PUT" ||
             request.method == "POST") {
    std::uint64_t size = request.text != nullptr ? request.text->size() : request.source_size;
    if (request.text == nullptr && request.source == nullptr) size = 0;
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_upload_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &exchange);
    if (request.method != "PUT") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  AttemptOutcome outcome;
  outcome.curl_code = curl_easy_perform(curl);
  outcome.sink_refused = exchange.sink_refused;
  response.status = response_status(curl);
  return outcome;
}

S3Response S3Transport::perform(const S3Request& request) {
  const int max_attempts = std::max(1, settings_.max_attempts);
  std::uint64_t delivered = 0;
  for (int attempt_number = 1;; ++attempt_number) {
    S3Response response;
    std::exception_ptr callback_error;
    auto handle = borrow_handle();
    AttemptOutcome outcome = attempt(*handle, request, response, delivered, callback_error);
    return_handle(std::move(handle));
    const int code = outcome.curl_code;

    if (callback_error) std::rethrow_exception(callback_error);
    if (outcome.sink_refused) {
      throw S3Error(S3Error::Kind::kAborted, 0, "", describe(request) + ": the receiver stopped the transfer");
    }
    if (code == CURLE_ABORTED_BY_CALLBACK || code == CURLE_READ_ERROR) {
      throw S3Error(S3Error::Kind::kAborted, 0, "", describe(request) + ": the request body was abandoned");
    }
    // Another attempt only when the body can be sent again and no bytes went to the sink yet.
    auto can_repeat = [&] {
      if (attempt_number >= max_attempts || delivered > 0) return false;
      if (request.source != nullptr) return request.source->rewind && request.source->rewind();
      return true;
    };
    if (code != CURLE_OK) {
      if (is_retryable_failure(code) && can_repeat()) {
        std::this_thread::sleep_for(backoff(attempt_number));
        continue;
      }
      S3Error::Kind kind = is_connection_failure(code) ? S3Error::Kind::kUnreachable : S3Error::Kind::kOther;
      throw S3Error(kind, 0, "",
                    describe(request) + " at " + endpoint_.origin + " failed after " + std::to_string(attempt_number) +
                        " attempt(s): " + curl_easy_strerror(static_cast<CURLcode>(code)));
    }
    if (response.status >= 200 && response.status < 300) return response;
    S3Error error = error_from_response(request, response);
    if (is_retryable_status(response.status, error.s3_code()) && can_repeat()) {
      std::this_thread::sleep_for(backoff(attempt_number));
      continue;
    }
    throw error;
  }
}

}  // namespace mlflowcpp::s3::detail
