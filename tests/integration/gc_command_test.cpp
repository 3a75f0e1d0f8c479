// `mlflowcpp gc` against a database and artifacts a running server writes (SQLite and PostgreSQL, local and S3
// artifacts): which runs and experiments go (deleted stage, --older-than boundaries, named ids), that every row and
// artifact of them goes while everything else stays, that the server keeps serving meanwhile, and the refusals.

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "integration/tracking_api.hpp"
#include "s3/s3_client.hpp"
#include "testing/postgres_process.hpp"
#include "testing/s3rver_process.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

using testing::CommandResult;
using testing::run_command;
using testing::server_binary;

const std::string kProxy = "/api/2.0/mlflow-artifacts/artifacts";

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A server and SQL access to its database: SQLite (a file in the server's directory) or PostgreSQL.
class Backend {
 public:
  enum class Kind { kSqlite, kPostgres };

  explicit Backend(Kind kind, testing::EnvironmentOverrides environment = {},
                   std::optional<std::string> artifacts_destination = std::nullopt) {
    testing::ServerOptions options;
    options.work_dir = dir_.path();
    options.environment = environment;
    options.artifacts_destination = artifacts_destination;
    if (kind == Kind::kPostgres) {
      postgres_ = std::make_unique<testing::PostgresProcess>();
      options.backend_store_uri = postgres_->create_database("tracking");
    }
    uri_ = options.backend_store_uri.value_or("sqlite:///" + (dir_.path() / "mlflow.db").string());
    server_ = std::make_unique<testing::ServerProcess>(options);
    http_ = std::make_unique<HttpClient>(server_->client());
    environment_ = std::move(environment);
  }

  testing::ServerProcess& server() { return *server_; }
  HttpClient& http() { return *http_; }
  const std::string& uri() const { return uri_; }
  const fs::path& dir() const { return dir_.path(); }

  // The first column of the first row of `sql`, as an integer.
  int64_t number(const std::string& sql) {
    if (postgres_) return std::stoll(postgres_->psql("tracking", sql));
    SQLite::Database database((dir_.path() / "mlflow.db").string(), SQLite::OPEN_READONLY);
    database.setBusyTimeout(10000);
    return database.execAndGet(sql).getInt64();
  }

  void execute(const std::string& sql) {
    if (postgres_) {
      postgres_->psql("tracking", sql);
      return;
    }
    SQLite::Database database((dir_.path() / "mlflow.db").string(), SQLite::OPEN_READWRITE);
    database.setBusyTimeout(10000);
    database.exec(sql);
  }

  // `mlflowcpp gc` on this backend with the server's artifacts destination, then `args`.
  CommandResult gc(const std::vector<std::string>& args, bool pass_destination = true) {
    std::vector<std::string> command = {"gc", "--backend-store-uri", uri_};
    if (pass_destination) {
      command.push_back("--artifacts-destination");
      command.push_back(server_->artifacts_dir().string());
    }
    command.insert(command.end(), args.begin(), args.end());
    return run_command(server_binary(), command, environment_, std::chrono::seconds(60));
  }

 private:
  testing::TempDir dir_{"mlflowcpp-gc"};
  std::unique_ptr<testing::PostgresProcess> postgres_;
  std::string uri_;
  std::unique_ptr<testing::ServerProcess> server_;
  std::unique_ptr<HttpClient> http_;
  testing::EnvironmentOverrides environment_;
};

// A run with a row in every table of a run and one artifact file uploaded through the proxy.
struct LoggedRun {
  std::string run_id;
  std::string artifact_uri;
};

LoggedRun log_full_run(Backend& backend, const std::string& experiment_id) {
  HttpClient& http = backend.http();
  TrackingApi api(http);
  LoggedRun run;
  Json created = api.create_run_json(experiment_id, {{"start_time", 1}});
  run.run_id = created["run"]["info"]["run_id"];
  run.artifact_uri = created["run"]["info"]["artifact_uri"];
  EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-batch",
                             {{"run_id", run.run_id},
                              {"metrics", {{{"key", "loss"}, {"value", 0.5}, {"timestamp", 1}, {"step", 0}}}},
                              {"params", {{{"key", "lr"}, {"value", "0.1"}}}},
                              {"tags", {{{"key", "team"}, {"value", "vision"}}}}})));
  const Json input = Json::parse(R"({"tags": [{"key": "mlflow.data.context", "value": "training"}],
     "dataset": {"name": "imagenet-mini", "digest": "abc123", "source_type": "local",
                 "source": "{\"uri\": \"/data/imagenet-mini\"}"}})");
  EXPECT_TRUE(IsOk(http.post(kApi + "/runs/log-inputs", {{"run_id", run.run_id}, {"datasets", {input}}})));
  // mlflow-artifacts:/<experiment>/<run>/artifacts -> <proxy>/<experiment>/<run>/artifacts/model.txt
  const std::string prefix = "mlflow-artifacts:";
  EXPECT_EQ(run.artifact_uri.rfind(prefix, 0), 0u) << run.artifact_uri;
  const std::string proxied = run.artifact_uri.substr(prefix.size());
  EXPECT_EQ(http.request("PUT", kProxy + proxied + "/model.txt", "weights", "text/plain").status, 200);
  return run;
}

// Rows of the run in each table that holds a run's data.
int64_t run_rows(Backend& backend, const std::string& run_id) {
  const std::string id = "'" + run_id + "'";
  return backend.number("SELECT (SELECT count(*) FROM runs WHERE run_uuid = " + id +
                        ") + (SELECT count(*) FROM metrics WHERE run_uuid = " + id +
                        ") + (SELECT count(*) FROM latest_metrics WHERE run_uuid = " + id +
                        ") + (SELECT count(*) FROM params WHERE run_uuid = " + id +
                        ") + (SELECT count(*) FROM tags WHERE run_uuid = " + id +
                        ") + (SELECT count(*) FROM input_tags WHERE input_uuid IN (SELECT input_uuid FROM inputs "
                        "WHERE destination_id = " +
                        id + ")) + (SELECT count(*) FROM inputs WHERE destination_id = " + id +
                        " OR source_id = " + id + ")");
}

// The artifact file of a run in a local artifacts destination.
fs::path artifact_file(Backend& backend, const LoggedRun& run) {
  const std::string prefix = "mlflow-artifacts:/";
  return backend.server().artifacts_dir() / run.artifact_uri.substr(prefix.size()) / "model.txt";
}

void delete_run(Backend& backend, const std::string& run_id) {
  ASSERT_TRUE(IsOk(backend.http().post(kApi + "/runs/delete", {{"run_id", run_id}})));
}

void delete_experiment(Backend& backend, const std::string& experiment_id) {
  ASSERT_TRUE(IsOk(backend.http().post(kApi + "/experiments/delete", {{"experiment_id", experiment_id}})));
}

// The deleted run goes with all its rows and artifacts while the server runs; the active run next to it, sharing
// its experiment and dataset, keeps everything; the server answers for both afterwards.
void expect_deleted_runs_removed(Backend& backend) {
  TrackingApi api(backend.http());
  const std::string experiment = api.create_experiment("gc");
  const LoggedRun gone = log_full_run(backend, experiment);
  const LoggedRun kept = log_full_run(backend, experiment);
  const int64_t kept_rows = run_rows(backend, kept.run_id);
  // A row in runs, metrics, latest_metrics, params, inputs and input_tags, and tags.
  ASSERT_GE(run_rows(backend, gone.run_id), 7);
  ASSERT_TRUE(fs::exists(artifact_file(backend, gone)));
  delete_run(backend, gone.run_id);

  const CommandResult result = backend.gc({});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "Run with ID " + gone.run_id + " has been permanently deleted."))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Permanently deleted 1 run and 0 experiments.")) << result.output;

  EXPECT_EQ(run_rows(backend, gone.run_id), 0);
  EXPECT_FALSE(fs::exists(artifact_file(backend, gone)));
  EXPECT_EQ(run_rows(backend, kept.run_id), kept_rows);
  EXPECT_TRUE(fs::exists(artifact_file(backend, kept)));
  EXPECT_EQ(backend.number("SELECT count(*) FROM datasets WHERE experiment_id = " + experiment), 1);

  EXPECT_TRUE(IsError(backend.http().get(kApi + "/runs/get?run_id=" + gone.run_id), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsOk(backend.http().get(kApi + "/runs/get?run_id=" + kept.run_id)));
  EXPECT_FALSE(api.create_run(experiment).empty());

  // Nothing left to do: a second gc deletes nothing.
  const CommandResult again = backend.gc({});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "Permanently deleted 0 runs and 0 experiments.")) << again.output;
}

// A deleted experiment goes with its runs (active ones too), tags, datasets and logged models; MLflow 3's tables
// are checked on PostgreSQL by its foreign keys.
void expect_deleted_experiment_removed(Backend& backend) {
  TrackingApi api(backend.http());
  HttpClient& http = backend.http();
  const std::string experiment = api.create_experiment("doomed", {{"tags", {{{"key", "k"}, {"value", "v"}}}}});
  const std::string other = api.create_experiment("kept");
  const LoggedRun run = log_full_run(backend, experiment);
  const HttpResponse model = http.post(kApi + "/logged-models", {{"experiment_id", experiment}, {"name", "m"}});
  ASSERT_EQ(model.status, 200) << model.describe();
  const std::string model_id = model.json["model"]["info"]["model_id"];
  ASSERT_TRUE(IsOk(http.post(kApi + "/runs/outputs",
                             {{"run_id", run.run_id}, {"models", {{{"model_id", model_id}, {"step", 1}}}}})));
  ASSERT_TRUE(IsOk(http.post(
      kApi + "/runs/log-batch",
      {{"run_id", run.run_id},
       {"metrics", {{{"key", "acc"}, {"value", 0.9}, {"timestamp", 2}, {"step", 1}, {"model_id", model_id}}}}})));
  const LoggedRun other_run = log_full_run(backend, other);
  const int64_t other_rows = run_rows(backend, other_run.run_id);
  delete_experiment(backend, experiment);

  // An active experiment named is refused before anything goes.
  const CommandResult refused = backend.gc({"--experiment-ids", experiment + "," + other});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_TRUE(contains(refused.output, "not in the deleted lifecycle stage")) << refused.output;
  EXPECT_EQ(backend.number("SELECT count(*) FROM experiments WHERE experiment_id = " + experiment), 1);

  const CommandResult result = backend.gc({"--experiment-ids", experiment});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "Experiment with ID " + experiment + " has been permanently deleted."))
      << result.output;
  EXPECT_TRUE(contains(result.output, "Run with ID " + run.run_id + " has been permanently deleted.")) << result.output;
  const std::string where = " WHERE experiment_id = " + experiment;
  for (const char* table :
       {"experiments", "experiment_tags", "runs", "datasets", "logged_models", "logged_model_metrics"}) {
    EXPECT_EQ(backend.number(std::string("SELECT count(*) FROM ") + table + where), 0) << table;
  }
  EXPECT_EQ(backend.number("SELECT count(*) FROM inputs WHERE destination_id = '" + model_id + "'"), 0);
  EXPECT_EQ(run_rows(backend, run.run_id), 0);
  EXPECT_FALSE(fs::exists(artifact_file(backend, run)));
  EXPECT_EQ(run_rows(backend, other_run.run_id), other_rows);
  EXPECT_TRUE(IsError(http.get(kApi + "/experiments/get?experiment_id=" + experiment), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(IsOk(http.get(kApi + "/experiments/get?experiment_id=" + other)));
}

TEST(GcCommandTest, DeletesDeletedRunsOnlyWhileTheServerServes) {
  Backend backend(Backend::Kind::kSqlite);
  expect_deleted_runs_removed(backend);
}

TEST(GcCommandTest, DeletesDeletedExperimentsWithAllTheyHold) {
  Backend backend(Backend::Kind::kSqlite);
  expect_deleted_experiment_removed(backend);
}

TEST(GcCommandTest, OlderThanKeepsRunsDeletedMoreRecently) {
  Backend backend(Backend::Kind::kSqlite);
  TrackingApi api(backend.http());
  const std::string experiment = api.create_experiment("ages");
  const LoggedRun old_run = log_full_run(backend, experiment);
  const LoggedRun recent_run = log_full_run(backend, experiment);
  const int64_t old_rows = run_rows(backend, old_run.run_id);
  const int64_t recent_rows = run_rows(backend, recent_run.run_id);
  delete_run(backend, old_run.run_id);
  delete_run(backend, recent_run.run_id);
  const int64_t hour = 3600 * 1000;
  const int64_t now = now_millis();
  // Either side of the one-hour boundary, with room for the seconds the test takes.
  backend.execute("UPDATE runs SET deleted_time = " + std::to_string(now - hour - 60000) + " WHERE run_uuid = '" +
                  old_run.run_id + "'");
  backend.execute("UPDATE runs SET deleted_time = " + std::to_string(now - hour + 60000) + " WHERE run_uuid = '" +
                  recent_run.run_id + "'");

  const CommandResult none = backend.gc({"--older-than", "2h"});
  EXPECT_EQ(none.exit_code, 0) << none.output;
  EXPECT_EQ(run_rows(backend, old_run.run_id), old_rows);

  // A named run younger than the limit is refused, and nothing goes.
  const CommandResult refused = backend.gc({"--older-than", "1h", "--run-ids", recent_run.run_id});
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_TRUE(contains(refused.output, "not older than the required age")) << refused.output;
  EXPECT_EQ(run_rows(backend, old_run.run_id), old_rows);

  const CommandResult result = backend.gc({"--older-than", "0d1h0m0s"});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(run_rows(backend, old_run.run_id), 0);
  EXPECT_FALSE(fs::exists(artifact_file(backend, old_run)));
  EXPECT_EQ(run_rows(backend, recent_run.run_id), recent_rows);
  EXPECT_TRUE(fs::exists(artifact_file(backend, recent_run)));

  // Decimals as MLflow takes them: 0.5h is 30 minutes.
  const CommandResult decimal = backend.gc({"--older-than", "0.5h"});
  EXPECT_EQ(decimal.exit_code, 0) << decimal.output;
  EXPECT_EQ(run_rows(backend, recent_run.run_id), 0);
}

TEST(GcCommandTest, NamedRunsMustBeDeleted) {
  Backend backend(Backend::Kind::kSqlite);
  TrackingApi api(backend.http());
  const std::string experiment = api.create_experiment("named");
  const LoggedRun named = log_full_run(backend, experiment);
  const LoggedRun other_deleted = log_full_run(backend, experiment);
  const LoggedRun active = log_full_run(backend, experiment);
  const int64_t rows = run_rows(backend, named.run_id);
  delete_run(backend, named.run_id);
  delete_run(backend, other_deleted.run_id);

  const CommandResult with_active = backend.gc({"--run-ids", named.run_id + "," + active.run_id});
  EXPECT_EQ(with_active.exit_code, 2) << with_active.output;
  EXPECT_TRUE(contains(with_active.output, "Run " + active.run_id + " is not in `deleted` lifecycle stage"))
      << with_active.output;
  EXPECT_EQ(run_rows(backend, named.run_id), rows);

  const CommandResult missing = backend.gc({"--run-ids", "0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_TRUE(contains(missing.output, "0123456789abcdef0123456789abcdef")) << missing.output;

  const CommandResult result = backend.gc({"--run-ids", named.run_id});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(run_rows(backend, named.run_id), 0);
  EXPECT_EQ(run_rows(backend, other_deleted.run_id), rows);
  EXPECT_EQ(run_rows(backend, active.run_id), rows);
}

TEST(GcCommandTest, RemovesProxiedArtifactsThroughTheTrackingServer) {
  Backend backend(Backend::Kind::kSqlite);
  TrackingApi api(backend.http());
  const LoggedRun run = log_full_run(backend, api.create_experiment("proxied"));
  delete_run(backend, run.run_id);
  // No destination given: only the server's proxy can reach the files.
  const CommandResult result =
      backend.gc({"--tracking-uri", backend.server().base_url(), "--artifacts-destination", "/nonexistent"}, false);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(run_rows(backend, run.run_id), 0);
  EXPECT_FALSE(fs::exists(artifact_file(backend, run)));
}

TEST(GcCommandTest, WorksOnAnMlflow29Database) {
  testing::TempDir dir("mlflowcpp-gc-29");
  testing::ServerProcess server(testing::on_fixture_copy("mlflow-2.9.2-sample.sqlite", dir.path()));
  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string experiment = api.create_experiment("on-2.9");
  const std::string run_id = api.create_run(experiment);
  ASSERT_TRUE(IsOk(http.post(kApi + "/runs/delete", {{"run_id", run_id}})));
  ASSERT_TRUE(IsOk(http.post(kApi + "/experiments/delete", {{"experiment_id", experiment}})));
  const CommandResult result = run_command(
      server_binary(), {"gc", "--backend-store-uri", "sqlite:///" + server.db_path().string(),
                        "--artifacts-destination", server.artifacts_dir().string(), "--experiment-ids", experiment});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "Experiment with ID " + experiment + " has been permanently deleted."))
      << result.output;
  EXPECT_TRUE(IsError(http.get(kApi + "/runs/get?run_id=" + run_id), 404, "RESOURCE_DOES_NOT_EXIST"));
}

TEST(GcCommandTest, BadArgumentsFailWithAMessage) {
  testing::TempDir dir("mlflowcpp-gc-args");
  const std::string uri = "sqlite:///" + (dir.path() / "mlflow.db").string();
  const auto gc = [&](const std::vector<std::string>& args) {
    std::vector<std::string> command = {"gc"};
    command.insert(command.end(), args.begin(), args.end());
    return run_command(server_binary(), command);
  };
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"--older-than", "30x"},
                                             {"--older-than", ""},
                                             {"--older-than", "1h2d"},
                                             {"--older-than", "1..2d"},
                                             {"--older-than"},
                                             {"--run-ids", "a,,b"},
                                             {"--tracking-uri", "sqlite:///x.db"},
                                             {"--no-such-flag"},
                                             {"--run-ids", "a", "--run-ids", "b"}}) {
    std::vector<std::string> with_store = {"--backend-store-uri", uri};
    with_store.insert(with_store.end(), args.begin(), args.end());
    const CommandResult result = gc(with_store);
    EXPECT_EQ(result.exit_code, 2) << args.front() << ": " << result.output;
    EXPECT_TRUE(contains(result.output, "mlflowcpp gc:")) << result.output;
  }
  const CommandResult bad_age = gc({"--backend-store-uri", uri, "--older-than", "30x"});
  EXPECT_TRUE(contains(bad_age.output, "Could not parse any time information")) << bad_age.output;

  // A database that is not there is not created.
  const CommandResult missing = gc({"--backend-store-uri", uri});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_TRUE(contains(missing.output, "no database file")) << missing.output;
  EXPECT_FALSE(fs::exists(dir.path() / "mlflow.db"));

  const CommandResult help = gc({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.output, "--older-than")) << help.output;
}

TEST(GcCommandPostgresTest, DeletesRunsAndExperimentsWhileTheServerServes) {
  Backend backend(Backend::Kind::kPostgres);
  expect_deleted_runs_removed(backend);
  expect_deleted_experiment_removed(backend);
}

TEST(GcCommandS3Test, RemovesArtifactsInS3) {
  testing::S3rverProcess s3({"artifacts"});
  Backend backend(Backend::Kind::kSqlite, s3.environment(), "s3://artifacts/proxy");
  TrackingApi api(backend.http());
  const std::string experiment = api.create_experiment("in-s3");
  const LoggedRun gone = log_full_run(backend, experiment);
  const LoggedRun kept = log_full_run(backend, experiment);
  delete_run(backend, gone.run_id);
  s3::S3Client client(s3.settings());
  const auto keys_of = [&](const LoggedRun& run) {
    const std::string prefix = "proxy" + run.artifact_uri.substr(std::string("mlflow-artifacts:").size());
    return client.list_objects("artifacts", prefix + "/", "").objects.size();
  };
  ASSERT_EQ(keys_of(gone), 1u);

  const CommandResult result = backend.gc({});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(run_rows(backend, gone.run_id), 0);
  EXPECT_EQ(keys_of(gone), 0u);
  EXPECT_EQ(keys_of(kept), 1u);
}

}  // namespace
}  // namespace mlflowcpp::integration
