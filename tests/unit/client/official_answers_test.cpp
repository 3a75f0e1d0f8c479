// The client against answers recorded from the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json): for each recorded call the
// client must send an equivalent request and read the recorded answer correctly.

#include <mlflowcpp/client.hpp>

#include "client/url.hpp"
#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace mlflowcpp {
namespace {

using protocol::Json;
using testing::recorded_calls;
using testing::RecordingConnection;


// Replays the one recorded call whose method and path+query match the client's request.
class ReplayConnection : public Connection {
 public:
  HttpResponse send(const HttpRequest& request) override {
    std::string target = request.path;
    if (!request.query.empty()) target += "?" + client::encode_query(request.query);
    for (const auto& call : recorded_calls()) {
      if (call["method"] != request.method) continue;
      if (request.method == "GET" ? !same_query(call["path"].get<std::string>(), target)
                                  : call["path"] != request.path || !body_matches(call["body"], request.body)) {
        continue;
      }
      return HttpResponse{call["status"].get<int>(), call["response"].dump(), {}};
    }
    ADD_FAILURE() << "no recorded call matches " << request.method << " " << target << " " << request.body;
    return HttpResponse{599, "{}", {}};
  }

 private:
  // Every recorded query parameter is sent with the same value (the client may add its own, e.g. max_results).
  static bool same_query(const std::string& recorded, const std::string& sent) {
    auto split = [](const std::string& target) {
      std::pair<std::string, std::vector<std::string>> parts;
      auto question = target.find('?');
      parts.first = target.substr(0, question);
      if (question == std::string::npos) return parts;
      std::string query = target.substr(question + 1);
      size_t start = 0;
      while (start <= query.size()) {
        size_t end = query.find('&', start);
        if (end == std::string::npos) end = query.size();
        parts.second.push_back(query.substr(start, end - start));
        start = end + 1;
      }
      return parts;
    };
    auto [recorded_path, recorded_params] = split(recorded);
    auto [sent_path, sent_params] = split(sent);
    if (recorded_path != sent_path) return false;
    for (const auto& param : recorded_params) {
      if (std::find(sent_params.begin(), sent_params.end(), param) == sent_params.end()) return false;
    }
    return true;
  }

  // Every recorded field is sent with the same value; extra fields sent must be defaults.
  static bool body_matches(const Json& recorded, const std::string& sent_text) {
    Json sent = Json::parse(sent_text);
    for (const auto& [key, value] : recorded.items()) {
      if (!sent.contains(key) || sent[key] != value) return false;
    }
    for (const auto& [key, value] : sent.items()) {
      if (recorded.contains(key)) continue;
      bool is_default = (key == "view_type" || key == "run_view_type") ? value == "ACTIVE_ONLY" : false;
      if (!is_default) return false;
    }
    return true;
  }
};

class OfficialAnswers : public ::testing::Test {
 protected:
  MlflowClient client_{std::make_shared<ReplayConnection>()};
};

TEST_F(OfficialAnswers, Experiments) {
  Experiment default_experiment = client_.get_experiment("0");
  EXPECT_EQ(default_experiment.name, "Default");
  EXPECT_EQ(default_experiment.artifact_location, "mlflow-artifacts:/0");
  EXPECT_GT(default_experiment.creation_time, 0);

  Experiment vision = client_.get_experiment("1");
  EXPECT_EQ(vision.name, "fixture-vision");
  ASSERT_EQ(vision.tags.size(), 2u);

  auto deleted = client_.get_experiment_by_name("fixture-deleted");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->lifecycle_stage, LifecycleStage::kDeleted);

  SearchExperimentsRequest request;
  request.max_results = 100;
  Page<Experiment> page = client_.search_experiments(request);
  EXPECT_EQ(page.items.size(), 3u);  // Default, fixture-vision, fixture-nlp
  EXPECT_TRUE(page.next_page_token.empty());

  request.view_type = ViewType::kDeletedOnly;
  page = client_.search_experiments(request);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].name, "fixture-deleted");

  SearchExperimentsRequest by_tag;
  by_tag.max_results = 10;
  by_tag.filter = "tags.team = 'cv'";
  page = client_.search_experiments(by_tag);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].experiment_id, "1");
}

TEST_F(OfficialAnswers, Runs) {
  mlflowcpp::Run run = client_.get_run("02d34d91fce84aaaaa9a828c8d4bded3");
  EXPECT_EQ(run.info.run_id, "02d34d91fce84aaaaa9a828c8d4bded3");
  EXPECT_EQ(run.info.run_name, "resnet-a");
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_TRUE(run.info.end_time.has_value());
  EXPECT_EQ(run.data.params.size(), 3u);
  EXPECT_FALSE(run.data.metrics.empty());
  ASSERT_EQ(run.inputs.dataset_inputs.size(), 1u);
  EXPECT_EQ(run.inputs.dataset_inputs[0].dataset.name, "imagenet-mini");

  mlflowcpp::Run deleted = client_.get_run("6a8b34550d12443691197ca3f64b5117");
  EXPECT_EQ(deleted.info.lifecycle_stage, LifecycleStage::kDeleted);

  SearchRunsRequest failed;
  failed.experiment_ids = {"1"};
  failed.filter = "attributes.status = 'FAILED'";
  failed.max_results = 100;
  Page<mlflowcpp::Run> page = client_.search_runs(failed);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.run_name, "resnet-b");

  SearchRunsRequest deleted_only;
  deleted_only.experiment_ids = {"2"};
  deleted_only.view_type = ViewType::kDeletedOnly;
  deleted_only.max_results = 100;
  page = client_.search_runs(deleted_only);
  ASSERT_EQ(page.items.size(), 1u);

  SearchRunsRequest ordered;
  ordered.experiment_ids = {"1"};
  ordered.order_by = {"params.layers DESC"};
  ordered.max_results = 2;
  page = client_.search_runs(ordered);
  EXPECT_EQ(page.items.size(), 2u);
  EXPECT_FALSE(page.next_page_token.empty());
}

TEST_F(OfficialAnswers, MetricHistoryWithSpecialValues) {
  auto loss = client_.get_metric_history("02d34d91fce84aaaaa9a828c8d4bded3", "loss");
  EXPECT_EQ(loss.size(), 20u);
  auto grad = client_.get_metric_history("00355905421740eda8f035e7a7b8d91e", "grad_norm");
  ASSERT_EQ(grad.size(), 4u);
  EXPECT_TRUE(std::isnan(grad[0].value));
  EXPECT_DOUBLE_EQ(grad[1].value, 1.7976931348623157e308);  // how 2.9.2 stores +inf
}

}  // namespace
}  // namespace mlflowcpp
