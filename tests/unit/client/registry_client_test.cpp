// The registry part of MlflowClient and the JSON form of the registry types:
// against answers recorded from the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json), and through a recording
// connection for what goes on the wire.

#include <mlflowcpp/client.hpp>

#include "protocol/registry_json.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>

namespace mlflowcpp {
namespace {

using protocol::Json;
using testing::json_response;
using testing::recorded_calls;
using testing::RecordingConnection;


bool is_registry_call(const Json& call) {
  const std::string path = call["path"].get<std::string>();
  return path.find("/registered-models/") != std::string::npos || path.find("/model-versions/") != std::string::npos;
}

std::string percent_decode(const std::string& text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      decoded += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += text[i] == '+' ? ' ' : text[i];
    }
  }
  return decoded;
}

// "a=1&b=x" into decoded (key, value) pairs.
std::multimap<std::string, std::string> parse_query(const std::string& query) {
  std::multimap<std::string, std::string> params;
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    std::size_t equals = pair.find('=');
    params.emplace(percent_decode(pair.substr(0, equals)),
                   equals == std::string::npos ? "" : percent_decode(pair.substr(equals + 1)));
    start = end + 1;
  }
  return params;
}

// Replays the recorded registry call matching the client's request: same method
// and path; for GET every recorded query parameter sent with the same value
// (the client may add max_results); for a body, the same JSON.
class ReplayConnection : public Connection {
 public:
  HttpResponse send(const HttpRequest& request) override {
    for (const auto& call : recorded_calls()) {
      if (!is_registry_call(call) || call["method"] != request.method) continue;
      const std::string recorded = call["path"].get<std::string>();
      const std::size_t question = recorded.find('?');
      if (recorded.substr(0, question) != request.path) continue;
      if (request.method == "GET") {
        auto recorded_params = parse_query(question == std::string::npos ? "" : recorded.substr(question + 1));
        std::multimap<std::string, std::string> sent(request.query.begin(), request.query.end());
        bool all_sent = std::all_of(recorded_params.begin(), recorded_params.end(), [&](const auto& param) {
          auto range = sent.equal_range(param.first);
          return std::any_of(range.first, range.second, [&](const auto& s) { return s.second == param.second; });
        });
        if (!all_sent) continue;
      } else if (Json::parse(request.body) != call["body"]) {
        continue;
      }
      return HttpResponse{call["status"].get<int>(), call["response"].dump(), {}};
    }
    ADD_FAILURE() << "no recorded call matches " << request.method << " " << request.path << " " << request.body;
    return HttpResponse{599, "{}", {}};
  }
};

// Every registered model and model version in the recorded answers.
std::vector<Json> recorded_objects(const char* single_key, const char* list_key) {
  std::vector<Json> objects;
  for (const auto& call : recorded_calls()) {
    if (!is_registry_call(call) || call["status"] != 200) continue;
    const Json& response = call["response"];
    if (response.contains(single_key)) objects.push_back(response[single_key]);
    if (response.contains(list_key)) {
      for (const auto& item : response[list_key]) objects.push_back(item);
    }
  }
  return objects;
}

TEST(RegistryJson, RecordedRegisteredModelsRoundTripExactly) {
  auto models = recorded_objects("registered_model", "registered_models");
  ASSERT_GE(models.size(), 3u);
  for (const auto& recorded : models) {
    EXPECT_EQ(protocol::to_json(protocol::registered_model_from_json(recorded)), recorded) << recorded.dump();
  }
}

TEST(RegistryJson, RecordedModelVersionsRoundTripExactly) {
  auto versions = recorded_objects("model_version", "model_versions");
  ASSERT_GE(versions.size(), 3u);
  for (const auto& recorded : versions) {
    EXPECT_EQ(protocol::to_json(protocol::model_version_from_json(recorded)), recorded) << recorded.dump();
  }
}

TEST(RegistryJson, AbsentAndEmptyStringsStayApart) {
  ModelVersion version = protocol::model_version_from_json(
      Json::parse(R"({"name": "m", "version": "4", "creation_timestamp": 5, "run_link": "", "status": "READY"})"));
  EXPECT_EQ(version.run_link, std::optional<std::string>(""));
  EXPECT_FALSE(version.description.has_value());
  EXPECT_EQ(version.status, ModelVersionStatus::kReady);
  Json back = protocol::to_json(version);
  EXPECT_TRUE(back.contains("run_link"));
  EXPECT_FALSE(back.contains("description"));
  EXPECT_FALSE(back.contains("tags"));
}

TEST(RegistryJson, VersionsAndStatusesInEitherProtobufForm) {
  ModelVersion version = protocol::model_version_from_json(Json::parse(R"({"version": 7, "status": 1})"));
  EXPECT_EQ(version.version, "7");
  EXPECT_EQ(version.status, ModelVersionStatus::kPendingRegistration);
  EXPECT_EQ(parse_model_version_status("FAILED_REGISTRATION"), ModelVersionStatus::kFailedRegistration);
  EXPECT_EQ(to_string(ModelVersionStatus::kReady), "READY");
  EXPECT_FALSE(parse_model_version_status("DONE"));
}

TEST(RegistryJson, WrongTypesAreInternalErrors) {
  try {
    protocol::model_version_from_json(Json::parse(R"({"name": "m", "status": "SOMETHING"})"));
    FAIL() << "an unknown status was accepted";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInternalError);
  }
  EXPECT_THROW(protocol::registered_model_from_json(Json::parse(R"({"name": 3})")), MlflowException);
  EXPECT_THROW(protocol::model_version_from_json(Json::parse(R"({"aliases": [1]})")), MlflowException);
  EXPECT_THROW(protocol::registered_model_from_json(Json::array()), MlflowException);
}

class OfficialRegistryAnswers : public ::testing::Test {
 protected:
  MlflowClient client_{std::make_shared<ReplayConnection>()};
};

TEST_F(OfficialRegistryAnswers, RegisteredModel) {
  RegisteredModel model = client_.get_registered_model("fixture-classifier");
  EXPECT_EQ(model.name, "fixture-classifier");
  EXPECT_EQ(model.description, std::optional<std::string>("image classifier"));
  ASSERT_EQ(model.latest_versions.size(), 2u);
  EXPECT_EQ(model.latest_versions[0].current_stage, std::optional<std::string>(kModelStageProduction));
  ASSERT_EQ(model.tags.size(), 1u);
  EXPECT_EQ(model.tags[0].key, "domain");
  ASSERT_EQ(model.aliases.size(), 2u);
  EXPECT_EQ(model.aliases[1].alias, "champion");
  EXPECT_EQ(model.aliases[1].version, "1");
}

TEST_F(OfficialRegistryAnswers, Searches) {
  SearchRegisteredModelsRequest models_request;
  models_request.max_results = 10;
  Page<RegisteredModel> models = client_.search_registered_models(models_request);
  ASSERT_EQ(models.items.size(), 2u);
  EXPECT_EQ(models.items[1].name, "fixture-empty-model");
  EXPECT_FALSE(models.items[1].description.has_value());
  EXPECT_TRUE(models.next_page_token.empty());

  SearchModelVersionsRequest versions_request;
  versions_request.filter = "name='fixture-classifier'";
  std::vector<ModelVersion> versions = client_.search_all_model_versions(versions_request);
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, "3");
  EXPECT_EQ(versions[1].run_id, std::optional<std::string>("02d34d91fce84aaaaa9a828c8d4bded3"));
}

TEST_F(OfficialRegistryAnswers, AliasesAndLatestVersions) {
  ModelVersion champion = client_.get_model_version_by_alias("fixture-classifier", "champion");
  EXPECT_EQ(champion.version, "1");
  EXPECT_EQ(champion.aliases, std::vector<std::string>{"champion"});
  EXPECT_EQ(champion.status, ModelVersionStatus::kReady);

  std::vector<ModelVersion> latest = client_.get_latest_versions("fixture-classifier");
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[1].current_stage, std::optional<std::string>(kModelStageStaging));
}

TEST_F(OfficialRegistryAnswers, DeletedVersionIsNotFound) {
  try {
    client_.get_model_version("fixture-classifier", "2");
    FAIL() << "a deleted version was returned";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kResourceDoesNotExist);
    EXPECT_EQ(error.http_status(), 404);
  }
}

// --- What goes on the wire ---------------------------------------------------------

class RegistryRequests : public ::testing::Test {
 protected:
  std::shared_ptr<RecordingConnection> connection_ =
      std::make_shared<RecordingConnection>([](const HttpRequest&) { return json_response(200, "{}"); });
  MlflowClient client_{connection_};

  HttpRequest last() const { return connection_->requests().back(); }
  Json last_body() const { return Json::parse(last().body); }
};

TEST_F(RegistryRequests, UpdatesArePatchAndDeletesCarryJsonBodies) {
  client_.update_registered_model("m", "new words");
  EXPECT_EQ(last().method, "PATCH");
  EXPECT_EQ(last().path, "/api/2.0/mlflow/registered-models/update");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "description": "new words"})"));

  client_.update_model_version("m", "2", std::nullopt);
  EXPECT_EQ(last().method, "PATCH");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "version": "2"})"));

  client_.delete_registered_model("m");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m"})"));

  client_.delete_registered_model_alias("m", "champion");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last().path, "/api/2.0/mlflow/registered-models/alias");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "alias": "champion"})"));

  client_.delete_model_version_tag("m", "3", "k");
  EXPECT_EQ(last().method, "DELETE");
  EXPECT_EQ(last().path, "/api/2.0/mlflow/model-versions/delete-tag");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "version": "3", "key": "k"})"));
}

TEST_F(RegistryRequests, CreateSendsOnlyWhatIsGiven) {
  CreateModelVersionRequest request;
  request.name = "m";
  request.source = "runs:/abc/model";
  request.tags = {{"k", "v"}};
  client_.create_model_version(request);
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(last_body(),
            Json::parse(R"({"name": "m", "source": "runs:/abc/model", "tags": [{"key": "k", "value": "v"}]})"));

  client_.transition_model_version_stage("m", "1", "production", true);
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "version": "1", "stage": "production",
                                         "archive_existing_versions": true})"));

  client_.get_latest_versions("m", {"Staging", "None"});
  EXPECT_EQ(last().method, "POST");
  EXPECT_EQ(last_body(), Json::parse(R"({"name": "m", "stages": ["Staging", "None"]})"));
}

TEST_F(RegistryRequests, SearchesAreGetsWithRepeatedOrderBy) {
  SearchRegisteredModelsRequest request;
  request.filter = "name LIKE 'a%'";
  request.order_by = {"name DESC", "creation_timestamp ASC"};
  request.max_results = 5;
  request.page_token = "tok";
  client_.search_registered_models(request);
  EXPECT_EQ(last().method, "GET");
  EXPECT_EQ(last().path, "/api/2.0/mlflow/registered-models/search");
  using Query = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(last().query, (Query{{"max_results", "5"},
                                 {"filter", "name LIKE 'a%'"},
                                 {"order_by", "name DESC"},
                                 {"order_by", "creation_timestamp ASC"},
                                 {"page_token", "tok"}}));
}

TEST(RegistryPaging, WalksEveryPageInOrder) {
  auto connection = std::make_shared<RecordingConnection>([](const HttpRequest& request) {
    std::string token;
    for (const auto& [key, value] : request.query) {
      if (key == "page_token") token = value;
    }
    if (token.empty()) return json_response(200, R"({"registered_models": [{"name": "a"}], "next_page_token": "p2"})");
    if (token == "p2") return json_response(200, R"({"registered_models": [{"name": "b"}], "next_page_token": "p3"})");
    return json_response(200, R"({"registered_models": [{"name": "c"}]})");
  });
  MlflowClient client(connection);
  SearchRegisteredModelsRequest request;
  request.max_results = 1;
  std::vector<RegisteredModel> all = client.search_all_registered_models(request);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[2].name, "c");
  EXPECT_EQ(connection->requests().size(), 3u);
}

TEST(RegistryPaging, RefusesAPageSizeThatNeverEnds) {
  auto connection = std::make_shared<RecordingConnection>(
      [](const HttpRequest&) { return json_response(200, R"({"next_page_token": "same"})"); });
  MlflowClient client(connection);
  SearchModelVersionsRequest request;
  request.max_results = 0;
  EXPECT_THROW(client.search_all_model_versions(request), MlflowException);
  EXPECT_TRUE(connection->requests().empty());
}

}  // namespace
}  // namespace mlflowcpp
