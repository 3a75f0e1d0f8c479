#pragma once

#include <mlflowcpp/export.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mlflowcpp {

// The MLflow error codes that travel on the wire as `error_code` (by name).
enum class ErrorCode {
  kInternalError,
  kInvalidParameterValue,
  kBadRequest,
  kMalformedRequest,
  kResourceAlreadyExists,
  kResourceDoesNotExist,
  kNotFound,
  kEndpointNotFound,
  kInvalidState,
  kUnauthenticated,
  kPermissionDenied,
  kAborted,
  kAlreadyExists,
  kResourceConflict,
  kResourceExhausted,
  kRequestLimitExceeded,
  kCancelled,
  kDataLoss,
  kNotImplemented,
  kTemporarilyUnavailable,
  kDeadlineExceeded,
};

// "INVALID_PARAMETER_VALUE" and so on.
MLFLOWCPP_EXPORT std::string_view error_code_name(ErrorCode code);
MLFLOWCPP_EXPORT std::optional<ErrorCode> parse_error_code(std::string_view name);
// The HTTP status the official server sends for the code (unmapped codes give 500).
MLFLOWCPP_EXPORT int http_status_for(ErrorCode code);

// Every failure the library or the server reports: the MLflow error code (as its
// wire name, so codes unknown to us survive), the HTTP status and a message.
class MLFLOWCPP_EXPORT MlflowException : public std::runtime_error {
 public:
  MlflowException(ErrorCode code, const std::string& message);
  MlflowException(std::string error_code, int http_status, const std::string& message);

  const std::string& error_code() const noexcept { return error_code_; }
  int http_status() const noexcept { return http_status_; }
  // The code as our enum when we know it.
  std::optional<ErrorCode> code() const { return parse_error_code(error_code_); }

 private:
  std::string error_code_;
  int http_status_;
};

// Shorthands for the errors every layer raises.
MLFLOWCPP_EXPORT MlflowException invalid_parameter(const std::string& message);
MLFLOWCPP_EXPORT MlflowException not_found(const std::string& message);
MLFLOWCPP_EXPORT MlflowException already_exists(const std::string& message);

}  // namespace mlflowcpp
