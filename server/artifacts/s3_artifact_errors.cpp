#include "server/artifacts/s3_artifact_errors.hpp"

#include "s3/s3_client.hpp"

#include <fmt/format.h>

namespace mlflowcpp::server {
namespace {

MlflowException upstream_failure(const std::string& message) {
  return MlflowException(std::string(error_code_name(ErrorCode::kInternalError)), kS3FailureHttpStatus, message);
}

}  // namespace

MlflowException s3_failure(const s3::S3Error& error, const std::string& artifact) {
  using Kind = s3::S3Error::Kind;
  switch (error.kind()) {
    case Kind::kNotFound:
      return not_found(fmt::format("Artifact '{}' does not exist.", artifact));
    case Kind::kNoSuchBucket:
      return upstream_failure(fmt::format(
          "The S3 bucket of the artifact store does not exist ({}). Create it or fix the artifact location.",
          error.what()));
    case Kind::kAccessDenied:
      return upstream_failure(fmt::format(
          "S3 refused the tracking server's request ({}). Check the server's S3 credentials (AWS_ACCESS_KEY_ID, "
          "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) and their permissions on the bucket.",
          error.what()));
    case Kind::kUnreachable:
      return MlflowException(
          ErrorCode::kTemporarilyUnavailable,
          fmt::format("The S3 artifact store cannot be reached ({}). Check MLFLOW_S3_ENDPOINT_URL and the network.",
                      error.what()));
    case Kind::kAborted:
      return MlflowException(ErrorCode::kBadRequest,
                             fmt::format("The transfer of '{}' was interrupted; nothing was stored.", artifact));
    case Kind::kOther:
      break;
  }
  return upstream_failure(fmt::format("The S3 artifact store failed ({}).", error.what()));
}

}  // namespace mlflowcpp::server
