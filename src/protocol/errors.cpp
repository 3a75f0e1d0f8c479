#include <mlflowcpp/errors.hpp>

#include <array>
#include <utility>

namespace mlflowcpp {
namespace {

struct ErrorCodeEntry {
  ErrorCode code;
  std::string_view name;
  int http_status;
};

// Names and statuses as mlflow/exceptions.py maps them; codes it leaves
// unmapped (MALFORMED_REQUEST, INVALID_STATE, DATA_LOSS) answer 500 there too.
constexpr std::array<ErrorCodeEntry, 21> kErrorCodes{{
    {ErrorCode::kInternalError, "INTERNAL_ERROR", 500},
    {ErrorCode::kInvalidParameterValue, "INVALID_PARAMETER_VALUE", 400},
    {ErrorCode::kBadRequest, "BAD_REQUEST", 400},
    {ErrorCode::kMalformedRequest, "MALFORMED_REQUEST", 500},
    {ErrorCode::kResourceAlreadyExists, "RESOURCE_ALREADY_EXISTS", 400},
    {ErrorCode::kResourceDoesNotExist, "RESOURCE_DOES_NOT_EXIST", 404},
    {ErrorCode::kNotFound, "NOT_FOUND", 404},
    {ErrorCode::kEndpointNotFound, "ENDPOINT_NOT_FOUND", 404},
    {ErrorCode::kInvalidState, "INVALID_STATE", 500},
    {ErrorCode::kUnauthenticated, "UNAUTHENTICATED", 401},
    {ErrorCode::kPermissionDenied, "PERMISSION_DENIED", 403},
    {ErrorCode::kAborted, "ABORTED", 409},
    {ErrorCode::kAlreadyExists, "ALREADY_EXISTS", 409},
    {ErrorCode::kResourceConflict, "RESOURCE_CONFLICT", 409},
    {ErrorCode::kResourceExhausted, "RESOURCE_EXHAUSTED", 429},
    {ErrorCode::kRequestLimitExceeded, "REQUEST_LIMIT_EXCEEDED", 429},
    {ErrorCode::kCancelled, "CANCELLED", 499},
    {ErrorCode::kDataLoss, "DATA_LOSS", 500},
    {ErrorCode::kNotImplemented, "NOT_IMPLEMENTED", 501},
    {ErrorCode::kTemporarilyUnavailable, "TEMPORARILY_UNAVAILABLE", 503},
    {ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED", 504},
}};

const ErrorCodeEntry& entry_for(ErrorCode code) {
  for (const auto& entry : kErrorCodes) {
    if (entry.code == code) return entry;
  }
  return kErrorCodes[0];
}

}  // namespace

std::string_view error_code_name(ErrorCode code) { return entry_for(code).name; }

int http_status_for(ErrorCode code) { return entry_for(code).http_status; }

std::optional<ErrorCode> parse_error_code(std::string_view name) {
  for (const auto& entry : kErrorCodes) {
    if (entry.name == name) return entry.code;
  }
  return std::nullopt;
}

MlflowException::MlflowException(ErrorCode code, const std::string& message)
    : std::runtime_error(message), error_code_(error_code_name(code)), http_status_(http_status_for(code)) {}

MlflowException::MlflowException(std::string error_code, int http_status, const std::string& message)
    : std::runtime_error(message), error_code_(std::move(error_code)), http_status_(http_status) {}

MlflowException invalid_parameter(const std::string& message) {
  return MlflowException(ErrorCode::kInvalidParameterValue, message);
}

MlflowException not_found(const std::string& message) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, message);
}

MlflowException already_exists(const std::string& message) {
  return MlflowException(ErrorCode::kResourceAlreadyExists, message);
}

}  // namespace mlflowcpp
