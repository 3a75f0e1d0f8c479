#pragma once

// AWS Signature Version 4 for S3: one canonical-request path that produces
// either an Authorization header or a presigned query string.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::s3 {

// The payload hash a request signs when its body is streamed and not hashed
// first (S3 accepts it; the body is then protected by TLS alone).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// SHA-256 of the empty string: the payload hash of a bodiless request.
inline constexpr std::string_view kEmptyPayloadHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hex_encode(std::string_view bytes);

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters
// (A-Z a-z 0-9 - . _ ~) stay, everything else becomes %XX (upper-case hex);
// with keep_slash, '/' stays too (object keys in paths).
std::string uri_encode(std::string_view text, bool keep_slash = false);

// "/bucket/dir/a%20b" for a raw bucket and key (S3 encodes the path once).
std::string object_path(std::string_view bucket, std::string_view key);

struct SigningKeys {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when none
  std::string region;
  std::string service = "s3";
};

// One request as SigV4 sees it. Query parameters and header values are raw;
// the signer encodes, sorts and trims them.
struct RequestToSign {
  std::string method;                                        // "GET"
  std::string path;                                          // already encoded, e.g. object_path(...)
  std::vector<std::pair<std::string, std::string>> query;    // raw names and values
  std::vector<std::pair<std::string, std::string>> headers;  // must include "host"
  std::string payload_hash;                                  // hex SHA-256, or kUnsignedPayload
};

// "20130524T000000Z" for a time_t (UTC).
std::string amz_timestamp(long long unix_seconds);

// The sorted, encoded query string: "a=1&b=x%20y" (also what goes on the wire).
std::string canonical_query_string(const std::vector<std::pair<std::string, std::string>>& query);
std::string canonical_request(const RequestToSign& request);
std::string string_to_sign(const std::string& canonical, const std::string& timestamp, const std::string& scope);
// "20130524/us-east-1/s3/aws4_request"
std::string credential_scope(const SigningKeys& keys, const std::string& timestamp);
std::string signature(const SigningKeys& keys, const std::string& timestamp, const std::string& to_sign);

// Adds x-amz-date, x-amz-content-sha256 and (with a session token)
// x-amz-security-token to `request.headers`, and returns the value of the
// Authorization header for the result.
std::string sign_headers(RequestToSign& request, const SigningKeys& keys, const std::string& timestamp);

// Adds the X-Amz-* query parameters of a presigned URL (host is the only signed
// header, the payload is unsigned) to `request.query`, signature included.
void presign_query(RequestToSign& request, const SigningKeys& keys, const std::string& timestamp, int expires_seconds);

}  // namespace mlflowcpp::s3
