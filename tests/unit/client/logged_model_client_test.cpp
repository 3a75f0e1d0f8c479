// MlflowClient's MLflow 3 calls (logged models, runs/outputs, metrics on a
// model, registering and resolving models:/<model_id>) against the answers
// recorded from the official MLflow 3.6 server
// (tests/fixtures/mlflow-3-sample.answers.json): each call must send the
// recorded request and read the recorded answer.

#include <mlflowcpp/client.hpp>

#include "client/url.hpp"
#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>

namespace mlflowcpp {
namespace {

using protocol::Json;
using testing::recorded_mlflow3_calls;

constexpr const char* kClassifierId = "m-56cbf5817a4f40f08034bff98bf7df02";
constexpr const char* kRegressorId = "m-3b404acdcdf34ae3a28f8dc0885d7d7f";
constexpr const char* kCandidateId = "m-6fa18b4215cb45d6b8975f0acd925217";
constexpr const char* kMissingId = "m-00000000000000000000000000000000";
constexpr const char* kTrainB = "c0a47b94149d4d98a5fcd68b37d282ca";

// Answers the recorded calls given, in order. Each request must be the recorded
// one: the same method, path (with its query) and JSON body.
class FixtureReplay : public Connection {
 public:
  explicit FixtureReplay(std::deque<int> calls) : calls_(std::move(calls)) {}

  HttpResponse send(const HttpRequest& request) override {
    std::string target = request.path;
    if (!request.query.empty()) target += "?" + client::encode_query(request.query);
    if (calls_.empty()) {
      ADD_FAILURE() << "no recorded call left for " << request.method << " " << target << " " << request.body;
      return HttpResponse{599, "{}", {}};
    }
    const int index = calls_.front();
    calls_.pop_front();
    const Json& call = recorded_mlflow3_calls().at(static_cast<size_t>(index));
    EXPECT_EQ(request.method, call["method"]) << "call " << index;
    EXPECT_EQ(target, call["path"]) << "call " << index;
    EXPECT_TRUE(same_body(call["body"], request.body))
        << "call " << index << ": sent " << request.body << ", recorded " << call["body"].dump();
    return HttpResponse{call["status"].get<int>(), call["response"].dump(), {}};
  }

  bool done() const { return calls_.empty(); }

 private:
  // A recorded call without a body matches an empty one or "{}". The client
  // may add run_uuid beside run_id, as MLflow's clients do for older servers.
  static bool same_body(const Json& recorded, const std::string& sent) {
    if (recorded.is_null()) return sent.empty() || Json::parse(sent) == Json::object();
    if (sent.empty()) return false;
    Json body = Json::parse(sent);
    if (body.contains("run_uuid") && body.contains("run_id") && body["run_uuid"] == body["run_id"] &&
        !recorded.contains("run_uuid")) {
      body.erase("run_uuid");
    }
    return body == recorded;
  }

  std::deque<int> calls_;
};

using testing::thrown_error_code;

class LoggedModelCalls : public ::testing::Test {
 protected:
  MlflowClient client_for(std::deque<int> calls) {
    replay_ = std::make_shared<FixtureReplay>(std::move(calls));
    return MlflowClient(replay_);
  }
  void TearDown() override {
    if (replay_) {
      EXPECT_TRUE(replay_->done()) << "not every recorded call was made";
    }
  }

  std::shared_ptr<FixtureReplay> replay_;
};

TEST_F(LoggedModelCalls, GetReadsEveryField) {
  MlflowClient client = client_for({0, 2, 3, 4});
  LoggedModel classifier = client.get_logged_model(kClassifierId);
  EXPECT_EQ(classifier.info.model_id, kClassifierId);
  EXPECT_EQ(classifier.info.experiment_id, "1");
  EXPECT_EQ(classifier.info.name, "classifier");
  EXPECT_EQ(classifier.info.status, LoggedModelStatus::kReady);
  EXPECT_EQ(classifier.info.model_type, "classifier");
  EXPECT_EQ(classifier.info.source_run_id, "17bace8578164956982781e3cc370714");
  EXPECT_EQ(classifier.info.artifact_uri, "mlflow-artifacts:/1/models/" + std::string(kClassifierId) + "/artifacts");
  EXPECT_EQ(classifier.info.tags.size(), 5u);
  ASSERT_EQ(classifier.data.params.size(), 4u);
  EXPECT_EQ(classifier.data.params[0].key, "alpha");
  ASSERT_EQ(classifier.data.metrics.size(), 3u);
  EXPECT_EQ(classifier.data.metrics[1].key, "accuracy");
  EXPECT_EQ(classifier.data.metrics[1].dataset_name, "iris-eval");
  EXPECT_EQ(classifier.data.metrics[1].run_id, "17bace8578164956982781e3cc370714");
  EXPECT_FALSE(classifier.data.metrics[0].dataset_name.has_value());

  LoggedModel draft = client.get_logged_model("m-2de0229370574a0085b4ab501aa314d9");
  EXPECT_EQ(draft.info.status, LoggedModelStatus::kPending);
  EXPECT_EQ(draft.info.model_type, "");  // present but empty, as the server sends it
  EXPECT_TRUE(draft.data.params.empty());

  EXPECT_EQ(thrown_error_code([&] { client.get_logged_model("m-f3c6f43a535c450dbd14c17e26a16dfb"); }),
            ErrorCode::kResourceDoesNotExist);  // deleted
  EXPECT_EQ(thrown_error_code([&] { client.get_logged_model(kMissingId); }), ErrorCode::kResourceDoesNotExist);
}

TEST_F(LoggedModelCalls, SearchSendsFiltersOrderingsAndDatasets) {
  MlflowClient client = client_for({5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
  SearchLoggedModelsRequest request;
  request.experiment_ids = {"1"};
  Page<LoggedModel> page = client.search_logged_models(request);
  EXPECT_EQ(page.items.size(), 2u);  // classifier and regressor; "discarded" is deleted
  EXPECT_TRUE(page.next_page_token.empty());

  request.experiment_ids = {"1", "2"};
  EXPECT_EQ(client.search_logged_models(request).items.size(), 3u);

  request.filter = "name = 'classifier'";
  page = client.search_logged_models(request);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.model_id, kClassifierId);

  request.filter = "name LIKE '%r'";
  client.search_logged_models(request);

  request.experiment_ids = {"1"};
  for (const char* filter : {"metrics.accuracy > 0.9", "params.alpha = '0.1' AND tags.framework = 'sklearn'",
                             "metrics.rmse < 1", "source_run_id = '17bace8578164956982781e3cc370714'"}) {
    request.filter = filter;
    EXPECT_FALSE(client.search_logged_models(request).items.empty()) << filter;
  }

  SearchLoggedModelsRequest ordered;
  ordered.experiment_ids = {"1", "2"};
  ordered.order_by = {{"name", true, std::nullopt, std::nullopt}};
  page = client.search_logged_models(ordered);
  ASSERT_EQ(page.items.size(), 3u);
  EXPECT_EQ(page.items[0].info.name, "classifier");
  ordered.order_by = {{"metrics.accuracy", false, std::nullopt, std::nullopt}};
  client.search_logged_models(ordered);

  SearchLoggedModelsRequest on_dataset;
  on_dataset.experiment_ids = {"1"};
  on_dataset.order_by = {{"metrics.accuracy", std::nullopt, "iris-eval", "d1g3st"}};
  client.search_logged_models(on_dataset);
  on_dataset.order_by.clear();
  on_dataset.datasets = {{"iris-eval", "d1g3st"}};
  client.search_logged_models(on_dataset);
}

TEST_F(LoggedModelCalls, SearchAllFollowsThePageTokens) {
  MlflowClient client = client_for({17, 18});
  SearchLoggedModelsRequest request;
  request.experiment_ids = {"1", "2"};
  request.max_results = 2;
  request.order_by = {{"name", std::nullopt, std::nullopt, std::nullopt}};
  std::vector<LoggedModel> all = client.search_all_logged_models(request);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].info.name, "classifier");
  EXPECT_EQ(all[2].info.name, "regressor");
}

TEST_F(LoggedModelCalls, SearchMistakesAreInvalidParameters) {
  MlflowClient client = client_for({19, 20, 21});
  SearchLoggedModelsRequest request;
  request.experiment_ids = {"1"};
  request.filter = "bogus.key = 'x'";
  EXPECT_EQ(thrown_error_code([&] { client.search_logged_models(request); }), ErrorCode::kInvalidParameterValue);
  request.filter = "name = 'a' OR name = 'b'";
  EXPECT_EQ(thrown_error_code([&] { client.search_logged_models(request); }), ErrorCode::kInvalidParameterValue);
  request.filter.clear();
  request.order_by = {{"params.alpha", std::nullopt, std::nullopt, std::nullopt}};
  EXPECT_EQ(thrown_error_code([&] { client.search_logged_models(request); }), ErrorCode::kInvalidParameterValue);
}

TEST_F(LoggedModelCalls, CreateSendsWhatIsGiven) {
  MlflowClient client = client_for({36, 37, 39});
  CreateLoggedModelRequest request;
  request.experiment_id = "1";
  request.name = "candidate";
  request.model_type = "agent";
  request.source_run_id = kTrainB;
  request.params = {{"temperature", "0.2"}};
  request.tags = {{"owner", "ana"}, {"tmp", "1"}};
  LoggedModel candidate = client.create_logged_model(request);
  EXPECT_EQ(candidate.info.model_id, kCandidateId);
  EXPECT_EQ(candidate.info.status, LoggedModelStatus::kPending);
  EXPECT_EQ(candidate.info.artifact_uri, "mlflow-artifacts:/1/models/" + std::string(kCandidateId) + "/artifacts");

  CreateLoggedModelRequest bare;
  bare.experiment_id = "2";
  LoggedModel named_by_server = client.create_logged_model(bare);
  EXPECT_FALSE(named_by_server.info.name.empty());
  EXPECT_EQ(named_by_server.info.source_run_id, "");

  CreateLoggedModelRequest nowhere;
  nowhere.experiment_id = "987654321";
  nowhere.name = "x";
  EXPECT_EQ(thrown_error_code([&] { client.create_logged_model(nowhere); }), ErrorCode::kResourceDoesNotExist);
}

TEST_F(LoggedModelCalls, ParamsTagsAndFinalize) {
  MlflowClient client = client_for({40, 41, 42, 43, 48});
  client.log_model_params(kCandidateId, {{"top_p", "0.9"}});
  client.set_logged_model_tags(kCandidateId, {{"owner", "bo"}, {"stage", "qa"}});
  client.delete_logged_model_tag(kCandidateId, "tmp");
  EXPECT_EQ(thrown_error_code([&] { client.delete_logged_model_tag(kCandidateId, "no-such-tag"); }),
            ErrorCode::kResourceDoesNotExist);
  LoggedModel ready = client.finalize_logged_model(kCandidateId, LoggedModelStatus::kReady);
  EXPECT_EQ(ready.info.status, LoggedModelStatus::kReady);
  ASSERT_EQ(ready.data.params.size(), 2u);
  EXPECT_EQ(ready.data.params[1].key, "top_p");
}

TEST_F(LoggedModelCalls, RunOutputsAndMetricsOnAModel) {
  MlflowClient client = client_for({49, 50, 52, 54});
  client.log_outputs(kTrainB, {{kCandidateId, 1}});
  EXPECT_EQ(thrown_error_code([&] {
              client.log_outputs("ffffffffffffffffffffffffffffffff", {{kCandidateId, 1}});
            }),
            ErrorCode::kResourceDoesNotExist);

  MetricOptions on_model;
  on_model.step = 1;
  on_model.timestamp = 1700000009000;
  on_model.model_id = kCandidateId;
  on_model.dataset_name = "iris-eval";
  on_model.dataset_digest = "d1g3st";
  client.log_metric(kTrainB, "accuracy", 0.88, on_model);

  LoggedModel candidate = client.get_logged_model(kCandidateId);
  ASSERT_EQ(candidate.data.metrics.size(), 1u);
  EXPECT_EQ(candidate.data.metrics[0].dataset_digest, "d1g3st");
  EXPECT_EQ(candidate.data.metrics[0].run_id, kTrainB);
}

TEST_F(LoggedModelCalls, DeleteAndItsErrors) {
  MlflowClient client = client_for({59, 60, 61, 62, 63, 64});
  client.delete_logged_model(kCandidateId);
  EXPECT_EQ(thrown_error_code([&] { client.get_logged_model(kCandidateId); }), ErrorCode::kResourceDoesNotExist);
  client.delete_logged_model(kCandidateId);  // again: not an error
  EXPECT_EQ(thrown_error_code([&] { client.delete_logged_model(kMissingId); }), ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] { client.finalize_logged_model(kMissingId, LoggedModelStatus::kReady); }),
            ErrorCode::kResourceDoesNotExist);
  EXPECT_EQ(thrown_error_code([&] {
              client.set_logged_model_tags(kMissingId, {{"a", "b"}});
            }),
            ErrorCode::kResourceDoesNotExist);
}

TEST_F(LoggedModelCalls, ResolveAndDownloadUriOfAModelId) {
  MlflowClient client = client_for({57});
  EXPECT_EQ(client.resolve_model_uri("models:/" + std::string(kCandidateId)),
            "mlflow-artifacts:/1/models/" + std::string(kCandidateId) + "/artifacts");
}

TEST(LoggedModelRegistration, RegistersFromAModelIdAsMlflow3sClientDoes) {
  // registered-models/create is not in the recording: the model exists there, so it answers RESOURCE_ALREADY_EXISTS.
  auto replay = std::make_shared<FixtureReplay>(std::deque<int>{55});
  auto connection = std::make_shared<testing::RecordingConnection>([&](const HttpRequest& request) {
    if (request.path == "/api/2.0/mlflow/registered-models/create") {
      return testing::json_response(400, R"({"error_code":"RESOURCE_ALREADY_EXISTS","message":"exists"})");
    }
    return replay->send(request);
  });
  MlflowClient client(connection);
  ModelVersion version = client.register_model("models:/" + std::string(kCandidateId), "fixture3-classifier");
  EXPECT_EQ(version.version, "3");
  EXPECT_EQ(version.source, "models:/" + std::string(kCandidateId));
  EXPECT_EQ(version.run_id, kTrainB);  // the server takes it from the model's source run
  EXPECT_TRUE(replay->done());
}

TEST(MetricsOnAModel, LogBatchCarriesTheModelAndDatasetOfEachMetric) {
  auto connection = std::make_shared<testing::RecordingConnection>(
      [](const HttpRequest&) { return testing::json_response(200, "{}"); });
  MlflowClient client(connection);
  Metric on_model("accuracy", 0.9, 1700000000000, 2);
  on_model.model_id = kCandidateId;
  on_model.dataset_name = "iris-eval";
  on_model.dataset_digest = "d1g3st";
  client.log_batch(kTrainB, {on_model, Metric("loss", 0.1, 1700000000000, 2)});
  ASSERT_EQ(connection->requests().size(), 1u);
  Json metrics = Json::parse(connection->requests()[0].body)["metrics"];
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(metrics[0]["model_id"], kCandidateId);
  EXPECT_EQ(metrics[0]["dataset_name"], "iris-eval");
  EXPECT_EQ(metrics[0]["dataset_digest"], "d1g3st");
  EXPECT_FALSE(metrics[1].contains("model_id"));  // a plain run metric stays as 2.x servers know it
  EXPECT_FALSE(metrics[1].contains("dataset_name"));

  client.log_metric(kTrainB, "loss", 0.1);
  Json plain = Json::parse(connection->requests()[1].body);
  EXPECT_FALSE(plain.contains("model_id"));
  EXPECT_FALSE(plain.contains("dataset_digest"));
}

TEST(LoggedModelIdempotency, CreatesAndInsertsAreNotRepeatedSettersAre) {
  auto connection = std::make_shared<testing::RecordingConnection>(
      [](const HttpRequest&) { return testing::json_response(200, R"({"model":{"info":{"model_id":"m-1"}}})"); });
  MlflowClient client(connection);
  CreateLoggedModelRequest create;
  create.experiment_id = "1";
  client.create_logged_model(create);
  client.log_model_params(kCandidateId, {{"a", "1"}});
  client.log_outputs(kTrainB, {{kCandidateId, 0}});
  client.search_logged_models({{"1"}, "", {}, {}, std::nullopt, ""});
  client.finalize_logged_model(kCandidateId, LoggedModelStatus::kReady);
  client.set_logged_model_tags(kCandidateId, {{"a", "b"}});
  client.delete_logged_model_tag(kCandidateId, "a/b c");
  client.delete_logged_model(kCandidateId);
  auto requests = connection->requests();
  ASSERT_EQ(requests.size(), 8u);
  EXPECT_EQ(requests[0].idempotency, Idempotency::kNonIdempotent);  // a replay makes a second model
  EXPECT_EQ(requests[1].idempotency, Idempotency::kNonIdempotent);  // params rows are inserted
  EXPECT_EQ(requests[2].idempotency, Idempotency::kNonIdempotent);  // run outputs too
  for (size_t i = 3; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].idempotency, Idempotency::kIdempotent) << requests[i].method << " " << requests[i].path;
  }
  // A tag key is one path segment, whatever it holds.
  EXPECT_EQ(requests[6].path, "/api/2.0/mlflow/logged-models/" + std::string(kCandidateId) + "/tags/a%2Fb%20c");
}

TEST(LoggedModelIdempotency, EmptyIdsAreRefusedBeforeAnythingIsSent) {
  auto connection = std::make_shared<testing::RecordingConnection>(
      [](const HttpRequest&) { return testing::json_response(200, "{}"); });
  MlflowClient client(connection);
  EXPECT_EQ(thrown_error_code([&] { client.get_logged_model(""); }), ErrorCode::kInvalidParameterValue);
  EXPECT_EQ(thrown_error_code([&] { client.delete_logged_model_tag(kCandidateId, ""); }), ErrorCode::kInvalidParameterValue);
  EXPECT_TRUE(connection->requests().empty());
}

}  // namespace
}  // namespace mlflowcpp
