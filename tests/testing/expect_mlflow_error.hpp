#pragma once

// GoogleTest expectations for calls that must fail with an MLflow error.

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <string>

// Expects `statement` to throw MlflowException with error code `code_name`
// ("RESOURCE_DOES_NOT_EXIST", ...).
#define EXPECT_MLFLOW_ERROR(statement, code_name)                                                  \
  do {                                                                                             \
    try {                                                                                          \
      statement;                                                                                   \
      ADD_FAILURE() << "expected " << (code_name) << " from: " #statement;                         \
    } catch (const ::mlflowcpp::MlflowException& error) {                                          \
      EXPECT_EQ(error.error_code(), std::string(code_name)) << #statement << ": " << error.what(); \
    }                                                                                              \
  } while (false)

// Expects `statement` to throw INVALID_PARAMETER_VALUE, which clients see as a 400.
#define EXPECT_INVALID(statement)                                                                      \
  do {                                                                                                 \
    try {                                                                                              \
      statement;                                                                                       \
      ADD_FAILURE() << "expected INVALID_PARAMETER_VALUE from: " #statement;                           \
    } catch (const ::mlflowcpp::MlflowException& error) {                                              \
      EXPECT_EQ(error.error_code(), std::string("INVALID_PARAMETER_VALUE")) << #statement << ": "      \
                                                                             << error.what();          \
      EXPECT_EQ(error.http_status(), 400) << #statement;                                               \
    }                                                                                                  \
  } while (false)

namespace mlflowcpp::testing {

// The error code of the MlflowException `call` throws; a test failure (and
// kInternalError) when it throws none.
inline ErrorCode thrown_error_code(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& error) {
    return error.code().value_or(ErrorCode::kInternalError);
  }
  ADD_FAILURE() << "expected an MLflow error";
  return ErrorCode::kInternalError;
}

}  // namespace mlflowcpp::testing
