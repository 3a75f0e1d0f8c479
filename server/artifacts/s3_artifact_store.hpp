#pragma once

// Artifacts below one prefix of an S3 bucket (s3://bucket/prefix), read and
// written with the server's own credentials (S3Settings::from_environment, as
// the official server's boto3 client). A relative path "dir/f.txt" is the key
// "<prefix>/dir/f.txt"; paths come normalised (no '..', no leading '/', no
// empty segments), so every key formed here lies below "<prefix>/".
//
// How S3's failures reach the client (the official server has no mapping of
// its own: a boto3 error there becomes a bare 500):
// - a missing key: 404 RESOURCE_DOES_NOT_EXIST, as for a local file (a
//   download from a missing bucket too: S3 answers HEAD without an error code);
// - the endpoint cannot be reached (refused, DNS, TLS, timeout):
//   503 TEMPORARILY_UNAVAILABLE, the code MLflow gives an unavailable service;
// - S3 answers with an error (wrong keys, missing bucket, no permission, any
//   other refusal): 502 with error_code INTERNAL_ERROR (the code the official
//   server reports, on the status that says the fault lies upstream) and a
//   message naming S3's error code and what to check;
// - multipart complete/abort refused for its parts or upload id (a 4xx from
//   S3 on a call the client shaped): 400 INVALID_PARAMETER_VALUE, 404 for an
//   unknown upload id, 501 NOT_IMPLEMENTED when the S3 service does not offer
//   the call (405; s3rver has no multipart abort).

#include "server/artifacts/artifact_store.hpp"

#include <memory>
#include <string>

namespace mlflowcpp::s3 {
class S3Client;
}

namespace mlflowcpp::server {

class S3ArtifactStore : public ArtifactStore {
 public:
  // `root_uri`: "s3://bucket" or "s3://bucket/prefix". INVALID_PARAMETER_VALUE
  // for anything else, and for a prefix that is not in canonical form ('..'
  // or '.' segments, "//", a trailing '/', percent-encoded traversal, control
  // characters): such a root could name keys its normalised paths do not.
  S3ArtifactStore(std::shared_ptr<s3::S3Client> client, const std::string& root_uri);

  const std::string& bucket() const { return bucket_; }
  const std::string& prefix() const { return prefix_; }
  // The key of a normalised relative path ("" = the prefix itself).
  std::string key_of(const std::string& relative) const;

  std::string root_description() const override;
  std::vector<FileInfo> list(const std::string& relative_directory) const override;
  std::unique_ptr<ArtifactReader> open(const std::string& relative_file) const override;
  // With a size, the body goes to S3 in one streamed PUT; without one (a
  // chunked request), as a multipart upload in parts of a few MiB.
  std::unique_ptr<ArtifactUpload> begin_upload(const std::string& relative_file,
                                               std::optional<std::uint64_t> size) const override;
  // The key itself and every key below "<key>/".
  void remove(const std::string& relative_path) const override;

  // Presigned UploadPart URLs, valid for an hour (boto3's default), no extra headers.
  MultipartUploadStart create_multipart_upload(const std::string& relative_file, int num_parts) const override;
  void complete_multipart_upload(const std::string& relative_file, const std::string& upload_id,
                                 const std::vector<MultipartUploadPart>& parts) const override;
  void abort_multipart_upload(const std::string& relative_file, const std::string& upload_id) const override;

 private:
  std::shared_ptr<s3::S3Client> client_;
  std::string bucket_;
  std::string prefix_;  // "" for the bucket root
};

}  // namespace mlflowcpp::server
