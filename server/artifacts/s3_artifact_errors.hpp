#pragma once

// How a failed S3 call is reported to the client: the table is in
// s3_artifact_store.hpp. Kept apart so every S3 call site maps the same way.

#include <mlflowcpp/errors.hpp>

#include <string>

namespace mlflowcpp::s3 {
class S3Error;
}

namespace mlflowcpp::server {

// The status of failures that are S3's own, not the client's.
constexpr int kS3FailureHttpStatus = 502;

// `artifact`: the relative path the client asked for (named in 404 messages).
// Other messages carry the S3 client's own text, which names the call, the
// bucket and key, and S3's answer.
MlflowException s3_failure(const s3::S3Error& error, const std::string& artifact);

}  // namespace mlflowcpp::server
