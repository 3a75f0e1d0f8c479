#pragma once

// A test fixture for start_run / ActiveRun against one real server per suite:
// StartRunOptions whose environment holds only the server's URI (no retries)
// and the variables a test names, and a client of that server.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "testing/server_process.hpp"

namespace mlflowcpp::integration {

class FluentServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  // Options whose environment holds only the tracking URI and `variables`.
  static StartRunOptions options(std::map<std::string, std::string> variables = {}) {
    variables["MLFLOW_TRACKING_URI"] = server_->base_url();
    variables["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0";
    StartRunOptions result;
    result.environment = [variables](const std::string& name) -> std::optional<std::string> {
      auto it = variables.find(name);
      if (it == variables.end()) return std::nullopt;
      return it->second;
    };
    return result;
  }

  static MlflowClient client() {
    ClientOptions options;
    options.tracking_uri = server_->base_url();
    return MlflowClient(options);
  }

  inline static std::unique_ptr<testing::ServerProcess> server_;
};

}  // namespace mlflowcpp::integration
