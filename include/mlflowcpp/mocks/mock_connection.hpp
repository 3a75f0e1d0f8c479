#pragma once

// A gMock Connection for testing code that uses MlflowClient without a server.
// Link the target mlflowcpp::mocks (installed when GoogleTest was found).
//
// @par Example
// @code
//   auto connection = std::make_shared<mlflowcpp::mocks::MockConnection>();
//   EXPECT_CALL(*connection, send(::testing::Field(&mlflowcpp::HttpRequest::path, "/api/2.0/mlflow/runs/get")))
//       .WillOnce(::testing::Return(mlflowcpp::HttpResponse{200, R"({"run":{"info":{"run_id":"r"}}})", {}}));
//   mlflowcpp::MlflowClient client(connection);
//   code_under_test(client);
// @endcode

#include <mlflowcpp/connection.hpp>

#include <gmock/gmock.h>

namespace mlflowcpp::mocks {

class MockConnection : public Connection {
 public:
  MOCK_METHOD(HttpResponse, send, (const HttpRequest& request), (override));
  MOCK_METHOD(HttpResponse, send_with_files, (const HttpRequest& request, const FileTransfer& files), (override));
  MOCK_METHOD(const ResolvedClientOptions*, resolved_options, (), (const, override));
};

}  // namespace mlflowcpp::mocks
