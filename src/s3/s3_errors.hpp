#pragma once

// What a failed S3 request means: S3Error kinds from S3's answers and
// libcurl's codes, and which failures are worth another attempt.

#include "s3/s3_transport.hpp"

#include <string>

namespace mlflowcpp::s3::detail {

// "PUT s3://bucket/key": how error messages name a request.
std::string describe(const S3Request& request);

// libcurl codes (CURLcode values) of a connection that failed or broke: kUnreachable.
bool is_connection_failure(int curl_code);
// The connection failures that may heal (not TLS verification or an unknown host).
bool is_retryable_failure(int curl_code);
// Answers that say "try again later": 5xx, 429, RequestTimeout, SlowDown.
bool is_retryable_status(long status, const std::string& s3_code);

// The kind of an answer: NoSuchKey/NoSuchUpload -> kNotFound, NoSuchBucket ->
// kNoSuchBucket, refused keys or signatures (and any 403) -> kAccessDenied,
// a 404 without a code (HEAD answers have no body) -> kNotFound.
S3Error::Kind kind_of(long status, const std::string& s3_code);

// The S3Error for an answer that is not 2xx (its XML <Code>, or the
// x-amz-error-code header when the body has none).
S3Error error_from_response(const S3Request& request, const S3Response& response);

}  // namespace mlflowcpp::s3::detail
