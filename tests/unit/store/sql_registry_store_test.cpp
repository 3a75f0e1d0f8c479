// The SQL model registry store: the SQLite fixture written by the official
// 2.9.2 server read back as it answered, and every life cycle on a fresh
// database of every backend of store_backends() (a contract suite).

#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_logged_model_store.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <set>
#include <thread>

#include "mlflow3_test_database.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace mlflowcpp::server::store {
namespace {

using testing::StoreBackend;
using testing::TempDir;

// A registry store on a database (that of the tracking store on SQLite).
class RegistryOn {
 public:
  explicit RegistryOn(std::shared_ptr<sql::Database> database)
      : database_(std::move(database)), store_(std::make_unique<SqlRegistryStore>(database_)) {}

  SqlRegistryStore& store() { return *store_; }

  // Rows of `table` matching `where`.
  int64_t count(const std::string& table, const std::string& where = "1 = 1") {
    return testing::query_int64(*database_, "SELECT COUNT(*) FROM " + table + " WHERE " + where);
  }

  std::string text(const std::string& sql, const std::vector<search::SqlValue>& values = {}) {
    return testing::query_text(*database_, sql, values);
  }

  sql::Database& database() { return *database_; }
  const std::shared_ptr<sql::Database>& shared_database() const { return database_; }

 private:
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlRegistryStore> store_;
};

std::vector<std::string> names_of(const std::vector<RegisteredModel>& models) {
  std::vector<std::string> names;
  for (const auto& model : models) names.push_back(model.name);
  return names;
}

std::vector<std::string> versions_of(const std::vector<ModelVersion>& versions) {
  std::vector<std::string> numbers;
  for (const auto& version : versions) numbers.push_back(version.version);
  return numbers;
}

CreateModelVersionRequest version_request(const std::string& name, const std::string& source = "s3://bucket/model",
                                          const std::string& run_id = "") {
  CreateModelVersionRequest request;
  request.name = name;
  request.source = source;
  request.run_id = run_id;
  return request;
}

SearchRegistryRequest search(const std::string& filter, int64_t max_results = 100,
                             std::vector<std::string> order_by = {}, const std::string& page_token = "") {
  SearchRegistryRequest request;
  request.filter = filter;
  request.max_results = max_results;
  request.order_by = std::move(order_by);
  request.page_token = page_token;
  return request;
}

// ---------------------------------------------------------------------------
// The fixture written by the official server

class FixtureRegistry : public ::testing::Test {
 protected:
  TempDir dir_;
  RegistryOn db_{testing::open_sqlite_database(testing::copy_fixture(dir_))};
};

TEST_F(FixtureRegistry, RegisteredModelIsReadAsTheOfficialServerAnswered) {
  const RegisteredModel model = db_.store().get_registered_model("fixture-classifier");
  EXPECT_EQ(model.name, "fixture-classifier");
  EXPECT_EQ(model.creation_timestamp, 1795612846968);
  EXPECT_EQ(model.last_updated_timestamp, 1795612847014);
  EXPECT_EQ(model.description, "image classifier");
  ASSERT_EQ(versions_of(model.latest_versions), (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(model.latest_versions[0].current_stage, "Production");
  EXPECT_EQ(model.latest_versions[1].current_stage, "Staging");
  EXPECT_TRUE(model.latest_versions[0].aliases.empty()) << "latest_versions carry no aliases upstream";
  ASSERT_EQ(model.tags.size(), 1u);
  EXPECT_EQ(model.tags[0].key, "domain");
  EXPECT_EQ(model.tags[0].value, "vision");
  ASSERT_EQ(model.aliases.size(), 2u);
  EXPECT_EQ(model.aliases[0].alias, "challenger");
  EXPECT_EQ(model.aliases[0].version, "3");
  EXPECT_EQ(model.aliases[1].alias, "champion");
  EXPECT_EQ(model.aliases[1].version, "1");

  const ModelVersion& first = model.latest_versions[0];
  EXPECT_EQ(first.creation_timestamp, 1795612846977);
  EXPECT_EQ(first.last_updated_timestamp, 1795612846993);
  EXPECT_EQ(first.description, "version from run 0");
  EXPECT_EQ(first.source, "mlflow-artifacts:/1/02d34d91fce84aaaaa9a828c8d4bded3/artifacts/model");
  EXPECT_EQ(first.run_id, "02d34d91fce84aaaaa9a828c8d4bded3");
  EXPECT_EQ(first.run_link, "");
  EXPECT_EQ(first.status, ModelVersionStatus::kReady);
  EXPECT_FALSE(first.user_id.has_value());
  ASSERT_EQ(first.tags.size(), 1u);
  EXPECT_EQ(first.tags[0].value, "yes");
}

TEST_F(FixtureRegistry, SearchListsModelsByName) {
  const auto page = db_.store().search_registered_models(search("", 10));
  EXPECT_EQ(names_of(page.items), (std::vector<std::string>{"fixture-classifier", "fixture-empty-model"}));
  EXPECT_EQ(page.next_page_token, "");
  const RegisteredModel& empty = page.items[1];
  EXPECT_TRUE(empty.latest_versions.empty());
  EXPECT_EQ(empty.description, "");
}

TEST_F(FixtureRegistry, ModelVersionSearchSkipsTheTombstoneAndCarriesNoAliases) {
  const auto page = db_.store().search_model_versions(search("name='fixture-classifier'", 1000));
  EXPECT_EQ(versions_of(page.items), (std::vector<std::string>{"3", "1"}));
  for (const auto& version : page.items) EXPECT_TRUE(version.aliases.empty());
}

TEST_F(FixtureRegistry, DeletedVersionIsNotFoundAndItsNumberStaysTaken) {
  EXPECT_MLFLOW_ERROR(db_.store().get_model_version("fixture-classifier", 2), "RESOURCE_DOES_NOT_EXIST");
  const ModelVersion created = db_.store().create_model_version(version_request("fixture-classifier"));
  EXPECT_EQ(created.version, "4");
}

TEST_F(FixtureRegistry, AliasLeadsToItsVersionWithItsAliases) {
  const ModelVersion champion = db_.store().get_model_version_by_alias("fixture-classifier", "champion");
  EXPECT_EQ(champion.version, "1");
  EXPECT_EQ(champion.aliases, (std::vector<std::string>{"champion"}));
  EXPECT_MLFLOW_ERROR(db_.store().get_model_version_by_alias("fixture-classifier", "nobody"),
                      "INVALID_PARAMETER_VALUE");
}

TEST_F(FixtureRegistry, LatestVersionsFilterByStage) {
  EXPECT_EQ(versions_of(db_.store().get_latest_versions("fixture-classifier", {})),
            (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(versions_of(db_.store().get_latest_versions("fixture-classifier", {"Staging"})),
            (std::vector<std::string>{"3"}));
  EXPECT_TRUE(db_.store().get_latest_versions("fixture-classifier", {"Archived"}).empty());
  EXPECT_MLFLOW_ERROR(db_.store().get_latest_versions("missing", {}), "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(FixtureRegistry, DownloadUriIsTheStorageLocation) {
  EXPECT_EQ(db_.store().get_model_version_download_uri("fixture-classifier", 3),
            "mlflow-artifacts:/1/84ad3abaf4c94d148b54b72d34c71d34/artifacts/model");
  EXPECT_MLFLOW_ERROR(db_.store().get_model_version_download_uri("fixture-classifier", 2), "RESOURCE_DOES_NOT_EXIST");
}

TEST_F(FixtureRegistry, RunArtifactUriComesFromTheRunsTable) {
  EXPECT_EQ(db_.store().run_artifact_uri("02d34d91fce84aaaaa9a828c8d4bded3"),
            "mlflow-artifacts:/1/02d34d91fce84aaaaa9a828c8d4bded3/artifacts");
  EXPECT_FALSE(db_.store().run_artifact_uri("0000").has_value());
}

TEST_F(FixtureRegistry, LoggedModelSourcesAskForTheUpgradeOnAnMlflow29Database) {
  const auto expect_upgrade_hint = [](const std::function<void()>& call) {
    try {
      call();
      ADD_FAILURE() << "expected the upgrade hint";
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.error_code(), "INVALID_STATE");
      EXPECT_NE(std::string(error.what()).find(kUpgradeToMlflow3Hint), std::string::npos) << error.what();
    }
  };
  const std::string model_id = "m-56cbf5817a4f40f08034bff98bf7df02";
  expect_upgrade_hint(
      [&] { db_.store().create_model_version(version_request("fixture-classifier", "models:/" + model_id)); });
  CreateModelVersionRequest with_model_id = version_request("fixture-classifier", "s3://bucket/model");
  with_model_id.model_id = model_id;
  expect_upgrade_hint([&] { db_.store().create_model_version(with_model_id); });
  expect_upgrade_hint([&] { db_.store().logged_model_artifact_location(model_id); });
  EXPECT_EQ(db_.count("model_versions", "name = 'fixture-classifier'"), 3) << "nothing was written";
  // The MLflow 2 forms answer as before.
  EXPECT_MLFLOW_ERROR(db_.store().create_model_version(version_request("fixture-classifier", "models:/")),
                      "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(db_.store().create_model_version(version_request("fixture-classifier", "models:/x@champion")),
                      "INVALID_PARAMETER_VALUE");
  const ModelVersion copy =
      db_.store().create_model_version(version_request("fixture-empty-model", "models:/fixture-classifier/3"));
  EXPECT_EQ(db_.store().get_model_version_download_uri("fixture-empty-model", std::stoll(copy.version)),
            "mlflow-artifacts:/1/84ad3abaf4c94d148b54b72d34c71d34/artifacts/model");
}

// ---------------------------------------------------------------------------
// The database the official MLflow 3.6 server wrote

class Mlflow3FixtureRegistry : public ::testing::Test {
 protected:
  TempDir dir_;
  RegistryOn db_{testing::open_mlflow3_fixture_copy(dir_)};

  std::string model_versions_tag(const std::string& model_id) {
    return db_.text("SELECT tag_value FROM logged_model_tags WHERE model_id = ? AND tag_key = 'mlflow.modelVersions'",
                    {model_id});
  }
};

TEST_F(Mlflow3FixtureRegistry, VersionsFromLoggedModelsAreReadAsRecorded) {
  const ModelVersion first = db_.store().get_model_version("fixture3-classifier", 1);
  EXPECT_EQ(first.source, "models:/m-56cbf5817a4f40f08034bff98bf7df02");
  EXPECT_EQ(first.run_id, "17bace8578164956982781e3cc370714");
  EXPECT_EQ(first.aliases, (std::vector<std::string>{"champion"}));
  EXPECT_EQ(db_.store().get_model_version_download_uri("fixture3-classifier", 1),
            "mlflow-artifacts:/1/models/m-56cbf5817a4f40f08034bff98bf7df02/artifacts");
}

TEST_F(Mlflow3FixtureRegistry, RegisteringALoggedModelAppendsToItsTag) {
  const std::string regressor = "m-3b404acdcdf34ae3a28f8dc0885d7d7f";
  CreateModelVersionRequest request = version_request("fixture3-classifier", "models:/" + regressor);
  request.model_id = regressor;
  const ModelVersion created = db_.store().create_model_version(request);
  EXPECT_EQ(created.version, "3");
  EXPECT_EQ(created.run_id, "c0a47b94149d4d98a5fcd68b37d282ca") << "the logged model's source run";
  EXPECT_EQ(created.source, "models:/" + regressor);
  EXPECT_EQ(db_.store().get_model_version_download_uri("fixture3-classifier", 3),
            "mlflow-artifacts:/1/models/" + regressor + "/artifacts");
  EXPECT_EQ(model_versions_tag(regressor),
            R"([{"name": "fixture3-classifier", "version": 2}, {"name": "fixture3-classifier", "version": 3}])");

  // The classifier's tag also holds the entry its client added (version as text): kept as it is.
  const std::string classifier = "m-56cbf5817a4f40f08034bff98bf7df02";
  request = version_request("fixture3-classifier", "models:/" + classifier);
  request.model_id = classifier;
  EXPECT_EQ(db_.store().create_model_version(request).version, "4");
  EXPECT_EQ(model_versions_tag(classifier),
            R"([{"name": "fixture3-classifier", "version": 1}, {"name": "fixture3-classifier", "version": "1"}, )"
            R"({"name": "fixture3-classifier", "version": 4}])");
}

TEST_F(Mlflow3FixtureRegistry, DeletedAndMissingLoggedModelsAreNotFound) {
  for (const std::string model_id : {"m-f3c6f43a535c450dbd14c17e26a16dfb", "m-00000000000000000000000000000000"}) {
    EXPECT_MLFLOW_ERROR(db_.store().create_model_version(version_request("fixture3-classifier", "models:/" + model_id)),
                        "RESOURCE_DOES_NOT_EXIST");
    CreateModelVersionRequest request = version_request("fixture3-classifier", "s3://bucket/model");
    request.model_id = model_id;
    EXPECT_MLFLOW_ERROR(db_.store().create_model_version(request), "RESOURCE_DOES_NOT_EXIST");
    EXPECT_FALSE(db_.store().logged_model_artifact_location(model_id).has_value());
  }
  EXPECT_EQ(db_.count("model_versions"), 2) << "nothing was written";
}

// ---------------------------------------------------------------------------
// A fresh database

class FreshRegistry : public ::testing::TestWithParam<StoreBackend> {
 protected:
  std::unique_ptr<testing::TestDatabase> test_database_ = GetParam().create();
  RegistryOn db_{test_database_->open()};
  SqlRegistryStore& store() { return db_.store(); }
};

TEST_P(FreshRegistry, CreateAndGetRegisteredModel) {
  const RegisteredModel created =
      store().create_registered_model("m", {{"a", "1"}, {"b", "2"}, {"a", "3"}}, "first model");
  EXPECT_EQ(created.name, "m");
  EXPECT_EQ(created.description, "first model");
  ASSERT_EQ(created.tags.size(), 2u) << "a repeated key keeps one tag, the last value";
  EXPECT_EQ(created.tags[0].key, "a");
  EXPECT_EQ(created.tags[0].value, "3");
  ASSERT_TRUE(created.creation_timestamp.has_value());
  EXPECT_EQ(created.creation_timestamp, created.last_updated_timestamp);
  EXPECT_EQ(store().get_registered_model("m").tags.size(), 2u);
  EXPECT_MLFLOW_ERROR(store().create_registered_model("m", {}, ""), "RESOURCE_ALREADY_EXISTS");
  if (GetParam().name == "Mysql") {
    // MLflow's MySQL columns compare names without case (utf8mb4_general_ci): "M" finds "m", as there.
    EXPECT_EQ(store().get_registered_model("M").name, "m");
  } else {
    EXPECT_MLFLOW_ERROR(store().get_registered_model("M"), "RESOURCE_DOES_NOT_EXIST");
  }
}

TEST_P(FreshRegistry, VersionNumbersAreNeverReusedAndDeleteLeavesATombstone) {
  store().create_registered_model("m", {}, "");
  for (int i = 0; i < 3; ++i) store().create_model_version(version_request("m"));
  store().set_registered_model_alias("m", "best", 3);
  store().set_model_version_tag("m", 3, {"k", "v"});
  store().delete_model_version("m", 3);
  EXPECT_MLFLOW_ERROR(store().get_model_version("m", 3), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().delete_model_version("m", 3), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(db_.text("SELECT current_stage FROM model_versions WHERE name = 'm' AND version = 3"), "Deleted_Internal");
  EXPECT_EQ(db_.text("SELECT source FROM model_versions WHERE name = 'm' AND version = 3"), "REDACTED-SOURCE-PATH");
  EXPECT_EQ(db_.text("SELECT description FROM model_versions WHERE name = 'm' AND version = 3"), "<null>");
  EXPECT_EQ(db_.count("registered_model_aliases"), 0) << "deleting a version removes its aliases";
  EXPECT_EQ(store().create_model_version(version_request("m")).version, "4");
  EXPECT_EQ(versions_of(store().search_model_versions(search("name = 'm'", 100)).items),
            (std::vector<std::string>{"4", "2", "1"}));
}

TEST_P(FreshRegistry, CreateModelVersionNeedsTheModel) {
  EXPECT_MLFLOW_ERROR(store().create_model_version(version_request("nope")), "RESOURCE_DOES_NOT_EXIST");
  store().create_registered_model("m", {}, "");
  CreateModelVersionRequest request = version_request("m", "s3://b/p", "abc");
  request.tags = {{"t", "1"}};
  request.run_link = "http://link";
  request.description = "";
  const ModelVersion created = store().create_model_version(request);
  EXPECT_EQ(created.version, "1");
  EXPECT_EQ(created.current_stage, "None");
  EXPECT_EQ(created.status, ModelVersionStatus::kReady);
  EXPECT_EQ(created.description, "");
  EXPECT_EQ(created.run_id, "abc");
  EXPECT_EQ(created.run_link, "http://link");
  EXPECT_TRUE(created.aliases.empty());
  EXPECT_EQ(store().get_registered_model("m").last_updated_timestamp, created.creation_timestamp);
}

TEST_P(FreshRegistry, ModelsUriSourceResolvesToTheReferencedVersion) {
  store().create_registered_model("base", {}, "");
  store().create_model_version(version_request("base", "s3://bucket/base/model"));
  store().create_registered_model("copy", {}, "");
  const ModelVersion copy = store().create_model_version(version_request("copy", "models:/base/1"));
  EXPECT_EQ(copy.source, "models:/base/1");
  EXPECT_EQ(store().get_model_version_download_uri("copy", 1), "s3://bucket/base/model");
  EXPECT_MLFLOW_ERROR(store().create_model_version(version_request("copy", "models:/base/9")),
                      "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store().create_model_version(version_request("copy", "models:/base/Production")),
                      "INVALID_PARAMETER_VALUE");
}

TEST_P(FreshRegistry, UpdatesChangeDescriptionsAndTimes) {
  store().create_registered_model("m", {}, "old");
  store().create_model_version(version_request("m"));
  EXPECT_EQ(store().update_registered_model("m", "new").description, "new");
  EXPECT_EQ(store().update_model_version("m", 1, std::string("v1")).description, "v1");
  EXPECT_FALSE(store().update_model_version("m", 1, std::nullopt).description.has_value());
  EXPECT_MLFLOW_ERROR(store().update_model_version("m", 2, std::string("x")), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().update_registered_model("other", "x"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(FreshRegistry, RenameMovesVersionsTagsAndAliases) {
  store().create_registered_model("old", {{"k", "v"}}, "d");
  store().create_model_version(version_request("old"));
  store().create_model_version(version_request("old"));
  store().delete_model_version("old", 2);
  store().set_model_version_tag("old", 1, {"vk", "vv"});
  store().set_registered_model_alias("old", "prod", 1);
  store().create_registered_model("taken", {}, "");

  EXPECT_MLFLOW_ERROR(store().rename_registered_model("old", "taken"), "RESOURCE_ALREADY_EXISTS");
  EXPECT_MLFLOW_ERROR(store().rename_registered_model("missing", "x"), "RESOURCE_DOES_NOT_EXIST");

  const RegisteredModel renamed = store().rename_registered_model("old", "new");
  EXPECT_EQ(renamed.name, "new");
  ASSERT_EQ(renamed.tags.size(), 1u);
  ASSERT_EQ(renamed.aliases.size(), 1u);
  EXPECT_EQ(renamed.aliases[0].alias, "prod");
  ASSERT_EQ(renamed.latest_versions.size(), 1u);
  EXPECT_EQ(renamed.latest_versions[0].name, "new");
  EXPECT_EQ(renamed.latest_versions[0].tags.size(), 1u);
  EXPECT_MLFLOW_ERROR(store().get_registered_model("old"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(store().get_model_version_by_alias("new", "prod").version, "1");
  EXPECT_EQ(store().create_model_version(version_request("new")).version, "3") << "the tombstone moved too";
  EXPECT_EQ(db_.count("model_versions", "name = 'old'"), 0);
}

TEST_P(FreshRegistry, DeleteRegisteredModelDeletesVersionsAliasesAndTags) {
  store().create_registered_model("m", {{"k", "v"}}, "");
  store().create_model_version(version_request("m"));
  store().create_model_version(version_request("m"));
  store().delete_model_version("m", 1);
  store().set_model_version_tag("m", 2, {"vk", "vv"});
  store().set_registered_model_alias("m", "a", 2);
  store().create_registered_model("other", {{"k", "v"}}, "");
  store().create_model_version(version_request("other"));

  store().delete_registered_model("m");
  EXPECT_MLFLOW_ERROR(store().get_registered_model("m"), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().delete_registered_model("m"), "RESOURCE_DOES_NOT_EXIST");
  for (const char* table : {"registered_models", "model_versions", "registered_model_tags", "model_version_tags",
                            "registered_model_aliases"}) {
    EXPECT_EQ(db_.count(table, "name = 'm'"), 0) << table;
  }
  EXPECT_EQ(db_.count("model_versions", "name = 'other'"), 1);
  // A new model of the same name starts over at version 1.
  store().create_registered_model("m", {}, "");
  EXPECT_EQ(store().create_model_version(version_request("m")).version, "1");
}

TEST_P(FreshRegistry, TransitionArchivesOtherVersionsOnRequest) {
  store().create_registered_model("m", {}, "");
  for (int i = 0; i < 3; ++i) store().create_model_version(version_request("m"));
  store().transition_model_version_stage("m", 1, "Production", false);
  store().transition_model_version_stage("m", 2, "Production", false);
  EXPECT_EQ(versions_of(store().get_latest_versions("m", {"Production"})), (std::vector<std::string>{"2"}));
  const ModelVersion third = store().transition_model_version_stage("m", 3, "Production", true);
  EXPECT_EQ(third.current_stage, "Production");
  EXPECT_EQ(store().get_model_version("m", 1).current_stage, "Archived");
  EXPECT_EQ(store().get_model_version("m", 2).current_stage, "Archived");
  EXPECT_EQ(versions_of(store().get_latest_versions("m", {})), (std::vector<std::string>{"2", "3"}));
  EXPECT_MLFLOW_ERROR(store().transition_model_version_stage("m", 7, "Staging", true), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(store().get_model_version("m", 3).current_stage, "Production") << "a failed call changes nothing";
}

TEST_P(FreshRegistry, AliasLifeCycle) {
  store().create_registered_model("m", {}, "");
  store().create_model_version(version_request("m"));
  store().create_model_version(version_request("m"));
  EXPECT_MLFLOW_ERROR(store().set_registered_model_alias("m", "a", 5), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().set_registered_model_alias("missing", "a", 1), "RESOURCE_DOES_NOT_EXIST");
  store().set_registered_model_alias("m", "a", 1);
  store().set_registered_model_alias("m", "b", 1);
  EXPECT_EQ(store().get_model_version("m", 1).aliases, (std::vector<std::string>{"a", "b"}));
  store().set_registered_model_alias("m", "a", 2);  // moves
  EXPECT_EQ(store().get_model_version_by_alias("m", "a").version, "2");
  EXPECT_EQ(store().get_model_version("m", 1).aliases, (std::vector<std::string>{"b"}));
  store().delete_registered_model_alias("m", "a");
  store().delete_registered_model_alias("m", "a");  // absent: still fine
  EXPECT_MLFLOW_ERROR(store().get_model_version_by_alias("m", "a"), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store().delete_registered_model_alias("missing", "a"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(FreshRegistry, TagLifeCycle) {
  store().create_registered_model("m", {}, "");
  store().create_model_version(version_request("m"));
  store().set_registered_model_tag("m", {"x", "1"});
  store().set_registered_model_tag("m", {"y", "2"});
  store().set_registered_model_tag("m", {"x", "3"});
  const auto tags = store().get_registered_model("m").tags;
  ASSERT_EQ(tags.size(), 2u);
  const auto& x = tags[0].key == "x" ? tags[0] : tags[1];
  EXPECT_EQ(x.key, "x");
  EXPECT_EQ(x.value, "3");
  // Tags list in insertion order (sql_dialect::insertion_order): in SQLite an
  // overwritten tag keeps its rowid and so its place; in PostgreSQL the update
  // writes a new row version, which lists last, as with the official server.
  if (GetParam().name == "Sqlite") {
    EXPECT_EQ(tags[0].key, "x") << "overwriting keeps the tag's place";
  }
  store().delete_registered_model_tag("m", "x");
  store().delete_registered_model_tag("m", "absent");
  EXPECT_EQ(store().get_registered_model("m").tags.size(), 1u);
  EXPECT_MLFLOW_ERROR(store().set_registered_model_tag("missing", {"x", "1"}), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().delete_registered_model_tag("missing", "x"), "RESOURCE_DOES_NOT_EXIST");

  store().set_model_version_tag("m", 1, {"a", "1"});
  store().set_model_version_tag("m", 1, {"a", "2"});
  ASSERT_EQ(store().get_model_version("m", 1).tags.size(), 1u);
  EXPECT_EQ(store().get_model_version("m", 1).tags[0].value, "2");
  store().delete_model_version_tag("m", 1, "a");
  store().delete_model_version_tag("m", 1, "absent");
  EXPECT_TRUE(store().get_model_version("m", 1).tags.empty());
  EXPECT_MLFLOW_ERROR(store().set_model_version_tag("m", 2, {"a", "1"}), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_MLFLOW_ERROR(store().delete_model_version_tag("m", 2, "a"), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(FreshRegistry, RegisteredModelFilters) {
  store().create_registered_model("Alpha", {{"team", "cv"}}, "");
  store().create_registered_model("alpha-2", {{"team", "nlp"}, {"tier", "gold"}}, "");
  store().create_registered_model("beta", {{"team", "cv"}, {"tier", "gold"}}, "");
  const auto names = [&](const std::string& filter) {
    return names_of(store().search_registered_models(search(filter)).items);
  };
  EXPECT_EQ(names("name = 'beta'"), (std::vector<std::string>{"beta"}));
  EXPECT_EQ(names("name != 'beta'"), (std::vector<std::string>{"Alpha", "alpha-2"}));
  EXPECT_EQ(names("name LIKE 'alpha%'"), (std::vector<std::string>{"alpha-2"}));
  EXPECT_EQ(names("name ILIKE 'alpha%'"), (std::vector<std::string>{"Alpha", "alpha-2"}));
  EXPECT_EQ(names("tags.team = 'cv'"), (std::vector<std::string>{"Alpha", "beta"}));
  EXPECT_EQ(names("tags.team = 'cv' and tags.tier = 'gold'"), (std::vector<std::string>{"beta"}));
  EXPECT_EQ(names("tags.`team` LIKE '%l%' AND name ILIKE 'A%'"), (std::vector<std::string>{"alpha-2"}));
  EXPECT_EQ(names("tags.team != 'cv'"), (std::vector<std::string>{"alpha-2"}));
  EXPECT_EQ(names("attribute.name = 'Alpha'"), (std::vector<std::string>{"Alpha"}));
  EXPECT_EQ(names("name = \"beta\""), (std::vector<std::string>{"beta"}));
  // MLflow 3 clients hide prompts with this clause; models without the tag still match.
  store().set_registered_model_tag("beta", {"mlflow.prompt.is_prompt", "true"});
  EXPECT_EQ(names("tag.`mlflow.prompt.is_prompt` != 'true'"), (std::vector<std::string>{"Alpha", "alpha-2"}));
  EXPECT_EQ(names("tags.`mlflow.prompt.is_prompt` = 'true'"), (std::vector<std::string>{"beta"}));
  for (const char* bad : {"version = 1", "name = 1", "name IN ('a')", "name > 'a'", "metrics.x = 1", "name = beta",
                          "name = 'a' OR name = 'b'", "tags.team < 'x'"}) {
    EXPECT_MLFLOW_ERROR(store().search_registered_models(search(bad)), "INVALID_PARAMETER_VALUE");
  }
}

TEST_P(FreshRegistry, ModelVersionFilters) {
  store().create_registered_model("m", {}, "");
  store().create_registered_model("n", {}, "");
  store().create_model_version(version_request("m", "s3://b/one", "aaa"));
  store().create_model_version(version_request("m", "s3://b/two", "bbb"));
  store().create_model_version(version_request("n", "s3://c/three", "aaa"));
  store().set_model_version_tag("m", 2, {"ok", "yes"});
  const auto keys = [&](const std::string& filter) {
    std::vector<std::string> result;
    for (const auto& v :
         store().search_model_versions(search(filter, 1000, {"name ASC", "version_number ASC"})).items) {
      result.push_back(v.name + "/" + v.version);
    }
    return result;
  };
  EXPECT_EQ(keys("run_id = 'aaa'"), (std::vector<std::string>{"m/1", "n/1"}));
  EXPECT_EQ(keys("run_id IN ('bbb', 'AAA')"), (std::vector<std::string>{"m/2"}));
  EXPECT_EQ(keys("run_id IN ('AAA')"), (std::vector<std::string>{}));
  EXPECT_EQ(keys("source_path LIKE 's3://b/%'"), (std::vector<std::string>{"m/1", "m/2"}));
  EXPECT_EQ(keys("name = 'm' and version_number > 1"), (std::vector<std::string>{"m/2"}));
  EXPECT_EQ(keys("tags.ok = 'yes'"), (std::vector<std::string>{"m/2"}));
  EXPECT_EQ(keys("name ILIKE 'M'"), (std::vector<std::string>{"m/1", "m/2"}));
  for (const char* bad : {"run_id NOT IN ('a')", "name IN ('m')", "version_number = 'x'", "version_number = 1.5",
                          "stage = 'None'", "source_path > 'a'"}) {
    EXPECT_MLFLOW_ERROR(store().search_model_versions(search(bad)), "INVALID_PARAMETER_VALUE");
  }
}

TEST_P(FreshRegistry, OrderByRules) {
  store().create_registered_model("b", {}, "");
  store().create_registered_model("a", {}, "");
  store().create_registered_model("c", {}, "");
  store().update_registered_model("a", "touched");
  EXPECT_EQ(names_of(store().search_registered_models(search("", 100, {"name DESC"})).items),
            (std::vector<std::string>{"c", "b", "a"}));
  const auto by_update =
      names_of(store().search_registered_models(search("", 100, {"last_updated_timestamp DESC"})).items);
  EXPECT_EQ(by_update.front(), "a");
  for (std::vector<std::string> bad : std::vector<std::vector<std::string>>{{"nonsense"},
                                                                            {"name DOWN"},
                                                                            {"name ASC", "name DESC"},
                                                                            {"tags.x"},
                                                                            {"timestamp", "last_updated_timestamp"}}) {
    EXPECT_MLFLOW_ERROR(store().search_registered_models(search("", 100, bad)), "INVALID_PARAMETER_VALUE");
  }
  EXPECT_MLFLOW_ERROR(store().search_model_versions(search("", 100, {"run_id"})), "INVALID_PARAMETER_VALUE");
}

TEST_P(FreshRegistry, PagingWalksEveryModelOnce) {
  for (int i = 0; i < 250; ++i) store().create_registered_model(fmt::format("model-{:03}", i), {}, "");
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    const auto page = store().search_registered_models(search("", 100, {}, token));
    for (const auto& model : page.items) seen.push_back(model.name);
    token = page.next_page_token;
    ++pages;
    ASSERT_LE(pages, 5);
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 250u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 250u);

  const auto zero = store().search_registered_models(search("", 0));
  EXPECT_TRUE(zero.items.empty());
  EXPECT_FALSE(zero.next_page_token.empty()) << "max_results=0 answers a token, as upstream";
  EXPECT_MLFLOW_ERROR(store().search_registered_models(search("", 10, {}, "garbage!")), "INVALID_PARAMETER_VALUE");
  EXPECT_MLFLOW_ERROR(store().search_model_versions(search("", 10, {}, "bm90IGpzb24=")), "INVALID_PARAMETER_VALUE");
}

TEST_P(FreshRegistry, ConcurrentVersionCreationGivesDistinctNumbers) {
  store().create_registered_model("m", {}, "");
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> made(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) made[t].push_back(store().create_model_version(version_request("m")).version);
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  for (const auto& list : made) all.insert(list.begin(), list.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(store().search_model_versions(search("", 1000)).items.size(), static_cast<size_t>(kThreads * kEach));
}

INSTANTIATE_TEST_SUITE_P(Backends, FreshRegistry, ::testing::ValuesIn(testing::store_backends()),
                         testing::backend_test_name);

// ---------------------------------------------------------------------------
// Registering MLflow 3 logged models, on a fresh database

class LoggedModelRegistry : public FreshRegistry {
 protected:
  void SetUp() override {
    db_.database().write([](sql::Connection& connection) {
      connection
          .statement(
              "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, "
              "last_update_time) VALUES (1, 'models', 'mlflow-artifacts:/1', 'active', 0, 0)")
          ->execute();
      connection
          .statement(
              "INSERT INTO runs (run_uuid, name, source_type, status, start_time, lifecycle_stage, experiment_id, "
              "artifact_uri) VALUES ('r1', 'run', 'LOCAL', 'RUNNING', 0, 'active', 1, '')")
          ->execute();
    });
    store().create_registered_model("m", {}, "");
  }

  std::string create_logged_model(const std::optional<std::string>& source_run_id = "r1") {
    CreateLoggedModelRequest request;
    request.experiment_id = "1";
    request.name = "model";
    request.source_run_id = source_run_id;
    return logged_models_.create_logged_model(request).info.model_id;
  }

  CreateModelVersionRequest registering(const std::string& model_id, const std::string& source = "") {
    CreateModelVersionRequest request = version_request("m", source.empty() ? "models:/" + model_id : source);
    request.model_id = model_id;
    return request;
  }

  std::string model_versions_tag(const std::string& model_id) {
    return db_.text("SELECT tag_value FROM logged_model_tags WHERE model_id = ? AND tag_key = 'mlflow.modelVersions'",
                    {model_id});
  }

  static std::string artifact_location(const std::string& model_id) {
    return "mlflow-artifacts:/1/models/" + model_id + "/artifacts";
  }

  SqlLoggedModelStore logged_models_{db_.shared_database()};
};

TEST_P(LoggedModelRegistry, ModelIdSourceRecordsTheModelsLocationRunAndTag) {
  const std::string model_id = create_logged_model();
  const ModelVersion first = store().create_model_version(registering(model_id));
  EXPECT_EQ(first.version, "1");
  EXPECT_EQ(first.source, "models:/" + model_id);
  EXPECT_EQ(first.run_id, "r1");
  EXPECT_EQ(first.status, ModelVersionStatus::kReady);
  EXPECT_EQ(store().get_model_version_download_uri("m", 1), artifact_location(model_id));
  EXPECT_EQ(model_versions_tag(model_id), R"([{"name": "m", "version": 1}])");

  CreateModelVersionRequest with_run = registering(model_id);
  with_run.run_id = "given";
  EXPECT_EQ(store().create_model_version(with_run).run_id, "given") << "a given run_id wins";
  EXPECT_EQ(model_versions_tag(model_id), R"([{"name": "m", "version": 1}, {"name": "m", "version": 2}])");
  EXPECT_EQ(logged_models_.get_logged_model(model_id).info.tags.size(), 1u);
}

TEST_P(LoggedModelRegistry, SourceAloneResolvesButLeavesTheTagAlone) {
  const std::string model_id = create_logged_model();
  const ModelVersion created = store().create_model_version(version_request("m", "models:/" + model_id));
  EXPECT_EQ(created.run_id, "r1");
  EXPECT_EQ(store().get_model_version_download_uri("m", 1), artifact_location(model_id));
  EXPECT_EQ(model_versions_tag(model_id), "<no row>") << "as upstream, only a model_id tags the model";
}

TEST_P(LoggedModelRegistry, ModelIdWithAnotherSourceKeepsThatSource) {
  const std::string model_id = create_logged_model();
  const ModelVersion created = store().create_model_version(registering(model_id, "s3://bucket/elsewhere"));
  EXPECT_EQ(created.run_id, "r1");
  EXPECT_EQ(store().get_model_version_download_uri("m", 1), "s3://bucket/elsewhere");
  EXPECT_EQ(model_versions_tag(model_id), R"([{"name": "m", "version": 1}])");
}

TEST_P(LoggedModelRegistry, ModelWithoutSourceRunGivesNoRunId) {
  const std::string model_id = create_logged_model(std::nullopt);
  EXPECT_FALSE(store().create_model_version(registering(model_id)).run_id.has_value());
  EXPECT_EQ(store().create_model_version(version_request("m", "s3://bucket/model")).run_id, "");
}

TEST_P(LoggedModelRegistry, MissingOrDeletedModelsWriteNothing) {
  const std::string deleted = create_logged_model();
  logged_models_.delete_logged_model(deleted);
  for (const std::string& model_id : {deleted, std::string("m-00000000000000000000000000000000"), std::string("x")}) {
    EXPECT_MLFLOW_ERROR(store().create_model_version(version_request("m", "models:/" + model_id)),
                        "RESOURCE_DOES_NOT_EXIST");
    EXPECT_MLFLOW_ERROR(store().create_model_version(registering(model_id, "s3://bucket/model")),
                        "RESOURCE_DOES_NOT_EXIST");
  }
  const std::string live = create_logged_model();
  CreateModelVersionRequest other_model = registering(live);
  other_model.name = "not-registered";
  EXPECT_MLFLOW_ERROR(store().create_model_version(other_model), "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(db_.count("model_versions"), 0);
  EXPECT_EQ(db_.count("logged_model_tags"), 0);
}

TEST_P(LoggedModelRegistry, MalformedModelsUrisAreRefused) {
  for (const std::string source : {"models:/", "models:", "models:/ ", "models://m-1", "models:/m@champion"}) {
    EXPECT_MLFLOW_ERROR(store().create_model_version(version_request("m", source)), "INVALID_PARAMETER_VALUE");
  }
  EXPECT_EQ(db_.count("model_versions"), 0);
}

TEST_P(LoggedModelRegistry, AnUnreadableTagRollsTheVersionBack) {
  const std::string model_id = create_logged_model();
  logged_models_.set_logged_model_tags(model_id, {{"mlflow.modelVersions", "not json"}});
  EXPECT_MLFLOW_ERROR(store().create_model_version(registering(model_id)), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(db_.count("model_versions"), 0) << "the version and the tag are one transaction";
  EXPECT_EQ(model_versions_tag(model_id), "not json");
}

TEST_P(LoggedModelRegistry, ArtifactLocationOfActiveModelsOnly) {
  const std::string model_id = create_logged_model();
  EXPECT_EQ(store().logged_model_artifact_location(model_id), artifact_location(model_id));
  logged_models_.delete_logged_model(model_id);
  EXPECT_FALSE(store().logged_model_artifact_location(model_id).has_value());
  EXPECT_FALSE(store().logged_model_artifact_location("m-missing").has_value());
}

TEST_P(LoggedModelRegistry, ConcurrentRegistrationsOfOneModelAllJoinItsTag) {
  const std::string model_id = create_logged_model();
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] { store().create_model_version(registering(model_id)); });
  }
  for (auto& thread : threads) thread.join();
  const std::string tag = model_versions_tag(model_id);
  for (int version = 1; version <= kThreads; ++version) {
    EXPECT_NE(tag.find(fmt::format(R"({{"name": "m", "version": {}}})", version)), std::string::npos) << tag;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LoggedModelRegistry, ::testing::ValuesIn(testing::store_backends()),
                         testing::backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store
