// The database the official MLflow 2.9.2 server wrote to PostgreSQL
// (tests/fixtures/mlflow-2.9.2-sample.postgres.sql), served as it is: the
// recorded read calls get the answers the official server gave for the same
// data in SQLite. The two databases were written by the same calls at other
// times, so run ids are translated by run name and wall-clock times are not
// compared.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "integration/tracking_api.hpp"
#include "testing/postgres_process.hpp"
#include "testing/recorded_answers.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::recorded_calls;

const std::set<std::string> kWallClockKeys = {"creation_time", "last_update_time", "creation_timestamp",
                                              "last_updated_timestamp"};

// Run name -> run id, from every run info in the recorded answers (the SQLite database).
void collect_recorded_run_ids(const Json& value, std::map<std::string, std::string>& ids) {
  if (value.is_object()) {
    if (value.contains("run_id") && value.contains("run_name") && value["run_name"].is_string()) {
      ids[value["run_name"]] = value["run_id"];
    }
    for (const auto& member : value) collect_recorded_run_ids(member, ids);
  } else if (value.is_array()) {
    for (const auto& element : value) collect_recorded_run_ids(element, ids);
  }
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class PostgresFixtureAnswers : public ::testing::TestWithParam<size_t> {
 protected:
  static void SetUpTestSuite() {
    postgres_ = std::make_unique<testing::PostgresProcess>();
    const std::string uri = postgres_->create_database("fixture");
    postgres_->psql_file("fixture", std::string(MLFLOWCPP_FIXTURES_DIR) + "/mlflow-2.9.2-sample.postgres.sql");

    std::map<std::string, std::string> recorded_ids;
    for (const auto& call : recorded_calls()) collect_recorded_run_ids(call["response"], recorded_ids);
    std::istringstream rows(postgres_->psql("fixture", "SELECT name || '|' || run_uuid FROM runs"));
    for (std::string row; std::getline(rows, row);) {
      const auto bar = row.find('|');
      const auto recorded = recorded_ids.find(row.substr(0, bar));
      if (bar != std::string::npos && recorded != recorded_ids.end()) {
        run_ids_[recorded->second] = row.substr(bar + 1);
      }
    }

    testing::ServerOptions options;
    options.backend_store_uri = uri;
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    postgres_.reset();
  }

  // `call` with the SQLite database's run ids replaced by the PostgreSQL one's.
  static Json translated(const Json& call) {
    std::string text = call.dump();
    for (const auto& [sqlite_id, postgres_id] : run_ids_) text = replace_all(text, sqlite_id, postgres_id);
    return Json::parse(text);
  }

  static std::unique_ptr<testing::PostgresProcess> postgres_;
  static std::unique_ptr<testing::ServerProcess> server_;
  static std::map<std::string, std::string> run_ids_;
};

std::unique_ptr<testing::PostgresProcess> PostgresFixtureAnswers::postgres_;
std::unique_ptr<testing::ServerProcess> PostgresFixtureAnswers::server_;
std::map<std::string, std::string> PostgresFixtureAnswers::run_ids_;

TEST_P(PostgresFixtureAnswers, MatchesOfficialServer) {
  ASSERT_TRUE(server_) << "server did not start";
  // Every run of the fixtures but bert-base, which no recorded answer shows.
  ASSERT_EQ(run_ids_.size(), 5u) << "runs of the two fixtures not matched by name";
  const Json call = translated(recorded_calls().at(GetParam()));
  SCOPED_TRACE(call["method"].get<std::string>() + " " + call["path"].get<std::string>() +
               (call["body"].is_null() ? "" : " " + call["body"].dump()));

  HttpClient http = server_->client();
  const HttpResponse response = testing::send_recorded_call(http, call);
  const auto difference = testing::recorded_answer_difference(call, response, kWallClockKeys);
  EXPECT_FALSE(difference.has_value()) << difference.value_or("");
}

std::string call_name(const ::testing::TestParamInfo<size_t>& info) { return testing::recorded_call_name(info.param); }

INSTANTIATE_TEST_SUITE_P(Recorded, PostgresFixtureAnswers, ::testing::Range<size_t>(0, recorded_calls().size()),
                         call_name);

}  // namespace
}  // namespace mlflowcpp::integration
