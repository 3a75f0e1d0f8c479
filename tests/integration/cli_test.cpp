// The `mlflowcpp` command line: version, bad flags, startup failures with a
// message, environment variables, artifact locations.

#include <gtest/gtest.h>

#include <regex>

#include "integration/tracking_api.hpp"
#include "testing/free_port.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

using testing::CommandResult;
using testing::run_command;
using testing::server_binary;

// `server` on a free port with the given store, expected to fail fast.
CommandResult start_failing_server(const std::vector<std::string>& extra_args, const testing::TempDir& dir) {
  std::vector<std::string> args = {"server", "--host", "127.0.0.1", "--port", std::to_string(testing::find_free_port()),
                                   "--artifacts-destination", (dir.path() / "mlartifacts").string()};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return run_command(server_binary(), args, {}, std::chrono::seconds(15));
}

::testing::AssertionResult FailedWithMessage(const CommandResult& result) {
  if (result.timed_out) return ::testing::AssertionFailure() << "still running at the deadline; output:\n" << result.output;
  if (result.exit_code == 0) return ::testing::AssertionFailure() << "exit code 0; output:\n" << result.output;
  if (result.output.empty()) return ::testing::AssertionFailure() << "exit code " << result.exit_code << " but no message";
  return ::testing::AssertionSuccess();
}

TEST(CliTest, VersionPrintsAVersion) {
  CommandResult result = run_command(server_binary(), {"--version"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(std::regex_search(result.output, std::regex(R"(\d+\.\d+\.\d+)"))) << result.output;
}

TEST(CliTest, BadFlagFailsWithAMessage) {
  CommandResult result = run_command(server_binary(), {"server", "--no-such-flag"});
  EXPECT_TRUE(FailedWithMessage(result));
  EXPECT_NE(result.output.find("no-such-flag"), std::string::npos) << result.output;

  CommandResult bad_command = run_command(server_binary(), {"no-such-command"});
  EXPECT_TRUE(FailedWithMessage(bad_command));

  CommandResult bad_port = run_command(server_binary(), {"server", "--port", "not-a-port"});
  EXPECT_TRUE(FailedWithMessage(bad_port));

  CommandResult missing_value = run_command(server_binary(), {"server", "--port"});
  EXPECT_TRUE(FailedWithMessage(missing_value));
}

TEST(CliTest, PortInUseFailsWithAMessage) {
  testing::ListeningSocket holder;
  testing::TempDir dir;
  CommandResult result = run_command(
      server_binary(),
      {"server", "--host", "127.0.0.1", "--port", std::to_string(holder.port()), "--backend-store-uri",
       "sqlite:///" + (dir.path() / "mlflow.db").string(), "--artifacts-destination", (dir.path() / "a").string()},
      {}, std::chrono::seconds(15));
  EXPECT_TRUE(FailedWithMessage(result));
  EXPECT_NE(result.output.find(std::to_string(holder.port())), std::string::npos)
      << "the message should name the port:\n" << result.output;
}

TEST(CliTest, PortOfAnotherServerIsInUse) {
  // A second server must not share the port of a running one (no SO_REUSEPORT).
  testing::ServerProcess first;
  testing::TempDir dir;
  CommandResult second = run_command(
      server_binary(),
      {"server", "--host", "127.0.0.1", "--port", std::to_string(first.port()), "--backend-store-uri",
       "sqlite:///" + (dir.path() / "mlflow.db").string(), "--artifacts-destination", (dir.path() / "a").string()},
      {}, std::chrono::seconds(5));
  EXPECT_TRUE(FailedWithMessage(second));
}

TEST(CliTest, GarbageDatabaseFileIsRefused) {
  testing::TempDir dir;
  const auto db = dir.path() / "garbage.db";
  std::string garbage;
  for (int i = 0; i < 512; ++i) garbage += "this is not an SQLite database ";
  testing::write_file(db, garbage);
  CommandResult result = start_failing_server({"--backend-store-uri", "sqlite:///" + db.string()}, dir);
  EXPECT_TRUE(FailedWithMessage(result));
  // The file is left as it was.
  EXPECT_EQ(testing::read_file(db), garbage);
}

TEST(CliTest, UnusableDatabasePathIsRefused) {
  testing::TempDir dir;
  // A directory where the database file should be.
  std::filesystem::create_directories(dir.path() / "a-directory.db");
  CommandResult directory = start_failing_server({"--backend-store-uri", "sqlite:///" + (dir.path() / "a-directory.db").string()}, dir);
  EXPECT_TRUE(FailedWithMessage(directory));
  // A file inside a directory that does not exist.
  CommandResult missing_parent =
      start_failing_server({"--backend-store-uri", "sqlite:///" + (dir.path() / "no" / "such" / "dir.db").string()}, dir);
  EXPECT_TRUE(FailedWithMessage(missing_parent));
}

TEST(CliTest, UnsupportedStoreUriIsRefused) {
  testing::TempDir dir;
  CommandResult postgres = start_failing_server({"--backend-store-uri", "postgresql://u:p@127.0.0.1:1/db"}, dir);
  EXPECT_TRUE(FailedWithMessage(postgres));
  CommandResult file_store = start_failing_server({"--backend-store-uri", (dir.path() / "mlruns").string()}, dir);
  EXPECT_TRUE(FailedWithMessage(file_store));
}

TEST(CliTest, UnknownAlembicRevisionIsRefused) {
  testing::TempDir dir;
  const auto db = dir.path() / "future.db";
  // Rewrite the stored revision in place (same length keeps the SQLite records valid).
  std::string bytes = testing::read_file(std::filesystem::path(MLFLOWCPP_FIXTURES_DIR) / "mlflow-2.9.2-sample.sqlite");
  const std::string current = "acf3f17fdcc7", future = "ffff00000000";
  size_t replaced = 0;
  for (size_t at = bytes.find(current); at != std::string::npos; at = bytes.find(current, at)) {
    bytes.replace(at, current.size(), future);
    replaced++;
  }
  ASSERT_GT(replaced, 0u);
  testing::write_file(db, bytes);
  CommandResult result = start_failing_server({"--backend-store-uri", "sqlite:///" + db.string()}, dir);
  EXPECT_TRUE(FailedWithMessage(result));
  EXPECT_NE(result.output.find("ffff00000000"), std::string::npos) << "the message should name the revision:\n"
                                                                  << result.output;
}

TEST(CliTest, UnsupportedMlflowFlagsAreRefused) {
  testing::TempDir dir;
  for (const std::vector<std::string>& flag :
       {std::vector<std::string>{"--gunicorn-opts", "x"}, {"--waitress-opts", "x"}, {"--app-name", "custom-app"},
        {"--uvicorn-opts", "x"}}) {
    std::vector<std::string> args = {"--backend-store-uri", "sqlite:///" + (dir.path() / "m.db").string()};
    args.insert(args.end(), flag.begin(), flag.end());
    CommandResult result = start_failing_server(args, dir);
    EXPECT_TRUE(FailedWithMessage(result)) << flag[0];
    EXPECT_NE(result.output.find(flag[0]), std::string::npos) << "the message should name " << flag[0] << ":\n"
                                                              << result.output;
  }
}

TEST(CliTest, BackendStoreUriFromEnvironment) {
  testing::TempDir dir;
  const auto env_db = dir.path() / "from-env.db";
  testing::ServerOptions options;
  options.work_dir = dir.path();
  options.pass_backend_store_uri = false;
  options.environment["MLFLOW_BACKEND_STORE_URI"] = "sqlite:///" + env_db.string();
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  TrackingApi(http).create_experiment("env-store");
  EXPECT_TRUE(std::filesystem::exists(env_db)) << server.log();
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "mlflow.db"));
}

TEST(CliTest, ArtifactLocationsWithServingOn) {
  testing::ServerProcess server;
  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string id = api.create_experiment("served");
  EXPECT_EQ(api.get_experiment(id)["artifact_location"], "mlflow-artifacts:/" + id);
  Json run = api.create_run_json(id, {{"start_time", 1}});
  const std::string run_id = run["run"]["info"]["run_id"];
  EXPECT_EQ(run["run"]["info"]["artifact_uri"], "mlflow-artifacts:/" + id + "/" + run_id + "/artifacts");
}

TEST(CliTest, ArtifactLocationsWithDefaultArtifactRoot) {
  testing::TempDir root_dir;
  const std::string root = (root_dir.path() / "artifact-root").string();
  testing::ServerOptions options;
  options.extra_args = {"--default-artifact-root", root};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string id = api.create_experiment("rooted");
  EXPECT_EQ(api.get_experiment(id)["artifact_location"], root + "/" + id);
  Json run = api.create_run_json(id, {{"start_time", 1}});
  const std::string run_id = run["run"]["info"]["run_id"];
  EXPECT_EQ(run["run"]["info"]["artifact_uri"], root + "/" + id + "/" + run_id + "/artifacts");

  testing::ServerOptions s3;
  s3.extra_args = {"--default-artifact-root", "s3://bucket/prefix"};
  testing::ServerProcess s3_server(s3);
  HttpClient s3_http = s3_server.client();
  TrackingApi s3_api(s3_http);
  const std::string s3_id = s3_api.create_experiment("in-s3");
  EXPECT_EQ(s3_api.get_experiment(s3_id)["artifact_location"], "s3://bucket/prefix/" + s3_id);
}

TEST(CliTest, SigtermStopsTheServerPromptly) {
  testing::ServerProcess server;
  const auto started = std::chrono::steady_clock::now();
  const int exit_code = server.stop();
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_LT(took, std::chrono::seconds(5)) << "needed SIGKILL?";
  EXPECT_EQ(exit_code, 0) << server.log();
  // And the data survives a restart.
  server.restart();
  EXPECT_EQ(server.client().get("/health").status, 200);
}

}  // namespace
}  // namespace mlflowcpp::integration
