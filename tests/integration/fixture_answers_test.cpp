// Replays the read calls recorded against the official MLflow 2.9.2 server
// (tests/fixtures/mlflow-2.9.2-sample.answers.json) on a copy of the database it
// wrote, and compares our answers with its answers.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "integration/tracking_api.hpp"
#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::recorded_calls;

class FixtureAnswers : public ::testing::TestWithParam<size_t> {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<testing::FixtureServer>("mlflow-2.9.2-sample.sqlite"); }
  static void TearDownTestSuite() { server_.reset(); }

  static std::unique_ptr<testing::FixtureServer> server_;
};

std::unique_ptr<testing::FixtureServer> FixtureAnswers::server_;

TEST_P(FixtureAnswers, MatchesOfficialServer) {
  ASSERT_TRUE(server_) << "server did not start";
  const Json& call = recorded_calls().at(GetParam());
  const std::string method = call.at("method");
  const std::string path = call.at("path");
  SCOPED_TRACE(method + " " + path + (call["body"].is_null() ? "" : " " + call["body"].dump()));

  HttpClient http = server_->client();
  const HttpResponse response = testing::send_recorded_call(http, call);
  const auto difference = testing::recorded_answer_difference(call, response);
  EXPECT_FALSE(difference.has_value()) << difference.value_or("");
}

// Test names say which call it is: "07_runs_get".
std::string call_name(const ::testing::TestParamInfo<size_t>& info) { return testing::recorded_call_name(info.param); }

INSTANTIATE_TEST_SUITE_P(Recorded, FixtureAnswers, ::testing::Range<size_t>(0, recorded_calls().size()), call_name);

TEST(FixtureFile, HasTheTwentyTwoCalls) { EXPECT_EQ(recorded_calls().size(), 22u); }

}  // namespace
}  // namespace mlflowcpp::integration
