#include "s3/s3_client.hpp"

#include "s3/s3_errors.hpp"
#include "s3/s3_put_stream.hpp"
#include "s3/s3_transport.hpp"
#include "s3/s3_xml.hpp"
#include "s3/sigv4.hpp"

#include <chrono>
#include <set>

namespace mlflowcpp::s3 {
namespace {

std::string upload_target(const std::string& bucket, const std::string& key) { return "s3://" + bucket + "/" + key; }

}  // namespace

struct S3Client::Impl {
  explicit Impl(S3Settings settings) : transport(std::move(settings)) {}
  detail::S3Transport transport;
};

S3Client::S3Client(S3Settings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}
S3Client::~S3Client() = default;

const S3Settings& S3Client::settings() const { return impl_->transport.settings(); }

void S3Client::put_object(const std::string& bucket, const std::string& key, std::uint64_t size,
                          const ByteSource& body) {
  detail::S3Request request;
  request.method = "PUT";
  request.bucket = bucket;
  request.key = key;
  request.source = &body;
  request.source_size = size;
  impl_->transport.perform(request);
}

std::unique_ptr<S3PutStream> S3Client::begin_put(const std::string& bucket, const std::string& key,
                                                 std::uint64_t size) {
  return std::make_unique<detail::StreamingPut>(
      [this, bucket, key, size](const ByteSource& body) { put_object(bucket, key, size, body); }, size,
      impl_->transport.settings().stall_timeout_ms, upload_target(bucket, key));
}

std::uint64_t S3Client::head_object(const std::string& bucket, const std::string& key) {
  detail::S3Request request;
  request.method = "HEAD";
  request.bucket = bucket;
  request.key = key;
  detail::S3Response response = impl_->transport.perform(request);
  auto length = response.headers.find("content-length");
  if (length == response.headers.end()) {
    throw S3Error(S3Error::Kind::kOther, static_cast<int>(response.status), "",
                  "HEAD " + upload_target(bucket, key) + " answered without a Content-Length");
  }
  return std::strtoull(length->second.c_str(), nullptr, 10);
}

void S3Client::get_object(const std::string& bucket, const std::string& key, const ByteSink& sink,
                          std::optional<ByteRange> range) {
  if (range && range->length == 0) return;  // nothing to fetch; "bytes=a-(a-1)" is not a valid range
  detail::S3Request request;
  request.bucket = bucket;
  request.key = key;
  request.sink = &sink;
  if (range) {
    request.range = range;
    request.headers.emplace_back(
        "range", "bytes=" + std::to_string(range->first) + "-" + std::to_string(range->first + range->length - 1));
  }
  impl_->transport.perform(request);
}

void S3Client::delete_object(const std::string& bucket, const std::string& key) {
  detail::S3Request request;
  request.method = "DELETE";
  request.bucket = bucket;
  request.key = key;
  try {
    impl_->transport.perform(request);
  } catch (const S3Error& error) {
    // Some S3-compatible servers answer NoSuchKey where S3 answers 204.
    if (error.kind() != S3Error::Kind::kNotFound) throw;
  }
}

S3Listing S3Client::list_objects(const std::string& bucket, const std::string& prefix, const std::string& delimiter) {
  // Every key below the prefix, grouped here rather than by the server: some
  // S3-compatible servers (s3rver 4.0.4) leave out a common prefix that holds
  // only deeper "directories" when asked with a delimiter.
  S3Listing listing;
  std::set<std::string> common_prefixes;
  std::string continuation_token;
  do {
    detail::S3Request request;
    request.bucket = bucket;
    request.query = {{"list-type", "2"}, {"prefix", prefix}};
    if (!continuation_token.empty()) request.query.emplace_back("continuation-token", continuation_token);
    detail::S3Response response = impl_->transport.perform(request);
    xml::ListPage page = xml::parse_list_objects_v2(response.body);
    for (auto& object : page.objects) {
      if (object.key.compare(0, prefix.size(), prefix) != 0) continue;  // not below the prefix: ignored
      std::size_t cut = delimiter.empty() ? std::string::npos : object.key.find(delimiter, prefix.size());
      if (cut == std::string::npos) {
        listing.objects.push_back(std::move(object));
      } else {
        common_prefixes.insert(object.key.substr(0, cut + delimiter.size()));
      }
    }
    if (page.truncated && page.next_continuation_token.empty()) {
      throw S3Error(S3Error::Kind::kOther, static_cast<int>(response.status), "",
                    "S3 listed s3://" + bucket + "/" + prefix + " as truncated without a continuation token");
    }
    continuation_token = page.truncated ? page.next_continuation_token : std::string();
  } while (!continuation_token.empty());
  listing.common_prefixes.assign(common_prefixes.begin(), common_prefixes.end());
  return listing;
}

std::string S3Client::create_multipart_upload(const std::string& bucket, const std::string& key) {
  detail::S3Request request;
  request.method = "POST";
  request.bucket = bucket;
  request.key = key;
  request.query = {{"uploads", ""}};
  detail::S3Response response = impl_->transport.perform(request);
  return xml::parse_upload_id(response.body);
}

std::string S3Client::upload_part(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                  int part_number, std::uint64_t size, const ByteSource& body) {
  detail::S3Request request;
  request.method = "PUT";
  request.bucket = bucket;
  request.key = key;
  request.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  request.source = &body;
  request.source_size = size;
  detail::S3Response response = impl_->transport.perform(request);
  auto etag = response.headers.find("etag");
  if (etag == response.headers.end() || etag->second.empty()) {
    throw S3Error(S3Error::Kind::kOther, static_cast<int>(response.status), "",
                  "S3 answered UploadPart " + std::to_string(part_number) + " of " + upload_target(bucket, key) +
                      " without an ETag");
  }
  return etag->second;
}

void S3Client::complete_multipart_upload(const std::string& bucket, const std::string& key,
                                         const std::string& upload_id, const std::vector<CompletedPart>& parts) {
  detail::S3Request request;
  request.method = "POST";
  request.bucket = bucket;
  request.key = key;
  request.query = {{"uploadId", upload_id}};
  std::string body = xml::complete_multipart_body(parts);
  request.text = &body;
  detail::S3Response response = impl_->transport.perform(request);
  // S3 may answer 200 and still report an error in the body.
  if (response.body.find("<Error>") != std::string::npos) {
    response.status = 500;
    throw detail::error_from_response(request, response);
  }
}

void S3Client::abort_multipart_upload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  detail::S3Request request;
  request.method = "DELETE";
  request.bucket = bucket;
  request.key = key;
  request.query = {{"uploadId", upload_id}};
  impl_->transport.perform(request);
}

std::string S3Client::presign_upload_part(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int part_number, int expires_seconds) const {
  const detail::S3Transport& transport = impl_->transport;
  RequestToSign request;
  request.method = "PUT";
  request.path = transport.endpoint().base_path + object_path(bucket, key);
  request.query = {{"partNumber", std::to_string(part_number)}, {"uploadId", upload_id}};
  request.headers = {{"host", transport.endpoint().authority}};
  auto now = std::chrono::system_clock::now();
  std::string timestamp =
      amz_timestamp(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  presign_query(request, transport.keys(), timestamp, expires_seconds);
  return transport.endpoint().origin + request.path + "?" + canonical_query_string(request.query);
}

}  // namespace mlflowcpp::s3
