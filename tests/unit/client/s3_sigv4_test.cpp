// The SigV4 signer against AWS's published examples: the S3 examples of
// "Authenticating Requests: Using the Authorization Header" and "Query
// Parameters" (credentials AKIAIOSFODNN7EXAMPLE, 2013-05-24, us-east-1) and
// the get-vanilla cases of the generic SigV4 test suite.

#include "s3/sigv4.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mlflowcpp::s3 {
namespace {

SigningKeys s3_example_keys() {
  SigningKeys keys;
  keys.access_key_id = "AKIAIOSFODNN7EXAMPLE";
  keys.secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
  keys.region = "us-east-1";
  return keys;
}

constexpr const char* kS3ExampleTime = "20130524T000000Z";
constexpr const char* kExampleHost = "examplebucket.s3.amazonaws.com";

std::string signature_of(RequestToSign request, const SigningKeys& keys, const std::string& timestamp) {
  std::string authorization = sign_headers(request, keys, timestamp);
  auto at = authorization.find("Signature=");
  return authorization.substr(at + 10);
}

TEST(S3SigV4, HashesAndEncoding) {
  EXPECT_EQ(sha256_hex(""), kEmptyPayloadHash);
  EXPECT_EQ(sha256_hex("Welcome to Amazon S3."), "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(uri_encode("a b+c/d~e_f.g-h"), "a%20b%2Bc%2Fd~e_f.g-h");
  EXPECT_EQ(uri_encode("dir/a b+c", true), "dir/a%20b%2Bc");
  EXPECT_EQ(uri_encode("\xc3\xa9*!'()"), "%C3%A9%2A%21%27%28%29");
  EXPECT_EQ(object_path("bucket", "dir/x$y.txt"), "/bucket/dir/x%24y.txt");
  EXPECT_EQ(object_path("bucket", ""), "/bucket");
  EXPECT_EQ(amz_timestamp(1369353600), kS3ExampleTime);
}

TEST(S3SigV4, GetObjectExample) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/test.txt";
  request.headers = {{"Host", kExampleHost}, {"Range", "bytes=0-9"}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  RequestToSign signed_request = request;
  std::string authorization = sign_headers(signed_request, s3_example_keys(), kS3ExampleTime);
  EXPECT_EQ(sha256_hex(canonical_request(signed_request)),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(S3SigV4, PutObjectExample) {
  RequestToSign request;
  request.method = "PUT";
  request.path = object_path("", "test$file.text").substr(1);  // "/test%24file.text": virtual-hosted style
  request.headers = {
      {"Host", kExampleHost}, {"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  request.payload_hash = sha256_hex("Welcome to Amazon S3.");
  EXPECT_EQ(request.path, "/test%24file.text");
  EXPECT_EQ(signature_of(request, s3_example_keys(), kS3ExampleTime),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(S3SigV4, GetBucketLifecycleExample) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/";
  request.query = {{"lifecycle", ""}};
  request.headers = {{"Host", kExampleHost}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  EXPECT_EQ(signature_of(request, s3_example_keys(), kS3ExampleTime),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(S3SigV4, ListObjectsExampleSortsTheQuery) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/";
  request.query = {{"prefix", "J"}, {"max-keys", "2"}};  // given unsorted on purpose
  request.headers = {{"Host", kExampleHost}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  EXPECT_EQ(canonical_query_string(request.query), "max-keys=2&prefix=J");
  EXPECT_EQ(signature_of(request, s3_example_keys(), kS3ExampleTime),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(S3SigV4, PresignedUrlExample) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/test.txt";
  request.headers = {{"host", kExampleHost}};
  presign_query(request, s3_example_keys(), kS3ExampleTime, 86400);
  EXPECT_EQ(canonical_query_string(request.query),
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
            "&X-Amz-SignedHeaders=host");
}

TEST(S3SigV4, PresignedUrlCarriesTheSessionToken) {
  SigningKeys keys = s3_example_keys();
  keys.session_token = "token/with+chars";
  RequestToSign request;
  request.method = "PUT";
  request.path = "/bucket/key";
  request.query = {{"partNumber", "1"}, {"uploadId", "abc"}};
  request.headers = {{"host", "127.0.0.1:9000"}};
  presign_query(request, keys, kS3ExampleTime, 60);
  std::string query = canonical_query_string(request.query);
  EXPECT_NE(query.find("X-Amz-Security-Token=token%2Fwith%2Bchars"), std::string::npos) << query;
  EXPECT_NE(query.find("partNumber=1&uploadId=abc"), std::string::npos) << query;
}

// The generic SigV4 test suite (service "service", us-east-1, 2015-08-30).
SigningKeys suite_keys() {
  SigningKeys keys;
  keys.access_key_id = "AKIDEXAMPLE";
  keys.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  keys.region = "us-east-1";
  keys.service = "service";
  return keys;
}

std::string suite_signature(const RequestToSign& request) {
  const std::string timestamp = "20150830T123600Z";
  SigningKeys keys = suite_keys();
  std::string to_sign = string_to_sign(canonical_request(request), timestamp, credential_scope(keys, timestamp));
  return signature(keys, timestamp, to_sign);
}

TEST(S3SigV4, SuiteGetVanilla) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  EXPECT_EQ(suite_signature(request), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(S3SigV4, SuiteGetVanillaQueryOrderKeyCase) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/";
  request.query = {{"Param2", "value2"}, {"Param1", "value1"}};
  request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  EXPECT_EQ(suite_signature(request), "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(S3SigV4, HeaderValuesAreTrimmedAndSpacesCollapsed) {
  RequestToSign request;
  request.method = "GET";
  request.path = "/";
  request.headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "  a   b   c  "}};
  request.payload_hash = std::string(kEmptyPayloadHash);
  std::string canonical = canonical_request(request);
  EXPECT_NE(canonical.find("my-header1:a b c\n"), std::string::npos) << canonical;
}

}  // namespace
}  // namespace mlflowcpp::s3
