#pragma once

// A small S3 client over libcurl, signed with AWS Signature Version 4: what the
// client's s3:// artifact repository and the server's S3 artifact store need,
// and no more. Path-style addressing (http(s)://endpoint/bucket/key), so it
// works with MinIO, Ceph (CSC Allas), OCI's S3 compatibility API and AWS alike.
//
// Configured like MLflow's boto3 client: MLFLOW_S3_ENDPOINT_URL,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_DEFAULT_REGION (or AWS_REGION), MLFLOW_S3_IGNORE_TLS.
//
// Every call is thread-safe; bodies are streamed, never held whole in memory.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::s3 {

struct S3Settings {
  // "http://127.0.0.1:9000"; empty means AWS: https://s3.<region>.amazonaws.com.
  std::string endpoint_url;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // sent as x-amz-security-token when set
  std::string region = "us-east-1";
  bool verify_tls = true;  // MLFLOW_S3_IGNORE_TLS=true turns verification off
  long connect_timeout_ms = 10000;
  // A transfer making less than 1 byte/s progress for this long is abandoned.
  long stall_timeout_ms = 60000;
  // Tries per request when the connection fails or S3 answers 5xx (with
  // backoff from 200 ms); a body that cannot rewind is sent once.
  int max_attempts = 4;

  // The settings the environment gives (the variables above).
  static S3Settings from_environment();
};

// "s3://bucket/some/prefix" -> {"bucket", "some/prefix"}. Throws
// std::invalid_argument for anything that is not an s3:// URI with a bucket.
struct S3Location {
  std::string bucket;
  std::string key;  // no leading or trailing '/'; "" for the bucket root
};
S3Location parse_s3_uri(const std::string& uri);

// A failed S3 call. `kind` is what a caller acts on; `http_status` and
// `s3_code` (the <Code> of S3's XML error, e.g. "SignatureDoesNotMatch") say
// what the S3 server answered, and are 0 / "" when it could not be reached.
class S3Error : public std::runtime_error {
 public:
  enum class Kind {
    kNotFound,      // no such key (404 NoSuchKey / NoSuchUpload)
    kNoSuchBucket,  // 404 NoSuchBucket
    kAccessDenied,  // 403: wrong keys, bad signature, no permission
    kUnreachable,   // connection refused, DNS failure, TLS failure, timeout
    kAborted,       // the caller's source or sink stopped the transfer
    kOther,         // any other answer (400, 5xx after retries, ...)
  };
  S3Error(Kind kind, int http_status, std::string s3_code, const std::string& message)
      : std::runtime_error(message), kind_(kind), http_status_(http_status), s3_code_(std::move(s3_code)) {}
  Kind kind() const { return kind_; }
  int http_status() const { return http_status_; }
  const std::string& s3_code() const { return s3_code_; }

 private:
  Kind kind_;
  int http_status_;
  std::string s3_code_;
};

struct S3Object {
  std::string key;  // the full key
  std::uint64_t size = 0;
};

struct S3Listing {
  std::vector<S3Object> objects;             // keys directly below the prefix (with a delimiter)
  std::vector<std::string> common_prefixes;  // "prefix/dir/", one per "directory"
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;  // as UploadPart returned it, quotes included
};

struct ByteRange {
  std::uint64_t first = 0;   // offset of the first byte
  std::uint64_t length = 0;  // bytes from there
};

// Fills `buffer` with up to `capacity` bytes of a request body; returns how
// many (0 only at the end). May be called again from the start when a request
// is retried, after `rewind` returns true (a body that cannot rewind is not retried).
struct ByteSource {
  std::function<std::size_t(char* buffer, std::size_t capacity)> read;
  std::function<bool()> rewind;
};
// Receives a response body in order; returns false to abandon the transfer (S3Error kAborted).
using ByteSink = std::function<bool(const char* data, std::size_t length)>;

// A PUT whose body the caller pushes piece by piece (the server's proxy
// receives an upload that way). Memory stays bounded: write() blocks while the
// bytes are on their way. Destroyed without finish(), the upload is abandoned
// and no object is created.
class S3PutStream {
 public:
  virtual ~S3PutStream() = default;
  virtual void write(const char* data, std::size_t length) = 0;  // throws S3Error
  virtual void finish() = 0;                                     // waits for S3's answer; throws S3Error
};

class S3Client {
 public:
  explicit S3Client(S3Settings settings);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  const S3Settings& settings() const;

  // Objects. Keys are raw ("dir/a b+c.txt"); the client encodes them.
  void put_object(const std::string& bucket, const std::string& key, std::uint64_t size, const ByteSource& body);
  // A PUT of exactly `size` bytes pushed through the returned stream (which
  // must not outlive this client). The request starts with the first write.
  std::unique_ptr<S3PutStream> begin_put(const std::string& bucket, const std::string& key, std::uint64_t size);
  // The object's size; S3Error kNotFound when absent.
  std::uint64_t head_object(const std::string& bucket, const std::string& key);
  void get_object(const std::string& bucket, const std::string& key, const ByteSink& sink,
                  std::optional<ByteRange> range = std::nullopt);
  // Deleting a missing key succeeds, as in S3.
  void delete_object(const std::string& bucket, const std::string& key);

  // Every page of ListObjectsV2 (continuation tokens followed). With a
  // delimiter ("/"), keys below sub-"directories" come as common prefixes
  // (sorted, each once). The grouping is done here from the full listing
  // below the prefix, so it is right even on servers that get it wrong.
  S3Listing list_objects(const std::string& bucket, const std::string& prefix, const std::string& delimiter = "/");

  // Multipart uploads.
  std::string create_multipart_upload(const std::string& bucket, const std::string& key);  // the upload id
  // The part's ETag.
  std::string upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                          int part_number, std::uint64_t size, const ByteSource& body);
  void complete_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                 const std::vector<CompletedPart>& parts);
  void abort_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id);
  // A URL its holder can PUT one part to without credentials (query-string
  // SigV4), valid for `expires_seconds`.
  std::string presign_upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                  int part_number, int expires_seconds) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mlflowcpp::s3
