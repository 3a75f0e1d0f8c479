// The resolver the route checks use, over real SQLite databases: runs and
// experiments by id and name, logged models, their 404s, and the upgrade hint
// of a database at MLflow 2.9's schema.

#include "server/auth/store_resource_resolver.hpp"
#include "server/store/logged_model_store.hpp"
#include "server/store/store_factory.hpp"
#include "server/store/tracking_store.hpp"
#include "testing/expect_mlflow_error.hpp"
#include "testing/temp_dir.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

namespace mlflowcpp::server::auth {
namespace {

using mlflowcpp::testing::thrown_error_code;

class StoreResourceResolverTest : public ::testing::Test {
 protected:
  BackendStores open(const std::string& database_to_copy = "") {
    const auto path = directory_ / "mlflow.db";
    if (!database_to_copy.empty()) std::filesystem::copy_file(database_to_copy, path);
    return open_backend_stores("sqlite:///" + path.string(), (directory_ / "artifacts").string());
  }

  mlflowcpp::testing::TempDir directory_{"mlflowcpp-resolver"};
};

TEST_F(StoreResourceResolverTest, FindsTheExperimentsOfRunsNamesAndLoggedModels) {
  BackendStores stores = open();
  StoreResourceResolver resolver(*stores.tracking, *stores.logged_models);
  const std::string experiment_id = stores.tracking->create_experiment("exp", "", {});
  CreateRunRequest run_request;
  run_request.experiment_id = experiment_id;
  const std::string run_id = stores.tracking->create_run(run_request).info.run_id;
  CreateLoggedModelRequest model_request;
  model_request.experiment_id = experiment_id;
  const std::string model_id = stores.logged_models->create_logged_model(model_request).info.model_id;

  EXPECT_EQ(resolver.experiment_of_run(run_id), experiment_id);
  EXPECT_EQ(stores.tracking->experiment_id_of_run(run_id), experiment_id);
  EXPECT_EQ(resolver.experiment_id_by_name("exp"), experiment_id);
  EXPECT_EQ(resolver.experiment_of_logged_model(model_id), experiment_id);
}

TEST_F(StoreResourceResolverTest, UnknownResourcesAre404s) {
  BackendStores stores = open();
  StoreResourceResolver resolver(*stores.tracking, *stores.logged_models);
  EXPECT_EQ(thrown_error_code([&] { resolver.experiment_of_run("0123456789abcdef0123456789abcdef"); }),
            ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { resolver.experiment_of_run(""); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { resolver.experiment_id_by_name("nope"); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { resolver.experiment_of_logged_model("m-0123456789abcdef0123456789abcdef"); }),
            ErrorCode::kResourceDoesNotExist);
}

TEST_F(StoreResourceResolverTest, LoggedModelsOnAnMlflow29DatabaseAnswerTheUpgradeHint) {
  BackendStores stores = open(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.sqlite");
  StoreResourceResolver resolver(*stores.tracking, *stores.logged_models);
  try {
    resolver.experiment_of_logged_model("m-0123456789abcdef0123456789abcdef");
    ADD_FAILURE() << "no error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.http_status(), 400);
    EXPECT_NE(std::string(error.what()).find("db upgrade"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace mlflowcpp::server::auth
