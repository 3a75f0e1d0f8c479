// MlflowClient's model registry calls against the real `mlflowcpp server`:
// the whole life of a registered model and its versions, paging, and the
// errors a user mistake earns.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

class ClientRegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  static MlflowClient client() {
    return MlflowClient(server_->client_options());
  }

  // A run to register versions from, and the source inside its artifacts.
  static std::pair<std::string, std::string> new_run_and_source() {
    CreateRunRequest request;
    request.experiment_id = "0";
    mlflowcpp::Run run = client().create_run(request);
    return {run.info.run_id, run.info.artifact_uri + "/model"};
  }

  static ModelVersion register_version(const std::string& name) {
    auto [run_id, source] = new_run_and_source();
    CreateModelVersionRequest request;
    request.name = name;
    request.source = source;
    request.run_id = run_id;
    return client().create_model_version(request);
  }

  // The error code a call fails with (nullopt for a code this library does not name).
  static std::optional<ErrorCode> error_of(const std::function<void()>& call) {
    try {
      call();
    } catch (const MlflowException& error) {
      return error.code();
    }
    ADD_FAILURE() << "the call succeeded";
    return std::nullopt;
  }

  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> ClientRegistryTest::server_;

TEST_F(ClientRegistryTest, RegisteredModelLifecycle) {
  MlflowClient mlflow = client();
  RegisteredModel created = mlflow.create_registered_model("lifecycle", {{"team", "risk"}}, "first words");
  EXPECT_EQ(created.name, "lifecycle");
  EXPECT_TRUE(created.creation_timestamp.has_value());
  EXPECT_EQ(created.description, std::optional<std::string>("first words"));
  ASSERT_EQ(created.tags.size(), 1u);

  EXPECT_EQ(error_of([&] { mlflow.create_registered_model("lifecycle"); }), ErrorCode::kResourceAlreadyExists);

  RegisteredModel updated = mlflow.update_registered_model("lifecycle", "second words");
  EXPECT_EQ(updated.description, std::optional<std::string>("second words"));

  mlflow.set_registered_model_tag("lifecycle", "stage", "beta");
  mlflow.delete_registered_model_tag("lifecycle", "team");
  mlflow.delete_registered_model_tag("lifecycle", "never-set");  // not an error
  RegisteredModel fetched = mlflow.get_registered_model("lifecycle");
  ASSERT_EQ(fetched.tags.size(), 1u);
  EXPECT_EQ(fetched.tags[0].key, "stage");

  ModelVersion version = register_version("lifecycle");
  RegisteredModel renamed = mlflow.rename_registered_model("lifecycle", "lifecycle-renamed");
  EXPECT_EQ(renamed.name, "lifecycle-renamed");
  EXPECT_EQ(mlflow.get_model_version("lifecycle-renamed", version.version).name, "lifecycle-renamed");
  EXPECT_EQ(error_of([&] { mlflow.get_registered_model("lifecycle"); }), ErrorCode::kResourceDoesNotExist);

  mlflow.delete_registered_model("lifecycle-renamed");
  EXPECT_EQ(error_of([&] { mlflow.get_registered_model("lifecycle-renamed"); }), ErrorCode::kResourceDoesNotExist);
}

TEST_F(ClientRegistryTest, ModelVersionLifecycle) {
  MlflowClient mlflow = client();
  mlflow.create_registered_model("versions");
  ModelVersion first = register_version("versions");
  ModelVersion second = register_version("versions");
  EXPECT_EQ(first.version, "1");
  EXPECT_EQ(second.version, "2");
  EXPECT_EQ(first.status, ModelVersionStatus::kReady);
  EXPECT_EQ(first.current_stage, std::optional<std::string>(kModelStageNone));
  EXPECT_TRUE(first.run_id.has_value());

  ModelVersion described = mlflow.update_model_version("versions", "1", std::string("the first"));
  EXPECT_EQ(described.description, std::optional<std::string>("the first"));

  mlflow.set_model_version_tag("versions", "1", "validated", "yes");
  mlflow.set_model_version_tag("versions", "1", "temporary", "x");
  mlflow.delete_model_version_tag("versions", "1", "temporary");
  ModelVersion tagged = mlflow.get_model_version("versions", "1");
  ASSERT_EQ(tagged.tags.size(), 1u);
  EXPECT_EQ(tagged.tags[0].key, "validated");

  // Stage names in any case; archive_existing_versions moves the old one out.
  ModelVersion production = mlflow.transition_model_version_stage("versions", "1", "production");
  EXPECT_EQ(production.current_stage, std::optional<std::string>(kModelStageProduction));
  mlflow.transition_model_version_stage("versions", "2", "Production", true);
  EXPECT_EQ(mlflow.get_model_version("versions", "1").current_stage,
            std::optional<std::string>(kModelStageArchived));
  std::vector<ModelVersion> latest = mlflow.get_latest_versions("versions", {"production"});
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].version, "2");
  EXPECT_EQ(mlflow.get_latest_versions("versions").size(), 2u);  // Archived and Production
  EXPECT_EQ(error_of([&] { mlflow.transition_model_version_stage("versions", "1", "Shipping"); }),
            ErrorCode::kInvalidParameterValue);

  EXPECT_EQ(mlflow.get_model_version_download_uri("versions", "2"), *second.source);

  // Deleted numbers are not reused.
  mlflow.delete_model_version("versions", "2");
  EXPECT_EQ(error_of([&] { mlflow.get_model_version("versions", "2"); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(register_version("versions").version, "3");

  EXPECT_EQ(error_of([&] { mlflow.get_model_version("versions", "one"); }), ErrorCode::kInvalidParameterValue);
}

TEST_F(ClientRegistryTest, Aliases) {
  MlflowClient mlflow = client();
  mlflow.create_registered_model("aliased");
  register_version("aliased");
  register_version("aliased");
  mlflow.set_registered_model_alias("aliased", "champion", "1");
  EXPECT_EQ(mlflow.get_model_version_by_alias("aliased", "champion").version, "1");
  mlflow.set_registered_model_alias("aliased", "champion", "2");  // moves
  ModelVersion champion = mlflow.get_model_version_by_alias("aliased", "champion");
  EXPECT_EQ(champion.version, "2");
  EXPECT_EQ(champion.aliases, std::vector<std::string>{"champion"});
  RegisteredModel model = mlflow.get_registered_model("aliased");
  ASSERT_EQ(model.aliases.size(), 1u);
  EXPECT_EQ(model.aliases[0].version, "2");

  EXPECT_EQ(error_of([&] { mlflow.set_registered_model_alias("aliased", "latest", "1"); }),
            ErrorCode::kInvalidParameterValue);
  mlflow.delete_registered_model_alias("aliased", "champion");
  EXPECT_TRUE(mlflow.get_registered_model("aliased").aliases.empty());
}

TEST_F(ClientRegistryTest, SearchesWalkEveryPage) {
  MlflowClient mlflow = client();
  for (int i = 0; i < 7; ++i) mlflow.create_registered_model("paged-" + std::to_string(i));
  for (int i = 0; i < 5; ++i) register_version("paged-0");

  SearchRegisteredModelsRequest models_request;
  models_request.filter = "name LIKE 'paged-%'";
  models_request.order_by = {"name DESC"};
  models_request.max_results = 3;
  Page<RegisteredModel> first_page = mlflow.search_registered_models(models_request);
  EXPECT_EQ(first_page.items.size(), 3u);
  EXPECT_FALSE(first_page.next_page_token.empty());
  std::vector<RegisteredModel> models = mlflow.search_all_registered_models(models_request);
  ASSERT_EQ(models.size(), 7u);
  EXPECT_EQ(models.front().name, "paged-6");
  EXPECT_EQ(models.back().name, "paged-0");

  SearchModelVersionsRequest versions_request;
  versions_request.filter = "name = 'paged-0'";
  versions_request.max_results = 2;
  std::vector<ModelVersion> versions = mlflow.search_all_model_versions(versions_request);
  std::set<std::string> numbers;
  for (const auto& version : versions) numbers.insert(version.version);
  EXPECT_EQ(numbers, (std::set<std::string>{"1", "2", "3", "4", "5"}));

  models_request.filter = "name LIKE";
  EXPECT_EQ(error_of([&] { mlflow.search_registered_models(models_request); }), ErrorCode::kInvalidParameterValue);
}

TEST_F(ClientRegistryTest, ModelUrisResolveToDownloadLocations) {
  MlflowClient mlflow = client();
  mlflow.create_registered_model("resolved");
  ModelVersion first = register_version("resolved");
  ModelVersion second = register_version("resolved");
  ModelVersion third = register_version("resolved");
  mlflow.transition_model_version_stage("resolved", "1", "Production");
  mlflow.transition_model_version_stage("resolved", "2", "Staging");
  mlflow.set_registered_model_alias("resolved", "champion", "2");

  EXPECT_EQ(mlflow.resolve_model_uri("models:/resolved/1"), *first.source);
  EXPECT_EQ(mlflow.resolve_model_uri("models:/resolved/production"), *first.source);
  EXPECT_EQ(mlflow.resolve_model_uri("models:/resolved/Staging"), *second.source);
  EXPECT_EQ(mlflow.resolve_model_uri("models:/resolved/latest"), *third.source);
  EXPECT_EQ(mlflow.resolve_model_uri("models:/resolved@champion"), *second.source);

  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/resolved/Archived"); }),
            ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/resolved/9"); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/no-such-model/latest"); }),
            ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/resolved/Shipping"); }),
            ErrorCode::kInvalidParameterValue);
  // A missing alias is a bad parameter for MLflow 2.9 servers, not a missing resource.
  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/resolved@nobody"); }),
            ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(error_of([&] { mlflow.resolve_model_uri("models:/resolved"); }), ErrorCode::kInvalidParameterValue);
}

}  // namespace
}  // namespace mlflowcpp::integration
