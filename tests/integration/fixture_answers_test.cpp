// Replays the read calls recorded against the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json) on a copy of the database it
// wrote, and compares our answers with its answers.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "integration/tracking_api.hpp"
#include "testing/json_compare.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

const std::filesystem::path kFixtures = MLFLOWCPP_FIXTURES_DIR;

const Json& recorded_calls() {
  static const Json calls = [] {
    std::ifstream in(kFixtures / "mlflow-2.9.2-sample.answers.json");
    return Json::parse(in).at("calls");
  }();
  return calls;
}

// Arrays whose order the protocol defines; every other array is compared as a set.
testing::JsonCompareRules rules_for(const std::string& path) {
  testing::JsonCompareRules rules;
  rules.ordered_array_keys = {"runs", "experiments", "registered_models"};
  // model-versions/search orders by name, then version DESC; get-latest-versions has no order.
  if (path.find("/model-versions/search") != std::string::npos) rules.ordered_array_keys.insert("model_versions");
  rules.opaque_string_keys = {"next_page_token"};
  return rules;
}

class FixtureAnswers : public ::testing::TestWithParam<size_t> {
 protected:
  static void SetUpTestSuite() {
    data_dir_ = std::make_unique<testing::TempDir>("mlflowcpp-fixture");
    const auto db = data_dir_->path() / "mlflow.db";
    std::filesystem::copy_file(kFixtures / "mlflow-2.9.2-sample.sqlite", db);
    testing::ServerOptions options;
    options.work_dir = data_dir_->path();
    options.backend_store_uri = "sqlite:///" + db.string();
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    data_dir_.reset();
  }

  static std::unique_ptr<testing::TempDir> data_dir_;
  static std::unique_ptr<testing::ServerProcess> server_;
};

std::unique_ptr<testing::TempDir> FixtureAnswers::data_dir_;
std::unique_ptr<testing::ServerProcess> FixtureAnswers::server_;

TEST_P(FixtureAnswers, MatchesOfficialServer) {
  ASSERT_TRUE(server_) << "server did not start";
  const Json& call = recorded_calls().at(GetParam());
  const std::string method = call.at("method");
  const std::string path = call.at("path");
  SCOPED_TRACE(method + " " + path + (call["body"].is_null() ? "" : " " + call["body"].dump()));

  HttpClient http = server_->client();
  HttpResponse response = method == "GET" ? http.get(path) : http.post(path, call["body"]);

  const int expected_status = call.at("status");
  const Json& expected = call.at("response");
  ASSERT_EQ(response.status, expected_status) << response.describe();
  ASSERT_TRUE(response.json.is_object()) << response.describe();
  if (expected_status != 200) {
    // Error messages need not match word for word; the code must.
    EXPECT_EQ(response.error_code(), expected.value("error_code", "")) << response.describe();
    return;
  }
  auto difference = testing::first_json_difference(expected, response.json, rules_for(path));
  EXPECT_FALSE(difference.has_value()) << "first difference at " << difference.value_or("") << "\nexpected: "
                                       << expected.dump() << "\ngot:      " << response.body;
}

// Test names say which call it is: "07_runs_get".
std::string call_name(const ::testing::TestParamInfo<size_t>& info) {
  std::string path = recorded_calls().at(info.param).at("path");
  path = path.substr(0, path.find('?'));
  const std::string prefix = "/api/2.0/mlflow/";
  if (path.rfind(prefix, 0) == 0) path = path.substr(prefix.size());
  std::string name = (info.param < 10 ? "0" : "") + std::to_string(info.param) + "_";
  for (char c : path) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Recorded, FixtureAnswers, ::testing::Range<size_t>(0, recorded_calls().size()), call_name);

TEST(FixtureFile, HasTheTwentyTwoCalls) { EXPECT_EQ(recorded_calls().size(), 22u); }

}  // namespace
}  // namespace mlflowcpp::integration
