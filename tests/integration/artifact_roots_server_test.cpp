// The artifact roots as the real binary applies them to what a database already
// holds: runs whose stored artifact URI lies outside the server's roots (an older
// database, changed flags) keep their data but their artifacts answer 403, until
// --allow-any-artifact-location lets the server serve any location.

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "integration/tracking_api.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

// Runs of experiment 1 in the MLflow 2.9.2 fixture; their URIs are rewritten below.
constexpr const char* kOutsideRun = "02d34d91fce84aaaaa9a828c8d4bded3";
constexpr const char* kSiblingRun = "00355905421740eda8f035e7a7b8d91e";
constexpr const char* kInsideRun = "84ad3abaf4c94d148b54b72d34c71d34";

class ArtifactRootsServerTest : public ::testing::Test {
 protected:
  ArtifactRootsServerTest() {
    testing::copy_fixture_database("mlflow-2.9.2-sample.sqlite", work_.path());
    // A directory of its own, and one whose name merely starts with the destination's.
    outside_ = outside_dir_.path() / "exp" / kOutsideRun / "artifacts";
    sibling_ = work_.path() / "mlartifacts-other" / kSiblingRun / "artifacts";
    for (const fs::path& dir : {outside_, sibling_}) {
      fs::create_directories(dir);
      testing::write_file(dir / "notes.txt", "outside the roots");
    }
    // Straight into the database, before any server opens it: as an older server
    // (or one with other flags) would have left these rows.
    SQLite::Database db((work_.path() / "mlflow.db").string(), SQLite::OPEN_READWRITE);
    SQLite::Statement experiment(db, "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 1");
    experiment.bind(1, (outside_dir_.path() / "exp").string());
    experiment.exec();
    for (const auto& [run, uri] : {std::pair<std::string, std::string>{kOutsideRun, "file://" + outside_.string()},
                                   {kSiblingRun, sibling_.string()}}) {
      SQLite::Statement update(db, "UPDATE runs SET artifact_uri = ? WHERE run_uuid = ?");
      update.bind(1, uri);
      update.bind(2, run);
      EXPECT_EQ(update.exec(), 1) << run;
    }
  }

  testing::ServerOptions server_options(std::vector<std::string> flags = {}) const {
    testing::ServerOptions options;
    options.work_dir = work_.path();
    options.extra_args = std::move(flags);
    return options;
  }

  static HttpResponse list(HttpClient& http, const std::string& run_id) {
    return http.get(kApi + "/artifacts/list?run_id=" + run_id);
  }
  static HttpResponse download(HttpClient& http, const std::string& run_id) {
    return http.get("/get-artifact?run_id=" + run_id + "&path=notes.txt");
  }

  testing::TempDir work_{"mlflowcpp-roots"};
  testing::TempDir outside_dir_{"mlflowcpp-outside"};
  fs::path outside_;
  fs::path sibling_;
};

TEST_F(ArtifactRootsServerTest, StoredLocationsOutsideTheRootsAreRefused) {
  testing::ServerProcess server(server_options());
  HttpClient http = server.client();
  for (const std::string run_id : {kOutsideRun, kSiblingRun}) {
    const HttpResponse listed = list(http, run_id);
    EXPECT_TRUE(IsError(listed, 403, "PERMISSION_DENIED")) << run_id;
    // The refusal names the roots the operator allowed.
    EXPECT_NE(listed.json.value("message", "").find(server.artifacts_dir().string()), std::string::npos)
        << listed.describe();
    EXPECT_TRUE(IsError(download(http, run_id), 403, "PERMISSION_DENIED")) << run_id;
    // The run itself is still served, with the URI it was stored with.
    const HttpResponse run = http.get(kApi + "/runs/get?run_id=" + run_id);
    ASSERT_TRUE(IsOk(run)) << run_id;
    EXPECT_NE(run.json["run"]["info"]["artifact_uri"].get<std::string>().find(run_id), std::string::npos);
  }
  // A run below the roots in the same experiment lists as before.
  EXPECT_TRUE(IsOk(list(http, kInsideRun)));
  EXPECT_TRUE(server.running());
}

TEST_F(ArtifactRootsServerTest, AllowAnyArtifactLocationServesThem) {
  testing::ServerProcess server(server_options({"--allow-any-artifact-location"}));
  HttpClient http = server.client();
  for (const std::string run_id : {kOutsideRun, kSiblingRun}) {
    const HttpResponse listed = list(http, run_id);
    ASSERT_TRUE(IsOk(listed)) << run_id;
    ASSERT_EQ(listed.json["files"].size(), 1u) << listed.describe();
    EXPECT_EQ(listed.json["files"][0]["path"], "notes.txt");
    const HttpResponse file = download(http, run_id);
    EXPECT_EQ(file.status, 200) << file.describe();
    EXPECT_EQ(file.body, "outside the roots");
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
