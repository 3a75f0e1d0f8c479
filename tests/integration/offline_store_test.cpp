// Offline runs: MlflowClient on a sqlite:/// (or postgresql://) tracking URI, served in this process by the store
// module with no server. The same calls as over HTTP, the same errors as the real server answers, artifacts in
// the real location, and a file the real `mlflowcpp server` then serves (as it would the official MLflow's).

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <SQLiteCpp/SQLiteCpp.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testing/expect_mlflow_error.hpp"
#include "testing/postgres_process.hpp"
#include "testing/scoped_environment.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

ClientOptions offline_options(const std::string& tracking_uri) {
  ClientOptions options;
  options.tracking_uri = tracking_uri;
  return options;
}

std::string sqlite_uri(const fs::path& database) { return "sqlite:///" + database.string(); }

// The exception `call` throws; a test failure when it throws none.
MlflowException thrown_by(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& error) {
    return error;
  }
  ADD_FAILURE() << "expected an MLflow error";
  return MlflowException(ErrorCode::kInternalError, "none thrown");
}

// Runs `body` with the working directory set to `directory`, then restores it.
void in_directory(const fs::path& directory, const std::function<void()>& body) {
  const fs::path before = fs::current_path();
  fs::current_path(directory);
  try {
    body();
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
}

class OfflineStoreTest : public ::testing::Test {
 protected:
  OfflineStoreTest() : artifact_root_env_({{"MLFLOW_DEFAULT_ARTIFACT_ROOT", (dir_ / "mlruns").string()}}) {}

  fs::path database() const { return dir_ / "runs.db"; }
  MlflowClient client() const { return MlflowClient(offline_options(sqlite_uri(database()))); }

  testing::TempDir dir_{"mlflowcpp-offline"};
  testing::ScopedEnvironment artifact_root_env_;
};

TEST_F(OfflineStoreTest, TracksExperimentsRunsAndHistoryIntoANewFile) {
  MlflowClient offline = client();
  const std::string experiment_id = offline.create_experiment("offline", "", {{"team", "a"}});
  EXPECT_EQ(offline.get_experiment(experiment_id).artifact_location,
            (dir_ / "mlruns" / experiment_id).lexically_normal().string());

  CreateRunRequest create;
  create.experiment_id = experiment_id;
  create.run_name = "first";
  const mlflowcpp::Run run = offline.create_run(create);
  const std::string run_id = run.info.run_id;
  EXPECT_EQ(run.info.artifact_uri, (dir_ / "mlruns" / experiment_id / run_id / "artifacts").string());
  offline.log_param(run_id, "lr", "0.01");
  offline.set_tag(run_id, "phase", "train");
  for (int step = 0; step < 5; ++step) offline.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, std::nullopt});
  offline.log_batch(run_id, {Metric{"acc", 0.9, 1000, 4}}, {Param{"epochs", "5"}}, {RunTag{"done", "yes"}});
  offline.set_terminated(run_id);

  const mlflowcpp::Run stored = offline.get_run(run_id);
  EXPECT_EQ(stored.info.run_name, "first");
  EXPECT_EQ(stored.info.status, RunStatus::kFinished);
  EXPECT_EQ(stored.data.params.size(), 2u);
  const auto history = offline.get_metric_history(run_id, "loss");
  ASSERT_EQ(history.size(), 5u);
  EXPECT_DOUBLE_EQ(history.back().value, 0.2);

  SearchRunsRequest search;
  search.experiment_ids = {experiment_id};
  search.filter = "metrics.loss < 0.5 and params.lr = '0.01'";
  const auto found = offline.search_all_runs(search);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].info.run_id, run_id);
  EXPECT_EQ(offline.search_all_experiments().size(), 2u);  // Default and ours
  EXPECT_TRUE(offline.get_experiment_by_name("offline").has_value());

  // Written in MLflow's own schema: the rows are where the official server keeps them.
  SQLite::Database db(database().string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM metrics WHERE run_uuid = '" + run_id + "'").getInt(), 6);
  EXPECT_EQ(db.execAndGet("SELECT value FROM params WHERE key = 'lr'").getString(), "0.01");
}

TEST_F(OfflineStoreTest, RegistryAndLoggedModels) {
  MlflowClient offline = client();
  const std::string experiment_id = offline.create_experiment("registry");
  CreateRunRequest create;
  create.experiment_id = experiment_id;
  const std::string run_id = offline.create_run(create).info.run_id;

  offline.create_registered_model("classifier", {{"owner", "ana"}}, "a model");
  CreateModelVersionRequest version;
  version.name = "classifier";
  version.source = "runs:/" + run_id + "/model";
  version.run_id = run_id;
  EXPECT_EQ(offline.create_model_version(version).version, "1");
  offline.set_registered_model_alias("classifier", "champion", "1");
  EXPECT_EQ(offline.get_model_version_by_alias("classifier", "champion").run_id.value_or(""), run_id);
  EXPECT_EQ(offline.search_all_model_versions().size(), 1u);

  CreateLoggedModelRequest model;
  model.experiment_id = experiment_id;
  model.name = "candidate";
  model.source_run_id = run_id;
  const LoggedModel logged = offline.create_logged_model(model);
  // No artifact proxy in-process: the model's artifacts are in the experiment's real location.
  EXPECT_EQ(logged.info.artifact_uri,
            (dir_ / "mlruns" / experiment_id / "models" / logged.info.model_id / "artifacts").string());
  EXPECT_EQ(offline.get_logged_model(logged.info.model_id).info.name, "candidate");
}

TEST_F(OfflineStoreTest, ArtifactsLandInTheDefaultRootUnderTheWorkingDirectory) {
  // Without MLFLOW_DEFAULT_ARTIFACT_ROOT, MLflow's default: ./mlruns, made absolute when the store opens.
  testing::ScopedEnvironment no_root(std::map<std::string, std::string>{{"MLFLOW_DEFAULT_ARTIFACT_ROOT", ""}});
  const fs::path work = dir_ / "work";
  fs::create_directories(work);
  in_directory(work, [&] {
    MlflowClient offline(offline_options("sqlite:///runs.db"));  // relative to the working directory
    const std::string experiment_id = offline.create_experiment("artifacts");
    CreateRunRequest create;
    create.experiment_id = experiment_id;
    const std::string run_id = offline.create_run(create).info.run_id;

    const fs::path file = dir_ / "notes.txt";
    std::ofstream(file) << "written offline";
    offline.log_artifact(run_id, file, "docs");
    const fs::path stored = work / "mlruns" / experiment_id / run_id / "artifacts" / "docs" / "notes.txt";
    EXPECT_EQ(read_file(stored), "written offline");

    const auto listed = offline.list_artifacts(run_id, "docs");
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].path, "docs/notes.txt");
    const fs::path downloaded = offline.download_artifacts(run_id, "docs/notes.txt", dir_ / "download");
    EXPECT_EQ(read_file(downloaded), "written offline");
  });
  EXPECT_TRUE(fs::exists(work / "runs.db"));
}

TEST_F(OfflineStoreTest, ErrorsAreTheServers) {
  testing::ServerProcess server;
  MlflowClient online(server.client_options());
  MlflowClient offline = client();
  for (MlflowClient* each : {&online, &offline}) each->create_experiment("taken");

  const std::vector<std::function<void(MlflowClient&)>> mistakes = {
      [](MlflowClient& c) { c.get_run("0123456789abcdef0123456789abcdef"); },
      [](MlflowClient& c) { c.create_experiment("taken"); },
      [](MlflowClient& c) { c.get_experiment("not-a-number"); },
      [](MlflowClient& c) { c.get_registered_model("nobody"); },
  };
  for (std::size_t i = 0; i < mistakes.size(); ++i) {
    const MlflowException over_http = thrown_by([&] { mistakes[i](online); });
    const MlflowException in_process = thrown_by([&] { mistakes[i](offline); });
    EXPECT_EQ(in_process.error_code(), over_http.error_code()) << "mistake " << i;
    EXPECT_EQ(in_process.http_status(), over_http.http_status()) << "mistake " << i;
    EXPECT_STREQ(in_process.what(), over_http.what()) << "mistake " << i;
  }
}

TEST_F(OfflineStoreTest, AsyncLoggingAndTheFluentApi) {
  testing::ScopedEnvironment environment({{"MLFLOW_TRACKING_URI", sqlite_uri(database())},
                                          {"MLFLOW_ENABLE_ASYNC_LOGGING", "true"},
                                          {"MLFLOW_EXPERIMENT_NAME", "fluent"}});
  std::string run_id;
  {
    ActiveRun run = start_run();
    run_id = run.run_id();
    run.log_param("lr", "0.1");
    for (int step = 0; step < 50; ++step) run.log_metric("loss", 1.0 / (step + 1), step);
  }  // ends the run, after the queued logs went out
  MlflowClient offline = client();
  EXPECT_TRUE(offline.async_logging());
  const mlflowcpp::Run stored = offline.get_run(run_id);
  EXPECT_EQ(stored.info.status, RunStatus::kFinished);
  EXPECT_EQ(offline.get_metric_history(run_id, "loss").size(), 50u);
  EXPECT_EQ(offline.get_experiment(stored.info.experiment_id).name, "fluent");
}

// One process per MPI rank, all tracking into one file: each process opens its own in-process store on it, and the
// SQLite store makes them take turns, so no `database is locked` reaches any of them.
TEST_F(OfflineStoreTest, SeveralProcessesTrackIntoOneFileAtOnce) {
  constexpr int kProcesses = 4;
  constexpr int kSteps = 300;
  const std::string experiment_id = client().create_experiment("ranks");
  std::vector<pid_t> children;
  for (int rank = 0; rank < kProcesses; ++rank) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The child logs as a training process would: single calls and batches, then ends its run. Exit code 0 only
      // when every call succeeded.
      int status = 0;
      try {
        MlflowClient rank_client = client();
        CreateRunRequest create{experiment_id, "rank-" + std::to_string(rank), std::nullopt, {}};
        const std::string run_id = rank_client.create_run(create).info.run_id;
        rank_client.log_param(run_id, "rank", std::to_string(rank));
        std::vector<Metric> batch;
        for (int step = 0; step < kSteps; ++step) {
          rank_client.log_metric(run_id, "loss", 1.0 / (step + 1), MetricOptions{step, 1700000000000 + step});
          batch.push_back({"accuracy", step / double(kSteps), 1700000000000 + step, step});
        }
        rank_client.log_batch(run_id, batch);
        rank_client.set_terminated(run_id, RunStatus::kFinished);
      } catch (const std::exception& error) {
        std::fprintf(stderr, "rank %d: %s\n", rank, error.what());
        status = 1;
      }
      std::fflush(stderr);
      ::_exit(status);
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a rank failed (its error is on stderr)";
  }

  MlflowClient reader = client();
  SearchRunsRequest search;
  search.experiment_ids = {experiment_id};
  const std::vector<mlflowcpp::Run> runs = reader.search_all_runs(search);
  ASSERT_EQ(runs.size(), std::size_t(kProcesses));
  for (const auto& run : runs) {
    EXPECT_EQ(run.info.status, RunStatus::kFinished) << run.info.run_name;
    EXPECT_EQ(reader.get_metric_history(run.info.run_id, "loss").size(), std::size_t(kSteps)) << run.info.run_name;
    EXPECT_EQ(reader.get_metric_history(run.info.run_id, "accuracy").size(), std::size_t(kSteps)) << run.info.run_name;
  }
}

TEST_F(OfflineStoreTest, TheRealServerServesTheFileAfterwards) {
  std::string run_id;
  {
    MlflowClient offline = client();
    const std::string experiment_id = offline.create_experiment("handover");
    CreateRunRequest create;
    create.experiment_id = experiment_id;
    run_id = offline.create_run(create).info.run_id;
    offline.log_metric(run_id, "loss", 0.25);
    offline.set_terminated(run_id);
  }
  testing::ServerOptions options;
  options.backend_store_uri = sqlite_uri(database());
  testing::ServerProcess server(options);
  auto http = server.client();
  const auto got = http.get("/api/2.0/mlflow/runs/get?run_id=" + run_id);
  ASSERT_EQ(got.status, 200) << got.describe();
  EXPECT_EQ(got.json["run"]["info"]["status"], "FINISHED");
  EXPECT_EQ(got.json["run"]["data"]["metrics"][0]["key"], "loss");
  EXPECT_DOUBLE_EQ(got.json["run"]["data"]["metrics"][0]["value"].get<double>(), 0.25);
}

// The databases the official MLflow servers wrote open as they are; the runs read the same as the server reads them.
class OfficialDatabaseTest : public ::testing::TestWithParam<const char*> {};

TEST_P(OfficialDatabaseTest, OpensAndReadsAsTheServerDoes) {
  testing::TempDir dir("mlflowcpp-offline-fixture");
  const fs::path database = testing::copy_fixture_database(GetParam(), dir.path());
  std::set<std::string> offline_runs;
  {
    MlflowClient offline(offline_options(sqlite_uri(database)));
    SearchExperimentsRequest all;
    all.view_type = ViewType::kAll;
    SearchRunsRequest runs;
    runs.view_type = ViewType::kAll;
    for (const auto& experiment : offline.search_all_experiments(all)) runs.experiment_ids.push_back(experiment.experiment_id);
    ASSERT_FALSE(runs.experiment_ids.empty());
    for (const auto& run : offline.search_all_runs(runs)) offline_runs.insert(run.info.run_id);
    ASSERT_FALSE(offline_runs.empty());
    for (const auto& run_id : offline_runs) EXPECT_EQ(offline.get_run(run_id).info.run_id, run_id);
  }
  testing::ServerOptions options;
  options.backend_store_uri = sqlite_uri(database);
  testing::ServerProcess server(options);
  MlflowClient online(server.client_options());
  SearchExperimentsRequest all;
  all.view_type = ViewType::kAll;
  SearchRunsRequest runs;
  runs.view_type = ViewType::kAll;
  for (const auto& experiment : online.search_all_experiments(all)) runs.experiment_ids.push_back(experiment.experiment_id);
  std::set<std::string> online_runs;
  for (const auto& run : online.search_all_runs(runs)) online_runs.insert(run.info.run_id);
  EXPECT_EQ(offline_runs, online_runs);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OfficialDatabaseTest,
                         ::testing::Values("mlflow-2.9.2-sample.sqlite", "mlflow-3-sample.sqlite"));

TEST(OfflineStoreModule, AMissingModuleSaysWhereItLookedAndWhatToDo) {
  testing::TempDir dir("mlflowcpp-offline-missing");
  const std::string missing = (dir / "no-such-module.so").string();
  testing::ScopedEnvironment environment({{"MLFLOWCPP_STORE_MODULE", missing}});
  const MlflowException error = thrown_by([&] { MlflowClient(offline_options(sqlite_uri(dir / "x.db"))); });
  EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
  const std::string message = error.what();
  EXPECT_NE(message.find("libmlflowcpp-store.so"), std::string::npos) << message;
  EXPECT_NE(message.find(missing), std::string::npos) << message;
  EXPECT_NE(message.find("MLFLOWCPP_STORE_MODULE"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir / "x.db"));
}

TEST(OfflineStoreModule, AnUnusableDatabaseIsAClearError) {
  testing::TempDir dir("mlflowcpp-offline-unusable");
  const fs::path not_a_database = dir / "text.db";
  std::ofstream(not_a_database) << "this is not a database file, and it is long enough to be read as one";
  const MlflowException error = thrown_by([&] { MlflowClient(offline_options(sqlite_uri(not_a_database))); });
  EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
  EXPECT_NE(std::string(error.what()).find("Cannot open the tracking store"), std::string::npos) << error.what();
}

TEST(OfflineStorePostgres, TracksIntoPostgresInProcess) {
  testing::PostgresProcess postgres;
  testing::TempDir dir("mlflowcpp-offline-postgres");
  testing::ScopedEnvironment environment({{"MLFLOW_DEFAULT_ARTIFACT_ROOT", (dir / "mlruns").string()}});
  const std::string uri = postgres.create_database("offline");
  std::string run_id;
  {
    MlflowClient offline(offline_options(uri));
    const std::string experiment_id = offline.create_experiment("on-postgres");
    CreateRunRequest create;
    create.experiment_id = experiment_id;
    run_id = offline.create_run(create).info.run_id;
    offline.log_metric(run_id, "loss", 0.5, MetricOptions{1, std::nullopt});
    offline.log_param(run_id, "lr", "0.01");
    EXPECT_EQ(offline.get_metric_history(run_id, "loss").size(), 1u);
    EXPECT_MLFLOW_ERROR(offline.create_experiment("on-postgres"), "RESOURCE_ALREADY_EXISTS");
  }
  // postgres:// names the same database.
  MlflowClient again(offline_options("postgres" + uri.substr(std::string("postgresql").size())));
  EXPECT_EQ(again.get_run(run_id).data.params.size(), 1u);
  EXPECT_EQ(postgres.psql("offline", "SELECT count(*) FROM metrics"), "1\n");
}

}  // namespace
}  // namespace mlflowcpp::integration
