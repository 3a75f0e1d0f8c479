// The model registry endpoints of the real server: every call, its error
// cases, the alias and stage life cycles, cascading deletes, source
// validation, search and paging, and the fixture answers of the official
// 2.9.2 server.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "integration/tracking_api.hpp"
#include "testing/json_compare.hpp"
#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::query_string;
using testing::url_encode;

// JSON calls with the method each registry endpoint takes.
class RegistryCalls {
 public:
  explicit RegistryCalls(HttpClient http) : http_(std::move(http)) {}

  HttpResponse get(const std::string& endpoint, const std::vector<std::pair<std::string, std::string>>& query) {
    return http_.get(kApi + "/" + endpoint + "?" + query_string(query));
  }
  HttpResponse post(const std::string& endpoint, const Json& body) { return http_.post(kApi + "/" + endpoint, body); }
  HttpResponse patch(const std::string& endpoint, const Json& body) {
    return http_.request("PATCH", kApi + "/" + endpoint, body.dump(), "application/json");
  }
  HttpResponse del(const std::string& endpoint, const Json& body) {
    return http_.request("DELETE", kApi + "/" + endpoint, body.dump(), "application/json");
  }
  HttpClient& http() { return http_; }

  // Setup helpers that assert success.
  Json create_model(const std::string& name, Json extra = Json::object()) {
    extra["name"] = name;
    auto response = post("registered-models/create", extra);
    EXPECT_TRUE(IsOk(response)) << "creating model " << name;
    return response.json.value("registered_model", Json::object());
  }
  Json create_version(const std::string& name, const std::string& source = "s3://bucket/path/model",
                      Json extra = Json::object()) {
    extra["name"] = name;
    extra["source"] = source;
    auto response = post("model-versions/create", extra);
    EXPECT_TRUE(IsOk(response)) << "creating a version of " << name;
    return response.json.value("model_version", Json::object());
  }
  Json get_model(const std::string& name) {
    auto response = get("registered-models/get", {{"name", name}});
    EXPECT_TRUE(IsOk(response)) << "getting model " << name;
    return response.json.value("registered_model", Json::object());
  }
  Json get_version(const std::string& name, const std::string& version) {
    auto response = get("model-versions/get", {{"name", name}, {"version", version}});
    EXPECT_TRUE(IsOk(response)) << "getting version " << name << "/" << version;
    return response.json.value("model_version", Json::object());
  }

 private:
  HttpClient http_;
};

class Registry : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::ServerProcess>(); }
  static void TearDownTestSuite() { server_.reset(); }

  RegistryCalls calls_{server_->client()};
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::ServerProcess> Registry::server_;

// ---------------------------------------------------------------------------
// Registered models

TEST_F(Registry, RegisteredModelCreateGetUpdateRenameDelete) {
  const Json created = calls_.create_model("rm-crud", {{"tags", {{{"key", "team"}, {"value", "cv"}}}}});
  EXPECT_EQ(created.value("name", ""), "rm-crud");
  EXPECT_TRUE(created["creation_timestamp"].is_number_integer());
  EXPECT_EQ(created["creation_timestamp"], created["last_updated_timestamp"]);
  EXPECT_FALSE(created.contains("description")) << "an empty description is left out";
  EXPECT_FALSE(created.contains("latest_versions"));
  EXPECT_EQ(created["tags"], Json::parse(R"([{"key": "team", "value": "cv"}])"));

  EXPECT_TRUE(IsError(calls_.post("registered-models/create", {{"name", "rm-crud"}}), 400, "RESOURCE_ALREADY_EXISTS"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/create", Json::object()), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.get("registered-models/get", {{"name", "rm-none"}}), 404, "RESOURCE_DOES_NOT_EXIST"));

  auto updated = calls_.patch("registered-models/update", {{"name", "rm-crud"}, {"description", "about it"}});
  ASSERT_TRUE(IsOk(updated));
  EXPECT_EQ(updated.json["registered_model"].value("description", ""), "about it");
  EXPECT_TRUE(IsError(calls_.patch("registered-models/update", {{"name", "rm-none"}, {"description", "x"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));

  calls_.create_model("rm-crud-taken");
  EXPECT_TRUE(IsError(calls_.post("registered-models/rename", {{"name", "rm-crud"}, {"new_name", "rm-crud-taken"}}),
                      400, "RESOURCE_ALREADY_EXISTS"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/rename", {{"name", "rm-none"}, {"new_name", "x"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/rename", {{"name", "rm-crud"}}), 400, "INVALID_PARAMETER_VALUE"));
  auto renamed = calls_.post("registered-models/rename", {{"name", "rm-crud"}, {"new_name", "rm-crud-2"}});
  ASSERT_TRUE(IsOk(renamed));
  EXPECT_EQ(renamed.json["registered_model"].value("name", ""), "rm-crud-2");
  EXPECT_EQ(renamed.json["registered_model"].value("description", ""), "about it");
  EXPECT_TRUE(IsError(calls_.get("registered-models/get", {{"name", "rm-crud"}}), 404, "RESOURCE_DOES_NOT_EXIST"));

  EXPECT_TRUE(IsOk(calls_.del("registered-models/delete", {{"name", "rm-crud-2"}})));
  EXPECT_TRUE(IsError(calls_.get("registered-models/get", {{"name", "rm-crud-2"}}), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.del("registered-models/delete", {{"name", "rm-crud-2"}}), 404, "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(Registry, MethodsAreCheckedPerEndpoint) {
  calls_.create_model("methods");
  EXPECT_EQ(calls_.post("registered-models/update", {{"name", "methods"}}).status, 405);
  EXPECT_EQ(calls_.post("registered-models/delete", {{"name", "methods"}}).status, 405);
  EXPECT_EQ(calls_.post("registered-models/get", {{"name", "methods"}}).status, 405);
  EXPECT_EQ(calls_.post("model-versions/update", {{"name", "methods"}, {"version", "1"}}).status, 405);
  EXPECT_EQ(calls_.post("model-versions/get", {{"name", "methods"}, {"version", "1"}}).status, 405);
  EXPECT_TRUE(IsOk(calls_.post("registered-models/get-latest-versions", {{"name", "methods"}})));
  EXPECT_TRUE(IsOk(calls_.get("registered-models/get-latest-versions", {{"name", "methods"}})));
  // The ajax-api mirror answers the same.
  auto ajax = calls_.http().get(kAjax + "/registered-models/get?name=methods");
  ASSERT_TRUE(IsOk(ajax));
  EXPECT_EQ(ajax.json["registered_model"].value("name", ""), "methods");
  // Wrong content type on a POST.
  auto plain = calls_.http().request("POST", kApi + "/registered-models/create", R"({"name": "x"})", "text/plain");
  EXPECT_TRUE(IsError(plain, 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(Registry, ValuesTooLongForTheirColumnsAre400) {
  EXPECT_TRUE(IsError(calls_.post("registered-models/create", {{"name", std::string(257, 'n')}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsOk(calls_.post("registered-models/create", {{"name", std::string(256, 'n')}})));
  EXPECT_TRUE(
      IsError(calls_.post("registered-models/create", {{"name", "long-desc"}, {"description", std::string(5001, 'd')}}),
              400, "INVALID_PARAMETER_VALUE"));
  calls_.create_model("long-values");
  EXPECT_TRUE(IsError(calls_.post("registered-models/set-tag",
                                  {{"name", "long-values"}, {"key", "k"}, {"value", std::string(5001, 'v')}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/set-tag",
                                  {{"name", "long-values"}, {"key", std::string(251, 'k')}, {"value", "v"}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(
      IsOk(calls_.post("registered-models/set-tag",
                       {{"name", "long-values"}, {"key", std::string(250, 'k')}, {"value", std::string(5000, 'v')}})));
  EXPECT_TRUE(IsError(
      calls_.post("model-versions/create", {{"name", "long-values"}, {"source", "s3://b/" + std::string(500, 's')}}),
      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.post("model-versions/create",
                                  {{"name", "long-values"}, {"source", "s3://b/m"}, {"run_id", std::string(33, 'a')}}),
                      400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(Registry, RegisteredModelTags) {
  calls_.create_model("rm-tags");
  EXPECT_TRUE(IsOk(calls_.post("registered-models/set-tag", {{"name", "rm-tags"}, {"key", "a"}, {"value", "1"}})));
  EXPECT_TRUE(IsOk(calls_.post("registered-models/set-tag", {{"name", "rm-tags"}, {"key", "a"}, {"value", "2"}})));
  EXPECT_EQ(calls_.get_model("rm-tags")["tags"], Json::parse(R"([{"key": "a", "value": "2"}])"));
  EXPECT_TRUE(IsOk(calls_.del("registered-models/delete-tag", {{"name", "rm-tags"}, {"key", "a"}})));
  EXPECT_TRUE(IsOk(calls_.del("registered-models/delete-tag", {{"name", "rm-tags"}, {"key", "a"}})))
      << "deleting an absent tag is a 200";
  EXPECT_FALSE(calls_.get_model("rm-tags").contains("tags"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/set-tag", {{"name", "rm-none"}, {"key", "a"}, {"value", "1"}}),
                      404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.del("registered-models/delete-tag", {{"name", "rm-none"}, {"key", "a"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/set-tag", {{"name", "rm-tags"}, {"value", "1"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
}

// ---------------------------------------------------------------------------
// Model versions

TEST_F(Registry, ModelVersionCreateGetUpdateDelete) {
  calls_.create_model("mv-crud");
  const Json created =
      calls_.create_version("mv-crud", "mlflow-artifacts:/0/abc/artifacts/model",
                            {{"run_id", "abc"}, {"description", "first"}, {"tags", {{{"key", "k"}, {"value", "v"}}}}});
  EXPECT_EQ(created.value("version", ""), "1");
  EXPECT_EQ(created.value("current_stage", ""), "None");
  EXPECT_EQ(created.value("status", ""), "READY");
  EXPECT_EQ(created.value("source", ""), "mlflow-artifacts:/0/abc/artifacts/model");
  EXPECT_EQ(created.value("run_id", ""), "abc");
  ASSERT_TRUE(created.contains("run_link")) << "an empty run_link is sent as \"\"";
  EXPECT_EQ(created["run_link"], "");
  EXPECT_EQ(created.value("description", ""), "first");
  EXPECT_FALSE(created.contains("aliases"));
  EXPECT_EQ(created["tags"], Json::parse(R"([{"key": "k", "value": "v"}])"));
  EXPECT_TRUE(created["creation_timestamp"].is_number_integer());

  const Json bare = calls_.create_version("mv-crud");
  EXPECT_EQ(bare.value("version", ""), "2");
  EXPECT_EQ(bare["run_id"], "");
  EXPECT_EQ(bare["description"], "");

  EXPECT_EQ(calls_.get_version("mv-crud", "1")["description"], "first");
  EXPECT_TRUE(IsError(calls_.get("model-versions/get", {{"name", "mv-crud"}, {"version", "9"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.get("model-versions/get", {{"name", "mv-crud"}, {"version", "one"}}), 400,
                      "INVALID_PARAMETER_VALUE"));

  auto updated = calls_.patch("model-versions/update", {{"name", "mv-crud"}, {"version", "1"}, {"description", "new"}});
  ASSERT_TRUE(IsOk(updated));
  EXPECT_EQ(updated.json["model_version"]["description"], "new");
  EXPECT_TRUE(IsError(calls_.patch("model-versions/update", {{"name", "mv-crud"}, {"version", "7"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));

  auto uri = calls_.get("model-versions/get-download-uri", {{"name", "mv-crud"}, {"version", "1"}});
  ASSERT_TRUE(IsOk(uri));
  EXPECT_EQ(uri.json, Json::parse(R"({"artifact_uri": "mlflow-artifacts:/0/abc/artifacts/model"})"));
  EXPECT_TRUE(IsError(calls_.get("model-versions/get-download-uri", {{"name", "mv-crud"}, {"version", "9"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));

  EXPECT_TRUE(IsOk(calls_.del("model-versions/delete", {{"name", "mv-crud"}, {"version", "2"}})));
  EXPECT_TRUE(IsError(calls_.get("model-versions/get", {{"name", "mv-crud"}, {"version", "2"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.del("model-versions/delete", {{"name", "mv-crud"}, {"version", "2"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_EQ(calls_.create_version("mv-crud").value("version", ""), "3") << "version numbers are never reused";
  EXPECT_TRUE(IsError(calls_.post("model-versions/create", {{"name", "mv-none"}, {"source", "s3://b/m"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(calls_.post("model-versions/create", {{"name", "mv-crud"}}), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(Registry, ModelVersionTags) {
  calls_.create_model("mv-tags");
  calls_.create_version("mv-tags");
  const Json key{{"name", "mv-tags"}, {"version", "1"}, {"key", "a"}};
  Json set = key;
  set["value"] = "1";
  EXPECT_TRUE(IsOk(calls_.post("model-versions/set-tag", set)));
  EXPECT_EQ(calls_.get_version("mv-tags", "1")["tags"], Json::parse(R"([{"key": "a", "value": "1"}])"));
  EXPECT_TRUE(IsOk(calls_.del("model-versions/delete-tag", key)));
  EXPECT_TRUE(IsOk(calls_.del("model-versions/delete-tag", key)));
  EXPECT_FALSE(calls_.get_version("mv-tags", "1").contains("tags"));
  set["version"] = "5";
  EXPECT_TRUE(IsError(calls_.post("model-versions/set-tag", set), 404, "RESOURCE_DOES_NOT_EXIST"));
  set["version"] = "x";
  EXPECT_TRUE(IsError(calls_.post("model-versions/set-tag", set), 400, "INVALID_PARAMETER_VALUE"));
  set["version"] = "1";
  set["value"] = std::string(5001, 'v');
  EXPECT_TRUE(IsError(calls_.post("model-versions/set-tag", set), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(Registry, SourceIsValidatedBeforeTheModelIsLookedUp) {
  const std::vector<std::string> invalid_sources = {"s3://x",
                                                    "s3://bucket/a/../b",
                                                    "s3://bucket/a/%2E%2E/b",
                                                    "s3://bucket/a%252F..%252Fb",
                                                    "/tmp/model",
                                                    "relative/model",
                                                    "file:///tmp/model",
                                                    "file://elsewhere/model",
                                                    "http://host/a/./b",
                                                    std::string("s3://b/a\0b", 10)};
  for (const std::string& source : invalid_sources) {
    SCOPED_TRACE(source);
    EXPECT_TRUE(IsError(calls_.post("model-versions/create", {{"name", "src-none"}, {"source", source}}), 400,
                        "INVALID_PARAMETER_VALUE"));
  }
  EXPECT_TRUE(IsError(calls_.post("model-versions/create", {{"name", "src-none"}, {"source", "s3://b/model"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  calls_.create_model("src");
  for (const std::string source : {"s3://bucket/model", "mlflow-artifacts:/1/abc/artifacts/model", "runs:/abc/model",
                                   "https://host/path/model", "gs://b/m/"}) {
    SCOPED_TRACE(source);
    EXPECT_TRUE(IsOk(calls_.post("model-versions/create", {{"name", "src"}, {"source", source}})));
  }
  // A local path with a run whose artifacts are not local: refused.
  TrackingApi tracking(calls_.http());
  const std::string run_id = tracking.create_run("0");
  EXPECT_TRUE(
      IsError(calls_.post("model-versions/create", {{"name", "src"}, {"source", "/tmp/model"}, {"run_id", run_id}}),
              400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(
      IsError(calls_.post("model-versions/create",
                          {{"name", "src"}, {"source", "/tmp/model"}, {"run_id", "0123456789abcdef0123456789abcdef"}}),
              404, "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(Registry, ModelsUriSourceDownloadsFromTheReferencedVersion) {
  calls_.create_model("models-uri-base");
  calls_.create_version("models-uri-base", "s3://bucket/base/model");
  calls_.create_model("models-uri-copy");
  const Json copy = calls_.create_version("models-uri-copy", "models:/models-uri-base/1");
  EXPECT_EQ(copy["source"], "models:/models-uri-base/1");
  auto uri = calls_.get("model-versions/get-download-uri", {{"name", "models-uri-copy"}, {"version", "1"}});
  ASSERT_TRUE(IsOk(uri));
  EXPECT_EQ(uri.json["artifact_uri"], "s3://bucket/base/model");
}

TEST_F(Registry, StageLifeCycle) {
  calls_.create_model("stages");
  for (int i = 0; i < 3; ++i) calls_.create_version("stages");
  const auto transition = [&](const std::string& version, const std::string& stage, bool archive) {
    return calls_.post(
        "model-versions/transition-stage",
        {{"name", "stages"}, {"version", version}, {"stage", stage}, {"archive_existing_versions", archive}});
  };
  auto moved = transition("1", "production", false);
  ASSERT_TRUE(IsOk(moved));
  EXPECT_EQ(moved.json["model_version"]["current_stage"], "Production") << "stages are case-insensitive";
  ASSERT_TRUE(IsOk(transition("2", "STAGING", false)));
  EXPECT_TRUE(IsError(transition("2", "Prod", false), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(transition("2", "Archived", true), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(transition("9", "Staging", false), 404, "RESOURCE_DOES_NOT_EXIST"));

  auto latest = calls_.get("registered-models/get-latest-versions", {{"name", "stages"}});
  ASSERT_TRUE(IsOk(latest));
  std::set<std::string> stages;
  for (const auto& version : latest.json["model_versions"]) stages.insert(version.value("current_stage", ""));
  EXPECT_EQ(stages, (std::set<std::string>{"None", "Production", "Staging"}));
  auto staging = calls_.post("registered-models/get-latest-versions", {{"name", "stages"}, {"stages", {"staging"}}});
  ASSERT_TRUE(IsOk(staging));
  ASSERT_EQ(staging.json["model_versions"].size(), 1u);
  EXPECT_EQ(staging.json["model_versions"][0]["version"], "2");
  EXPECT_TRUE(IsError(calls_.post("registered-models/get-latest-versions", {{"name", "stages"}, {"stages", {"bogus"}}}),
                      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.post("registered-models/get-latest-versions", {{"name", "stages-none"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));

  // Promote version 3 to Production, archiving version 1.
  ASSERT_TRUE(IsOk(transition("3", "Production", true)));
  EXPECT_EQ(calls_.get_version("stages", "1")["current_stage"], "Archived");
  EXPECT_EQ(calls_.get_version("stages", "2")["current_stage"], "Staging");
  const Json model = calls_.get_model("stages");
  std::map<std::string, std::string> latest_by_stage;
  for (const auto& version : model["latest_versions"]) latest_by_stage[version["current_stage"]] = version["version"];
  EXPECT_EQ(latest_by_stage,
            (std::map<std::string, std::string>{{"Archived", "1"}, {"Production", "3"}, {"Staging", "2"}}));
}

TEST_F(Registry, AliasLifeCycle) {
  calls_.create_model("aliases");
  calls_.create_version("aliases");
  calls_.create_version("aliases");
  const auto set_alias = [&](const std::string& alias, const std::string& version) {
    return calls_.post("registered-models/alias", {{"name", "aliases"}, {"alias", alias}, {"version", version}});
  };
  for (const std::string reserved : {"latest", "LATEST", "v1", "V12", "a b", "a.b"}) {
    SCOPED_TRACE(reserved);
    EXPECT_TRUE(IsError(set_alias(reserved, "1"), 400, "INVALID_PARAMETER_VALUE"));
  }
  EXPECT_TRUE(IsError(set_alias("champion", "9"), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsError(set_alias("champion", "x"), 400, "INVALID_PARAMETER_VALUE"));
  ASSERT_TRUE(IsOk(set_alias("champion", "1")));
  ASSERT_TRUE(IsOk(set_alias("challenger", "2")));

  auto by_alias = calls_.get("registered-models/alias", {{"name", "aliases"}, {"alias", "champion"}});
  ASSERT_TRUE(IsOk(by_alias));
  EXPECT_EQ(by_alias.json["model_version"]["version"], "1");
  EXPECT_EQ(by_alias.json["model_version"]["aliases"], Json::parse(R"(["champion"])"));
  EXPECT_EQ(calls_.get_version("aliases", "2")["aliases"], Json::parse(R"(["challenger"])"));
  EXPECT_EQ(calls_.get_model("aliases")["aliases"],
            Json::parse(R"([{"alias": "challenger", "version": "2"}, {"alias": "champion", "version": "1"}])"));

  ASSERT_TRUE(IsOk(set_alias("champion", "2")));  // moves
  EXPECT_EQ(calls_.get_version("aliases", "2")["aliases"], Json::parse(R"(["challenger", "champion"])"));
  EXPECT_FALSE(calls_.get_version("aliases", "1").contains("aliases"));

  // Deleting a version removes the aliases pointing at it.
  ASSERT_TRUE(IsOk(calls_.del("model-versions/delete", {{"name", "aliases"}, {"version", "2"}})));
  EXPECT_TRUE(IsError(calls_.get("registered-models/alias", {{"name", "aliases"}, {"alias", "champion"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_FALSE(calls_.get_model("aliases").contains("aliases"));

  ASSERT_TRUE(IsOk(set_alias("keep", "1")));
  EXPECT_TRUE(IsOk(calls_.del("registered-models/alias", {{"name", "aliases"}, {"alias", "keep"}})));
  EXPECT_TRUE(IsOk(calls_.del("registered-models/alias", {{"name", "aliases"}, {"alias", "keep"}})));
  EXPECT_TRUE(IsError(calls_.get("registered-models/alias", {{"name", "aliases"}, {"alias", "keep"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.del("registered-models/alias", {{"name", "aliases-none"}, {"alias", "keep"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
}

TEST_F(Registry, DeletingAModelDeletesItsVersionsAliasesAndTags) {
  calls_.create_model("cascade", {{"tags", {{{"key", "k"}, {"value", "v"}}}}});
  calls_.create_version("cascade", "s3://bucket/cascade/1", {{"tags", {{{"key", "vk"}, {"value", "vv"}}}}});
  calls_.create_version("cascade", "s3://bucket/cascade/2");
  ASSERT_TRUE(IsOk(calls_.post("registered-models/alias", {{"name", "cascade"}, {"alias", "a"}, {"version", "1"}})));
  ASSERT_TRUE(IsOk(calls_.del("registered-models/delete", {{"name", "cascade"}})));

  EXPECT_TRUE(IsError(calls_.get("model-versions/get", {{"name", "cascade"}, {"version", "1"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
  auto versions = calls_.get("model-versions/search", {{"filter", "name = 'cascade'"}});
  ASSERT_TRUE(IsOk(versions));
  EXPECT_EQ(versions.json, Json::object());
  // The same name again starts from nothing: no tags, no aliases, version 1.
  const Json again = calls_.create_model("cascade");
  EXPECT_FALSE(again.contains("tags"));
  EXPECT_EQ(calls_.create_version("cascade").value("version", ""), "1");
  EXPECT_FALSE(calls_.get_version("cascade", "1").contains("tags"));
  EXPECT_FALSE(calls_.get_model("cascade").contains("aliases"));
}

TEST_F(Registry, RenameCarriesVersionsAlong) {
  calls_.create_model("before-rename");
  calls_.create_version("before-rename");
  ASSERT_TRUE(
      IsOk(calls_.post("registered-models/alias", {{"name", "before-rename"}, {"alias", "a"}, {"version", "1"}})));
  ASSERT_TRUE(IsOk(calls_.post("registered-models/rename", {{"name", "before-rename"}, {"new_name", "after-rename"}})));
  EXPECT_EQ(calls_.get_version("after-rename", "1")["name"], "after-rename");
  EXPECT_EQ(calls_.get_version("after-rename", "1")["aliases"], Json::parse(R"(["a"])"));
  EXPECT_TRUE(IsError(calls_.get("model-versions/get", {{"name", "before-rename"}, {"version", "1"}}), 404,
                      "RESOURCE_DOES_NOT_EXIST"));
}

// ---------------------------------------------------------------------------
// Search

TEST_F(Registry, SearchFiltersAndOrder) {
  calls_.create_model("search-Alpha", {{"tags", {{{"key", "team"}, {"value", "cv"}}}}});
  calls_.create_model("search-alpha-2", {{"tags", {{{"key", "team"}, {"value", "nlp"}}}}});
  calls_.create_model("search-beta");
  calls_.create_version("search-beta", "s3://search/one", {{"run_id", "r1"}});
  calls_.create_version("search-beta", "s3://search/two", {{"run_id", "r2"}});
  const auto model_names = [&](const std::vector<std::pair<std::string, std::string>>& query) {
    std::vector<std::string> names;
    auto response = calls_.get("registered-models/search", query);
    EXPECT_TRUE(IsOk(response));
    for (const auto& model : response.json.value("registered_models", Json::array())) names.push_back(model["name"]);
    return names;
  };
  EXPECT_EQ(model_names({{"filter", "name LIKE 'search-alpha%'"}}), (std::vector<std::string>{"search-alpha-2"}));
  EXPECT_EQ(model_names({{"filter", "name ILIKE 'search-alpha%'"}}),
            (std::vector<std::string>{"search-Alpha", "search-alpha-2"}));
  EXPECT_EQ(model_names({{"filter", "tags.team = 'cv'"}}), (std::vector<std::string>{"search-Alpha"}));
  EXPECT_EQ(model_names({{"filter", "name LIKE 'search-%'"}, {"order_by", "name DESC"}}),
            (std::vector<std::string>{"search-beta", "search-alpha-2", "search-Alpha"}));
  EXPECT_TRUE(
      IsError(calls_.get("registered-models/search", {{"filter", "nonsense = 'x'"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(
      IsError(calls_.get("registered-models/search", {{"max_results", "1001"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls_.get("registered-models/search", {{"order_by", "bogus"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(
      IsError(calls_.get("registered-models/search", {{"page_token", "not-a-token"}}), 400, "INVALID_PARAMETER_VALUE"));
  EXPECT_EQ(calls_.post("registered-models/search", Json::object()).status, 405);

  const auto version_keys = [&](const std::vector<std::pair<std::string, std::string>>& query) {
    std::vector<std::string> keys;
    auto response = calls_.get("model-versions/search", query);
    EXPECT_TRUE(IsOk(response));
    for (const auto& version : response.json.value("model_versions", Json::array())) {
      keys.push_back(version["name"].get<std::string>() + "/" + version["version"].get<std::string>());
      EXPECT_FALSE(version.contains("aliases"));
    }
    return keys;
  };
  EXPECT_EQ(version_keys({{"filter", "name = 'search-beta'"}}),
            (std::vector<std::string>{"search-beta/2", "search-beta/1"}));
  EXPECT_EQ(version_keys({{"filter", "run_id = 'r1'"}}), (std::vector<std::string>{"search-beta/1"}));
  EXPECT_EQ(version_keys({{"filter", "run_id IN ('r1', 'r2')"}, {"order_by", "version_number ASC"}}),
            (std::vector<std::string>{"search-beta/1", "search-beta/2"}));
  EXPECT_EQ(version_keys({{"filter", "source_path = 's3://search/two'"}}), (std::vector<std::string>{"search-beta/2"}));
  EXPECT_TRUE(IsError(calls_.get("model-versions/search", {{"filter", "run_id NOT IN ('r1')"}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(
      IsError(calls_.get("model-versions/search", {{"max_results", "200001"}}), 400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(Registry, SearchPagesAcross250Models) {
  for (int i = 0; i < 250; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "page-%03d", i);
    ASSERT_TRUE(IsOk(calls_.post("registered-models/create", {{"name", name}})));
  }
  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  std::string token;
  do {
    std::vector<std::pair<std::string, std::string>> query = {{"filter", "name LIKE 'page-%'"}, {"max_results", "100"}};
    if (!token.empty()) query.emplace_back("page_token", token);
    auto page = calls_.get("registered-models/search", query);
    ASSERT_TRUE(IsOk(page));
    const Json models = page.json.value("registered_models", Json::array());
    page_sizes.push_back(models.size());
    for (const auto& model : models) seen.push_back(model["name"]);
    token = page.json.value("next_page_token", "");
    ASSERT_LE(page_sizes.size(), 5u) << "paging does not end";
  } while (!token.empty());
  EXPECT_EQ(page_sizes, (std::vector<size_t>{100, 100, 50}));
  ASSERT_EQ(seen.size(), 250u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 250u);

  auto zero = calls_.get("registered-models/search", {{"filter", "name LIKE 'page-%'"}, {"max_results", "0"}});
  ASSERT_TRUE(IsOk(zero));
  EXPECT_FALSE(zero.json.contains("registered_models"));
  EXPECT_TRUE(zero.json.contains("next_page_token")) << "max_results=0 answers a token and no models";
}

TEST_F(Registry, GetArtifactServesTheVersionsFiles) {
  TrackingApi tracking(calls_.http());
  const Json run = tracking.create_run_json(tracking.create_experiment("get-artifact"));
  const std::string artifact_uri = run["run"]["info"].value("artifact_uri", "");
  ASSERT_EQ(artifact_uri.rfind("mlflow-artifacts:/", 0), 0u) << artifact_uri;
  const std::string proxied = artifact_uri.substr(std::string("mlflow-artifacts:/").size());
  auto upload = calls_.http().request("PUT", "/api/2.0/mlflow-artifacts/artifacts/" + proxied + "/model/MLmodel",
                                      "flavors: {}\n", "application/octet-stream");
  ASSERT_EQ(upload.status, 200) << upload.describe();

  calls_.create_model("get-artifact-model");
  const Json version = calls_.create_version("get-artifact-model", artifact_uri + "/model");
  const std::string number = version.value("version", "");
  auto file = calls_.http().get("/model-versions/get-artifact?name=get-artifact-model&version=" + number +
                                "&path=MLmodel");
  EXPECT_EQ(file.status, 200) << file.describe();
  EXPECT_EQ(file.body, "flavors: {}\n");

  auto missing_file = calls_.http().get("/model-versions/get-artifact?name=get-artifact-model&version=" + number +
                                        "&path=absent.txt");
  EXPECT_TRUE(IsError(missing_file, 404, "RESOURCE_DOES_NOT_EXIST"));
  auto missing_model = calls_.http().get("/model-versions/get-artifact?name=absent-model&version=1&path=MLmodel");
  EXPECT_EQ(missing_model.status, 404) << missing_model.describe();
}

// ---------------------------------------------------------------------------
// Local sources, with a server whose runs keep their artifacts on local disk.

TEST(RegistryLocalSources, LocalPathInsideTheRunsArtifactsIsAccepted) {
  testing::TempDir work("mlflowcpp-registry-local");
  const auto artifact_root = work.path() / "artifacts";
  std::filesystem::create_directories(artifact_root);
  testing::ServerOptions options;
  options.work_dir = work.path();
  options.extra_args = {"--default-artifact-root", artifact_root.string()};
  testing::ServerProcess server(options);
  RegistryCalls calls(server.client());
  TrackingApi tracking(calls.http());

  const std::string experiment = tracking.create_experiment("local-sources");
  const Json run = tracking.create_run_json(experiment);
  const std::string run_id = run["run"]["info"].value("run_id", "");
  const std::string artifact_uri = run["run"]["info"].value("artifact_uri", "");
  ASSERT_FALSE(run_id.empty());
  ASSERT_EQ(artifact_uri.rfind(artifact_root.string(), 0), 0u) << artifact_uri;
  calls.create_model("local");

  auto inside =
      calls.post("model-versions/create", {{"name", "local"}, {"source", artifact_uri + "/model"}, {"run_id", run_id}});
  EXPECT_TRUE(IsOk(inside));
  auto as_file_uri =
      calls.post("model-versions/create",
                 {{"name", "local"}, {"source", "file://" + artifact_uri + "/model"}, {"run_id", run_id}});
  EXPECT_TRUE(IsOk(as_file_uri));
  EXPECT_TRUE(
      IsError(calls.post("model-versions/create",
                         {{"name", "local"}, {"source", artifact_uri + "/../../elsewhere"}, {"run_id", run_id}}),
              400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(
      calls.post("model-versions/create", {{"name", "local"}, {"source", work.path().string()}, {"run_id", run_id}}),
      400, "INVALID_PARAMETER_VALUE"));
  EXPECT_TRUE(IsError(calls.post("model-versions/create", {{"name", "local"}, {"source", artifact_uri + "/model"}}),
                      400, "INVALID_PARAMETER_VALUE"));
}

TEST(RegistryArtifactsOnly, RegistryRoutesAre503) {
  testing::ServerOptions options;
  options.extra_args = {"--artifacts-only"};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  EXPECT_EQ(http.get(kApi + "/registered-models/search").status, 503);
  EXPECT_EQ(http.post(kApi + "/registered-models/create", {{"name", "x"}}).status, 503);
}

// ---------------------------------------------------------------------------
// The registry answers the official 2.9.2 server gave on its own database.

TEST(RegistryFixture, AnswersAsTheOfficialServer) {
  testing::TempDir work("mlflowcpp-registry-fixture");
  testing::ServerProcess server(testing::on_fixture_copy("mlflow-2.9.2-sample.sqlite", work.path()));
  HttpClient http = server.client();

  int compared = 0;
  for (const auto& call : testing::recorded_calls()) {
    const std::string path = call.at("path");
    if (path.find("registered-models") == std::string::npos && path.find("model-versions") == std::string::npos) {
      continue;
    }
    SCOPED_TRACE(path);
    ++compared;
    const std::string method = call.at("method");
    HttpResponse response = method == "GET" ? http.get(path) : http.post(path, call.at("body"));
    ASSERT_EQ(response.status, call.at("status").get<int>()) << response.describe();
    const Json& expected = call.at("response");
    if (response.status != 200) {
      EXPECT_EQ(response.error_code(), expected.value("error_code", ""));
      continue;
    }
    testing::JsonCompareRules rules;
    rules.ordered_array_keys = {"registered_models", "model_versions", "latest_versions", "aliases"};
    rules.opaque_string_keys = {"next_page_token"};
    const auto difference = testing::first_json_difference(expected, response.json, rules);
    EXPECT_FALSE(difference.has_value()) << *difference << "\nexpected: " << expected.dump()
                                         << "\ngot:      " << response.body;
  }
  EXPECT_EQ(compared, 6);
}

}  // namespace
}  // namespace mlflowcpp::integration
