// The registry service's rules for registering MLflow 3 logged models
// (`model_id`, `models:/<model_id>` sources), over the real stores on a fresh
// SQLite database and on a copy of the 2.9.2 fixture.

#include "server/service/registry_service.hpp"

#include "http_test_server.hpp"
#include "server/store/schema_generation.hpp"
#include "server/store/store_factory.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>

namespace mlflowcpp::server {
namespace {

using http::testing::TempDirectory;

// The error code `call` throws, and its message.
std::pair<std::string, std::string> error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& error) {
    return {error.error_code(), error.what()};
  }
  return {"<no error>", ""};
}

class RegistryServiceOnLoggedModels : public ::testing::Test {
 protected:
  void SetUp() override {
    artifact_root_ = (directory_.path() / "artifacts").string();
    const std::string experiment_id = stores_.tracking->create_experiment("models", artifact_root_, {});
    CreateLoggedModelRequest request;
    request.experiment_id = experiment_id;
    request.name = "model";
    model_ = stores_.logged_models->create_logged_model(request);
    service_.create_registered_model("m", {}, "");
  }

  CreateModelVersionParams registering(const std::string& source, const std::string& model_id) {
    CreateModelVersionParams params;
    params.name = "m";
    params.source = source;
    params.model_id = model_id;
    return params;
  }

  TempDirectory directory_;
  BackendStores stores_ =
      open_backend_stores("sqlite:///" + (directory_.path() / "mlflow.db").string(), "mlflow-artifacts:/");
  RegistryService service_{*stores_.registry, ArtifactRoots::any()};
  std::string artifact_root_;
  LoggedModel model_;
};

TEST_F(RegistryServiceOnLoggedModels, LocalSourceMustLieInTheModelsArtifacts) {
  const std::string location = model_.info.artifact_uri;
  ASSERT_EQ(location.rfind(artifact_root_, 0), 0u) << location;
  const ModelVersion inside = service_.create_model_version(registering(location + "/model", model_.info.model_id));
  EXPECT_EQ(inside.version, "1");
  EXPECT_EQ(service_.get_model_version_download_uri("m", "1"), location + "/model");

  const auto outside =
      error_of([&] { service_.create_model_version(registering(artifact_root_, model_.info.model_id)); });
  EXPECT_EQ(outside.first, "INVALID_PARAMETER_VALUE");
  EXPECT_NE(outside.second.find("model_id"), std::string::npos) << outside.second;
  EXPECT_EQ(error_of([&] {
              service_.create_model_version(registering(location, "m-00000000000000000000000000000000"));
            }).first,
            "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(RegistryServiceOnLoggedModels, OtherSourcesKeepTheRelativePathRule) {
  EXPECT_EQ(
      error_of([&] { service_.create_model_version(registering("s3://bucket/a/../b", model_.info.model_id)); }).first,
      "INVALID_PARAMETER_VALUE");
  const ModelVersion created =
      service_.create_model_version(registering("models:/" + model_.info.model_id, model_.info.model_id));
  EXPECT_EQ(service_.get_model_version_download_uri("m", created.version), model_.info.artifact_uri);
  EXPECT_EQ(stores_.logged_models->get_logged_model(model_.info.model_id).info.tags.at(0).value,
            R"([{"name": "m", "version": 1}])");
}

TEST_F(RegistryServiceOnLoggedModels, ModelsUriErrorsAreClientErrors) {
  EXPECT_EQ(error_of([&] { service_.create_model_version(registering("models:/m-missing", "")); }).first,
            "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(error_of([&] { service_.create_model_version(registering("models:/", "")); }).first,
            "INVALID_PARAMETER_VALUE");
}

TEST(RegistryServiceOnMlflow29, LoggedModelRegistrationAsksForTheUpgrade) {
  TempDirectory directory;
  const auto copy = directory.path() / "mlflow.db";
  std::filesystem::copy_file(std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.sqlite", copy);
  BackendStores stores = open_backend_stores("sqlite:///" + copy.string(), "mlflow-artifacts:/");
  RegistryService service(*stores.registry, ArtifactRoots::any());
  for (const auto& [source, model_id] :
       std::vector<std::pair<std::string, std::string>>{{"models:/m-56cbf5817a4f40f08034bff98bf7df02", ""},
                                                        {"s3://bucket/model", "m-56cbf5817a4f40f08034bff98bf7df02"},
                                                        {"/tmp/local/model", "m-56cbf5817a4f40f08034bff98bf7df02"}}) {
    CreateModelVersionParams params;
    params.name = "fixture-classifier";
    params.source = source;
    params.model_id = model_id;
    const auto [code, message] = error_of([&] { service.create_model_version(params); });
    EXPECT_EQ(code, "INVALID_STATE") << source;
    EXPECT_NE(message.find(store::kUpgradeToMlflow3Hint), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace mlflowcpp::server
