// The model registry's MLflow 3 registration path against the real server:
// the registry calls recorded against the official MLflow 3.6 server
// (tests/fixtures/mlflow-3-sample.answers.json, calls 30-35 and 55-57)
// replayed on a copy of the database it wrote, and the mistakes a client can
// make with `models:/<model_id>` sources, on MLflow 3 and 2.9 databases.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::HttpResponse;
using testing::Json;

// The model that recorded call 36 created (with the official server's id) and
// calls 55-57 register.
constexpr const char* kCandidateId = "m-6fa18b4215cb45d6b8975f0acd925217";
constexpr const char* kRecordedModelVersionsKey = "mlflow.modelVersions";

// The logged model the recorded calls 36-54 left behind before call 55, as
// call 54 answered it; the logged-model endpoints that made it are not this
// test's subject.
void add_candidate_model(const std::filesystem::path& database) {
  const Json& info = testing::mlflow3_recorded_calls().at(54).at("response").at("model").at("info");
  SQLite::Database db(database.string(), SQLite::OPEN_READWRITE);
  SQLite::Statement insert(db,
                           "INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, "
                           "creation_timestamp_ms, last_updated_timestamp_ms, status, lifecycle_stage, model_type, "
                           "source_run_id) VALUES (?, ?, ?, ?, ?, ?, 2, 'active', ?, ?)");
  insert.bind(1, info.at("model_id").get<std::string>());
  insert.bind(2, static_cast<int64_t>(std::stoll(info.at("experiment_id").get<std::string>())));
  insert.bind(3, info.at("name").get<std::string>());
  insert.bind(4, info.at("artifact_uri").get<std::string>());
  insert.bind(5, info.at("creation_timestamp_ms").get<int64_t>());
  insert.bind(6, info.at("last_updated_timestamp_ms").get<int64_t>());
  insert.bind(7, info.at("model_type").get<std::string>());
  insert.bind(8, info.at("source_run_id").get<std::string>());
  insert.exec();
  for (const Json& tag : info.at("tags")) {
    SQLite::Statement insert_tag(
        db, "INSERT INTO logged_model_tags (model_id, experiment_id, tag_key, tag_value) VALUES (?, 1, ?, ?)");
    insert_tag.bind(1, info.at("model_id").get<std::string>());
    insert_tag.bind(2, tag.at("key").get<std::string>());
    insert_tag.bind(3, tag.at("value").get<std::string>());
    insert_tag.exec();
  }
}

std::string logged_model_tag(const std::filesystem::path& database, const std::string& model_id,
                             const std::string& key) {
  SQLite::Database db(database.string(), SQLite::OPEN_READONLY);
  SQLite::Statement query(db, "SELECT tag_value FROM logged_model_tags WHERE model_id = ? AND tag_key = ?");
  query.bind(1, model_id);
  query.bind(2, key);
  return query.executeStep() ? query.getColumn(0).getString() : "<no tag>";
}

// The real server on a copy of one of the fixture databases.
class ServerOnFixture {
 public:
  explicit ServerOnFixture(const std::string& fixture, bool with_candidate = false)
      : directory_("mlflowcpp-registry-logged-models"),
        database_(testing::copy_fixture_database(fixture, directory_.path())) {
    if (with_candidate) add_candidate_model(database_);
    testing::ServerOptions options;
    options.work_dir = directory_.path();
    server_ = std::make_unique<testing::ServerProcess>(options);
  }

  testing::HttpClient client() const { return server_->client(); }
  const std::filesystem::path& database() const { return database_; }

 private:
  testing::TempDir directory_;
  std::filesystem::path database_;
  std::unique_ptr<testing::ServerProcess> server_;
};

HttpResponse create_version(testing::HttpClient& http, const Json& body) {
  return http.post("/api/2.0/mlflow/model-versions/create", body);
}

void expect_recorded_answer(testing::HttpClient& http, size_t index,
                            const std::set<std::string>& wall_clock_keys = {}) {
  const Json& call = testing::mlflow3_recorded_calls().at(index);
  SCOPED_TRACE("call " + std::to_string(index) + ": " + call.at("method").get<std::string>() + " " +
               call.at("path").get<std::string>());
  const HttpResponse response = testing::send_recorded_call(http, call);
  const auto difference = testing::recorded_answer_difference(call, response, wall_clock_keys);
  EXPECT_FALSE(difference.has_value()) << difference.value_or("");
}

TEST(RegistryLoggedModels, RecordedReadsOfLoggedModelVersions) {
  ServerOnFixture server("mlflow-3-sample.sqlite");
  auto http = server.client();
  for (size_t index = 30; index <= 35; ++index) expect_recorded_answer(http, index);
}

TEST(RegistryLoggedModels, RecordedRegistrationOfALoggedModel) {
  ServerOnFixture server("mlflow-3-sample.sqlite", /*with_candidate=*/true);
  auto http = server.client();
  ASSERT_EQ(testing::mlflow3_recorded_calls().at(55).at("body").at("model_id"), kCandidateId);
  expect_recorded_answer(http, 55, {"creation_timestamp", "last_updated_timestamp"});
  expect_recorded_answer(http, 56);
  // Call 57 reads the model back through the logged-model endpoints: its tag as recorded.
  std::string recorded_tag;
  for (const Json& tag : testing::mlflow3_recorded_calls().at(57).at("response").at("model").at("info").at("tags")) {
    if (tag.at("key") == kRecordedModelVersionsKey) recorded_tag = tag.at("value");
  }
  EXPECT_EQ(recorded_tag, R"([{"name": "fixture3-classifier", "version": 3}])");
  EXPECT_EQ(logged_model_tag(server.database(), kCandidateId, kRecordedModelVersionsKey), recorded_tag);
  EXPECT_EQ(logged_model_tag(server.database(), kCandidateId, "owner"), "bo") << "the other tags stay";
}

TEST(RegistryLoggedModels, ModelIdAloneTakesTheSourceRun) {
  ServerOnFixture server("mlflow-3-sample.sqlite");
  auto http = server.client();
  const std::string regressor = "m-3b404acdcdf34ae3a28f8dc0885d7d7f";
  const HttpResponse created = create_version(
      http, {{"name", "fixture3-classifier"}, {"source", "s3://bucket/regressor"}, {"model_id", regressor}});
  ASSERT_EQ(created.status, 200) << created.describe();
  EXPECT_EQ(created.json["model_version"]["run_id"], "c0a47b94149d4d98a5fcd68b37d282ca");
  EXPECT_FALSE(created.json["model_version"].contains("model_id")) << "the 3.6 server does not answer it";
  EXPECT_EQ(logged_model_tag(server.database(), regressor, kRecordedModelVersionsKey),
            R"([{"name": "fixture3-classifier", "version": 2}, {"name": "fixture3-classifier", "version": 3}])");
}

TEST(RegistryLoggedModels, MistakesAreClientErrors) {
  ServerOnFixture server("mlflow-3-sample.sqlite");
  auto http = server.client();
  const auto expect_error = [&](const Json& body, int status, const std::string& code) {
    const HttpResponse response = create_version(http, body);
    EXPECT_EQ(response.status, status) << body.dump() << ": " << response.describe();
    EXPECT_EQ(response.error_code(), code) << body.dump();
  };
  const std::string missing = "m-00000000000000000000000000000000";
  const std::string deleted = "m-f3c6f43a535c450dbd14c17e26a16dfb";
  for (const std::string& model_id : {missing, deleted}) {
    expect_error({{"name", "fixture3-classifier"}, {"source", "models:/" + model_id}}, 404, "RESOURCE_DOES_NOT_EXIST");
    expect_error({{"name", "fixture3-classifier"}, {"source", "models:/" + model_id}, {"model_id", model_id}}, 404,
                 "RESOURCE_DOES_NOT_EXIST");
    expect_error({{"name", "fixture3-classifier"}, {"source", "s3://bucket/model"}, {"model_id", model_id}}, 404,
                 "RESOURCE_DOES_NOT_EXIST");
  }
  expect_error({{"name", "fixture3-classifier"}, {"source", "models:/"}}, 400, "INVALID_PARAMETER_VALUE");
  expect_error({{"name", "fixture3-classifier"}, {"source", "models:/fixture3-classifier@champion"}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error({{"name", "fixture3-classifier"}, {"source", "s3://bucket/model"}, {"model_id", 7}}, 400,
               "INVALID_PARAMETER_VALUE");
  expect_error({{"name", "not-registered"},
                {"source", "models:/m-3b404acdcdf34ae3a28f8dc0885d7d7f"},
                {"model_id", "m-3b404acdcdf34ae3a28f8dc0885d7d7f"}},
               404, "RESOURCE_DOES_NOT_EXIST");
  // Nothing of that was written.
  const HttpResponse versions =
      http.get("/api/2.0/mlflow/model-versions/search?filter=name%3D%27fixture3-classifier%27");
  EXPECT_EQ(versions.json["model_versions"].size(), 2u);

  // The MLflow 2 forms keep their answers.
  const HttpResponse copy =
      create_version(http, {{"name", "fixture3-classifier"}, {"source", "models:/fixture3-classifier/1"}});
  ASSERT_EQ(copy.status, 200) << copy.describe();
  const HttpResponse uri =
      http.get("/api/2.0/mlflow/model-versions/get-download-uri?name=fixture3-classifier&version=3");
  EXPECT_EQ(uri.json["artifact_uri"], "mlflow-artifacts:/1/models/m-56cbf5817a4f40f08034bff98bf7df02/artifacts");
}

TEST(RegistryLoggedModels, Mlflow29DatabaseAnswersTheUpgradeHint) {
  ServerOnFixture server("mlflow-2.9.2-sample.sqlite");
  auto http = server.client();
  for (const Json& body :
       {Json{{"name", "fixture-classifier"}, {"source", "models:/m-56cbf5817a4f40f08034bff98bf7df02"}},
        Json{{"name", "fixture-classifier"},
             {"source", "s3://bucket/model"},
             {"model_id", "m-56cbf5817a4f40f08034bff98bf7df02"}}}) {
    const HttpResponse response = create_version(http, body);
    EXPECT_EQ(response.status, 400) << response.describe();
    EXPECT_EQ(response.error_code(), "INVALID_STATE");
    EXPECT_NE(response.json.value("message", "").find("mlflowcpp db upgrade"), std::string::npos)
        << response.describe();
  }
  const HttpResponse copy =
      create_version(http, {{"name", "fixture-empty-model"}, {"source", "models:/fixture-classifier/1"}});
  EXPECT_EQ(copy.status, 200) << copy.describe();
}

}  // namespace
}  // namespace mlflowcpp::integration
