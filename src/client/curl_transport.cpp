#include "client/curl_transport.hpp"

#include "client/url.hpp"
#include "text/ascii.hpp"

#include <mlflowcpp/version.hpp>

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace mlflowcpp::client {

void CurlTransport::HeaderListCleanup::operator()(curl_slist* list) const { curl_slist_free_all(list); }

struct CurlTransport::EasyHandle {
  struct Cleanup {
    void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
  };
  std::unique_ptr<CURL, Cleanup> curl;
};

namespace {

void append_header(CurlTransport::HeaderList& list, const std::string& line) {
  curl_slist* extended = curl_slist_append(list.get(), line.c_str());
  if (extended == nullptr) throw TransportError("Out of memory building request headers", false);
  list.release();
  list.reset(extended);
}

// Where a response body goes: the response, or for a 200 answer to a download, the file.
struct BodySink {
  HttpResponse* response = nullptr;
  std::FILE* file = nullptr;
  CURL* curl = nullptr;
  bool write_failed = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<BodySink*>(user);
  const size_t bytes = size * count;
  if (sink->file != nullptr) {
    long status = 0;
    curl_easy_getinfo(sink->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status == 200) {
      if (std::fwrite(data, 1, bytes, sink->file) != bytes) {
        sink->write_failed = true;
        return 0;  // aborts the transfer
      }
      return bytes;
    }
  }
  sink->response->body.append(data, bytes);
  return bytes;
}

size_t on_upload_read(char* buffer, size_t size, size_t count, void* user) {
  std::FILE* file = static_cast<std::FILE*>(user);
  size_t read = std::fread(buffer, 1, size * count, file);
  if (read == 0 && std::ferror(file)) return CURL_READFUNC_ABORT;
  return read;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FileHandle = std::unique_ptr<std::FILE, FileCloser>;

std::string trim(std::string text) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string line(data, size * count);
  // A new status line starts a new response (after a redirect or "100 Continue"):
  // only the headers of the final one count.
  if (line.rfind("HTTP/", 0) == 0) {
    response->headers.clear();
    return size * count;
  }
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  std::string name = to_lower_ascii(trim(line.substr(0, colon)));
  response->headers.emplace_back(std::move(name), trim(line.substr(colon + 1)));
  return size * count;
}

// Failures that will fail the same way on every attempt.
bool is_permanent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
      return true;
    default:
      return false;
  }
}

void set_timeout(CURL* curl, long timeout_ms) {
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
}

// How far a failed transfer got. Without a connection, or before the first
// byte of the request went out, the server cannot have acted on it.
TransportError::Delivery delivery_of(CURLcode code, CURL* curl) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return TransportError::Delivery::kNotSent;
    default: {
      long request_bytes = 0;
      curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &request_bytes);
      return request_bytes == 0 ? TransportError::Delivery::kNotSent : TransportError::Delivery::kMaybeProcessed;
    }
  }
}

}  // namespace

CurlTransport::CurlTransport(const ResolvedClientOptions& options)
    : options_(options), user_agent_(std::string("mlflowcpp/") + kVersion) {
  // Reference counted by libcurl and thread-safe in the libcurl versions we build with.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  // Basic auth when both halves are set, else the bearer token (the official client's order).
  std::string authorization;
  if (!(options_.username && options_.password) && options_.token) {
    authorization = "Authorization: Bearer " + *options_.token;
  }
  // Built once and only read by libcurl afterwards, so all threads can share them.
  for (HeaderList* list : {&get_headers_, &body_headers_}) {
    append_header(*list, "Accept: application/json");
    // curl would otherwise wait for "100 Continue" before sending larger bodies: a round trip lost.
    append_header(*list, "Expect:");
    if (!authorization.empty()) append_header(*list, authorization);
  }
  append_header(body_headers_, "Content-Type: application/json");
}

CurlTransport::~CurlTransport() {
  idle_handles_.clear();
  curl_global_cleanup();
}

std::unique_ptr<CurlTransport::EasyHandle> CurlTransport::borrow_handle() {
  if (auto idle = idle_handles_.take()) return idle;
  auto handle = std::make_unique<EasyHandle>();
  handle->curl.reset(curl_easy_init());
  if (!handle->curl) throw TransportError("Could not create a libcurl handle", false);
  configure(*handle);
  return handle;
}

void CurlTransport::return_handle(std::unique_ptr<EasyHandle> handle) { idle_handles_.give_back(std::move(handle)); }

void CurlTransport::configure(EasyHandle& handle) const {
  // What every request of this transport shares, set once per handle.
  CURL* curl = handle.curl.get();
  curl_easy_setopt(curl, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals and threads do not mix
  set_timeout(curl, default_timeout_ms());
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  if (options_.username && options_.password) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
    curl_easy_setopt(curl, CURLOPT_USERNAME, options_.username->c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, options_.password->c_str());
  }
  if (options_.insecure_tls) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (options_.server_cert_path) curl_easy_setopt(curl, CURLOPT_CAINFO, options_.server_cert_path->c_str());
  if (options_.client_cert_path) {
    // One PEM file holding certificate and key, as the official client's `cert=` path takes it.
    curl_easy_setopt(curl, CURLOPT_SSLCERT, options_.client_cert_path->c_str());
    curl_easy_setopt(curl, CURLOPT_SSLKEY, options_.client_cert_path->c_str());
  }
}

long CurlTransport::default_timeout_ms() const {
  return static_cast<long>(std::llround(options_.timeout_seconds * 1000.0));
}

HttpResponse CurlTransport::send(const HttpRequest& request) { return perform(request, FileTransfer{}); }

HttpResponse CurlTransport::send_with_files(const HttpRequest& request, const FileTransfer& files) {
  return perform(request, files);
}

HttpResponse CurlTransport::perform(const HttpRequest& request, const FileTransfer& files) {
  FileHandle upload;
  curl_off_t upload_size = 0;
  if (!files.upload_from.empty()) {
    std::error_code error;
    auto size = std::filesystem::file_size(files.upload_from, error);
    upload.reset(std::fopen(files.upload_from.c_str(), "rb"));
    if (error || !upload) throw invalid_parameter("Cannot read the file " + files.upload_from);
    upload_size = static_cast<curl_off_t>(size);
  }
  FileHandle download;
  if (!files.download_to.empty()) {
    download.reset(std::fopen(files.download_to.c_str(), "wb"));
    if (!download) throw MlflowException(ErrorCode::kInternalError, "Cannot write the file " + files.download_to);
  }

  std::string url = options_.tracking_uri + request.path;
  if (!request.query.empty()) url += "?" + encode_query(request.query);
  const bool is_get = request.method == "GET";

  auto handle = borrow_handle();
  CURL* curl = handle->curl.get();
  HttpResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  // Only what differs between requests is set here; the rest was set by configure().
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, is_get ? get_headers_.get() : body_headers_.get());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  const bool shorter_timeout = request.timeout.count() > 0 && request.timeout.count() < default_timeout_ms();
  if (shorter_timeout) set_timeout(curl, static_cast<long>(request.timeout.count()));
  BodySink sink{&response, download.get(), curl};
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  if (is_get) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (upload) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);  // a PUT fed by the read callback
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_upload_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, upload.get());
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, upload_size);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method == "PUT" ? nullptr : request.method.c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method == "POST" ? nullptr : request.method.c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const TransportError::Delivery delivery =
      code == CURLE_OK ? TransportError::Delivery::kMaybeProcessed : delivery_of(code, curl);
  if (shorter_timeout) set_timeout(curl, default_timeout_ms());
  // The handle must not keep pointers into this call's buffers once it is back in the pool.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, nullptr);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, nullptr);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, nullptr);
  if (upload) {
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 0L);
    curl_easy_setopt(curl, CURLOPT_READDATA, nullptr);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(-1));
  }
  return_handle(std::move(handle));

  if (download && std::fflush(download.get()) != 0) sink.write_failed = true;
  if (sink.write_failed) {
    // Not a TransportError: another attempt would not make the disk writable.
    throw MlflowException(ErrorCode::kInternalError, "Cannot write the file " + files.download_to);
  }

  if (code != CURLE_OK) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    throw TransportError("API request to " + url + " failed: " + detail, !is_permanent(code), delivery);
  }
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace mlflowcpp::client
