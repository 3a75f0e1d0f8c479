#include "s3/s3_errors.hpp"

#include "s3/s3_xml.hpp"

#include <curl/curl.h>

namespace mlflowcpp::s3::detail {

std::string describe(const S3Request& request) {
  std::string target = request.bucket;
  if (!request.key.empty()) target += "/" + request.key;
  return request.method + " s3://" + target;
}

bool is_connection_failure(int curl_code) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      return true;
    default:
      return false;
  }
}

bool is_retryable_failure(int curl_code) {
  // TLS configuration problems and unknown hosts do not heal by trying again.
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_COULDNT_RESOLVE_HOST:
      return false;
    default:
      return is_connection_failure(curl_code);
  }
}

bool is_retryable_status(long status, const std::string& s3_code) {
  return status >= 500 || status == 429 || s3_code == "RequestTimeout" || s3_code == "SlowDown";
}

S3Error::Kind kind_of(long status, const std::string& s3_code) {
  if (s3_code == "NoSuchKey" || s3_code == "NoSuchUpload") return S3Error::Kind::kNotFound;
  if (s3_code == "NoSuchBucket") return S3Error::Kind::kNoSuchBucket;
  if (s3_code == "AccessDenied" || s3_code == "SignatureDoesNotMatch" || s3_code == "InvalidAccessKeyId" ||
      s3_code == "ExpiredToken" || s3_code == "InvalidToken" || status == 403) {
    return S3Error::Kind::kAccessDenied;
  }
  if (status == 404) return S3Error::Kind::kNotFound;
  return S3Error::Kind::kOther;
}

S3Error error_from_response(const S3Request& request, const S3Response& response) {
  xml::ErrorDocument document = xml::parse_error(response.body);
  if (document.code.empty()) {
    auto header = response.headers.find("x-amz-error-code");
    if (header != response.headers.end()) document.code = header->second;
  }
  std::string message = describe(request) + ": HTTP " + std::to_string(response.status);
  if (!document.code.empty()) message += " " + document.code;
  if (!document.message.empty()) message += ": " + document.message;
  return S3Error(kind_of(response.status, document.code), static_cast<int>(response.status), document.code, message);
}

}  // namespace mlflowcpp::s3::detail
