#include "s3/sigv4.hpp"
#include "text/ascii.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>

namespace mlflowcpp::s3 {
namespace {

constexpr const char* kAlgorithm = "AWS4-HMAC-SHA256";

std::string lower(std::string text) {
  text = to_lower_ascii(text);
  return text;
}

// Header values are signed trimmed, with runs of spaces collapsed to one.
std::string canonical_header_value(std::string_view value) {
  std::string result;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !result.empty();
      continue;
    }
    if (pending_space) result += ' ';
    pending_space = false;
    result += c;
  }
  return result;
}

std::vector<std::pair<std::string, std::string>> sorted_canonical_headers(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::pair<std::string, std::string>> canonical;
  canonical.reserve(headers.size());
  for (const auto& [name, value] : headers) canonical.emplace_back(lower(name), canonical_header_value(value));
  std::sort(canonical.begin(), canonical.end());
  return canonical;
}

std::string signed_header_names(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string names;
  for (const auto& [name, value] : sorted_canonical_headers(headers)) {
    if (!names.empty()) names += ';';
    names += name;
  }
  return names;
}

}  // namespace

std::string hex_encode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 0x0f];
  }
  return hex;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), digest, &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kDigits[c >> 4];
      encoded += kDigits[c & 0x0f];
    }
  }
  return encoded;
}

std::string object_path(std::string_view bucket, std::string_view key) {
  std::string path = "/" + uri_encode(bucket);
  if (!key.empty()) path += "/" + uri_encode(key, true);
  return path;
}

std::string amz_timestamp(long long unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string canonical_query_string(const std::vector<std::pair<std::string, std::string>>& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name), uri_encode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string result;
  for (const auto& [name, value] : encoded) {
    if (!result.empty()) result += '&';
    result += name + "=" + value;
  }
  return result;
}

std::string canonical_request(const RequestToSign& request) {
  std::string headers;
  for (const auto& [name, value] : sorted_canonical_headers(request.headers)) headers += name + ":" + value + "\n";
  return request.method + "\n" + request.path + "\n" + canonical_query_string(request.query) + "\n" + headers + "\n" +
         signed_header_names(request.headers) + "\n" + request.payload_hash;
}

std::string credential_scope(const SigningKeys& keys, const std::string& timestamp) {
  return timestamp.substr(0, 8) + "/" + keys.region + "/" + keys.service + "/aws4_request";
}

std::string string_to_sign(const std::string& canonical, const std::string& timestamp, const std::string& scope) {
  return std::string(kAlgorithm) + "\n" + timestamp + "\n" + scope + "\n" + sha256_hex(canonical);
}

std::string signature(const SigningKeys& keys, const std::string& timestamp, const std::string& to_sign) {
  std::string date_key = hmac_sha256("AWS4" + keys.secret_access_key, timestamp.substr(0, 8));
  std::string region_key = hmac_sha256(date_key, keys.region);
  std::string service_key = hmac_sha256(region_key, keys.service);
  std::string signing_key = hmac_sha256(service_key, "aws4_request");
  return hex_encode(hmac_sha256(signing_key, to_sign));
}

std::string sign_headers(RequestToSign& request, const SigningKeys& keys, const std::string& timestamp) {
  request.headers.emplace_back("x-amz-date", timestamp);
  request.headers.emplace_back("x-amz-content-sha256", request.payload_hash);
  if (!keys.session_token.empty()) request.headers.emplace_back("x-amz-security-token", keys.session_token);
  std::string scope = credential_scope(keys, timestamp);
  std::string to_sign = string_to_sign(canonical_request(request), timestamp, scope);
  return std::string(kAlgorithm) + " Credential=" + keys.access_key_id + "/" + scope +
         ", SignedHeaders=" + signed_header_names(request.headers) +
         ", Signature=" + signature(keys, timestamp, to_sign);
}

void presign_query(RequestToSign& request, const SigningKeys& keys, const std::string& timestamp, int expires_seconds) {
  std::string scope = credential_scope(keys, timestamp);
  request.payload_hash = std::string(kUnsignedPayload);
  request.query.emplace_back("X-Amz-Algorithm", kAlgorithm);
  request.query.emplace_back("X-Amz-Credential", keys.access_key_id + "/" + scope);
  request.query.emplace_back("X-Amz-Date", timestamp);
  request.query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
  if (!keys.session_token.empty()) request.query.emplace_back("X-Amz-Security-Token", keys.session_token);
  request.query.emplace_back("X-Amz-SignedHeaders", signed_header_names(request.headers));
  std::string to_sign = string_to_sign(canonical_request(request), timestamp, scope);
  request.query.emplace_back("X-Amz-Signature", signature(keys, timestamp, to_sign));
}

}  // namespace mlflowcpp::s3
