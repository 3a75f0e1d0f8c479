// `mlflowcpp sync` and sync_runs() between two real `mlflowcpp server`s: a varied
// run set copied whole, repeated syncs that copy nothing, runs that grew, a sync
// killed mid-way and resumed, the MLflow 2.9.2 fixture database, dry runs, and the
// exit codes.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/free_port.hpp"
#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

extern char** environ;

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ServerProcess;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

CommandResult run_sync(const ServerProcess& from, const std::string& to_url, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"sync", "--from", from.base_url(), "--to", to_url};
  args.insert(args.end(), extra.begin(), extra.end());
  return testing::run_command(testing::server_binary(), args, {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"}},
                              std::chrono::seconds(300));
}

std::string tag_of(const std::vector<RunTag>& tags, const std::string& key) {
  for (const auto& tag : tags) {
    if (tag.key == key) return tag.value;
  }
  return {};
}

// A point as text, so histories compare as sorted multisets (NaN prints as "nan" and equals itself).
std::multiset<std::string> point_set(const std::vector<Metric>& points) {
  std::multiset<std::string> set;
  for (const auto& p : points) set.insert(fmt::format("{}|{}|{}|{}", p.key, p.step, p.timestamp, p.value));
  return set;
}

std::map<std::string, std::string> files_below(const fs::path& root) {
  std::map<std::string, std::string> files;
  if (!fs::exists(root)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = testing::read_file(entry.path());
  }
  return files;
}

std::string file_of(const fs::path& path, std::size_t size, unsigned seed) {
  std::mt19937 random(seed);
  std::string content(size, '\0');
  for (auto& c : content) c = char(random() & 0xff);
  testing::write_file(path, content);
  return content;
}

// What a varied offline run set looks like: two experiments, a parent with nested runs, NaN and infinite values, a
// long history, params, tags, dataset inputs, artifacts (nested, one of several megabytes), a registered model
// with versions, an alias, tags and stages.
struct SourceRuns {
  std::string parent_run_id;
  std::string child_run_id;
  std::string long_run_id;
};

SourceRuns populate(MlflowClient& client, const fs::path& scratch) {
  SourceRuns ids;
  const std::string train = client.create_experiment("sync-train", "", {{"team", "vision"}});
  const std::string eval = client.create_experiment("sync-eval");

  CreateRunRequest parent{train, "parent", int64_t(1700000000000), {{"mlflow.user", "alice"}, {"phase", "search"}}};
  ids.parent_run_id = client.create_run(parent).info.run_id;
  client.log_batch(ids.parent_run_id, {{"best", 0.9, 1700000000100, 0}}, {{"grid", "3x3"}});

  for (int i = 0; i < 2; ++i) {
    CreateRunRequest child{train,
                           fmt::format("child-{}", i),
                           int64_t(1700000001000 + i),
                           {{"mlflow.parentRunId", ids.parent_run_id}, {"mlflow.user", "alice"}}};
    const std::string child_id = client.create_run(child).info.run_id;
    if (i == 0) ids.child_run_id = child_id;
    std::vector<Metric> points{{"odd", kNaN, 1700000002000, 0},
                               {"odd", kInf, 1700000002001, 1},
                               {"odd", -kInf, 1700000002002, 2},
                               {"odd", 0.5, 1700000002003, 3},
                               {"odd", kNaN, 1700000002004, 4}};
    client.log_batch(child_id, points, {{"lr", fmt::format("0.0{}", i + 1)}, {"layers", "4"}}, {{"seed", "7"}});
    DatasetInput input;
    input.dataset = {"mnist",     fmt::format("digest{}", i), "local", R"({"uri": "/data/mnist"})", std::nullopt,
                     std::nullopt};
    input.tags = {{"mlflow.data.context", "training"}};
    client.log_inputs(child_id, {input});
    client.set_terminated(child_id, RunStatus::kFinished, 1700000009000 + i);
  }

  CreateRunRequest long_run{eval, "long", int64_t(1700000010000), {{"mlflow.user", "bob"}}};
  ids.long_run_id = client.create_run(long_run).info.run_id;
  std::vector<Metric> history;
  for (int step = 0; step < 20000; ++step) {
    history.push_back({"loss", step % 997 == 0 ? kNaN : 1.0 / (step + 1), 1700000010000 + step, step});
  }
  history.push_back({"accuracy", 0.75, 1700000010000, 0});
  client.log_batch(ids.long_run_id, history);

  file_of(scratch / "summary.txt", 100, 1);
  file_of(scratch / "plots" / "deep" / "curve.bin", 5000, 2);
  file_of(scratch / "plots" / "roc.bin", 3000, 3);
  file_of(scratch / "big" / "weights.bin", 6 * 1024 * 1024 + 17, 4);
  client.log_artifact(ids.long_run_id, scratch / "summary.txt");
  client.log_artifacts(ids.long_run_id, scratch / "plots", "plots");
  client.log_artifact(ids.long_run_id, scratch / "big" / "weights.bin", "model");
  client.log_text(ids.child_run_id, "child notes", "notes/readme.md");
  client.set_terminated(ids.long_run_id, RunStatus::kFailed, 1700000099000);

  client.create_registered_model("sync-model", {{"owner", "ml"}}, "a model to sync");
  const Run long_copy = client.get_run(ids.long_run_id);
  const Run child_copy = client.get_run(ids.child_run_id);
  CreateModelVersionRequest v1{
      "sync-model", long_copy.info.artifact_uri + "/model", ids.long_run_id, {{"quality", "ok"}}, "", "first", ""};
  client.create_model_version(v1);
  CreateModelVersionRequest v2{"sync-model", "runs:/" + ids.child_run_id + "/notes", ids.child_run_id, {}, "", "", ""};
  client.create_model_version(v2);
  client.transition_model_version_stage("sync-model", "1", "Staging");
  client.set_registered_model_alias("sync-model", "champion", "2");
  return ids;
}

// The copy of each source run on the target, by the bookkeeping tag.
std::map<std::string, mlflowcpp::Run> copies_on(MlflowClient& target) {
  std::map<std::string, mlflowcpp::Run> copies;
  for (const auto& experiment : target.search_all_experiments()) {
    SearchRunsRequest request;
    request.experiment_ids = {experiment.experiment_id};
    for (auto& run : target.search_all_runs(request)) {
      const std::string source = tag_of(run.data.tags, kSyncSourceRunIdTag);
      if (!source.empty()) copies[source] = target.get_run(run.info.run_id);
    }
  }
  return copies;
}

// Everything of the source is on the target, as the API shows it.
void expect_same_stores(MlflowClient& source, MlflowClient& target, const fs::path& scratch) {
  std::map<std::string, mlflowcpp::Run> copies = copies_on(target);
  for (const auto& experiment : source.search_all_experiments()) {
    auto target_experiment = target.get_experiment_by_name(experiment.name);
    ASSERT_TRUE(target_experiment) << experiment.name;
    for (const auto& tag : experiment.tags) {
      bool found = false;
      for (const auto& t : target_experiment->tags) found = found || (t.key == tag.key && t.value == tag.value);
      EXPECT_TRUE(found) << experiment.name << " tag " << tag.key;
    }
    SearchRunsRequest request;
    request.experiment_ids = {experiment.experiment_id};
    for (const auto& listed : source.search_all_runs(request)) {
      SCOPED_TRACE("run " + listed.info.run_id);
      const Run run = source.get_run(listed.info.run_id);
      ASSERT_TRUE(copies.count(run.info.run_id));
      const Run& copy = copies.at(run.info.run_id);
      EXPECT_EQ(copy.info.experiment_id, target_experiment->experiment_id);
      EXPECT_EQ(copy.info.run_name, run.info.run_name);
      EXPECT_EQ(copy.info.user_id, run.info.user_id);
      EXPECT_EQ(copy.info.status, run.info.status);
      EXPECT_EQ(copy.info.start_time, run.info.start_time);
      EXPECT_EQ(copy.info.end_time, run.info.end_time);
      std::map<std::string, std::string> params, copied_params, tags, copied_tags;
      for (const auto& p : run.data.params) params[p.key] = p.value;
      for (const auto& p : copy.data.params) copied_params[p.key] = p.value;
      EXPECT_EQ(copied_params, params);
      for (const auto& t : run.data.tags) {
        if (t.key.rfind(kSyncTagPrefix, 0) != 0) tags[t.key] = t.value;
      }
      for (const auto& t : copy.data.tags) {
        if (t.key.rfind(kSyncTagPrefix, 0) != 0) copied_tags[t.key] = t.value;
      }
      if (tags.count("mlflow.parentRunId")) {
        ASSERT_TRUE(copies.count(tags["mlflow.parentRunId"]));
        tags["mlflow.parentRunId"] = copies.at(tags["mlflow.parentRunId"]).info.run_id;
      }
      EXPECT_EQ(copied_tags, tags);
      EXPECT_EQ(tag_of(copy.data.tags, kSyncSourceRunIdTag), run.info.run_id);
      ASSERT_EQ(copy.data.metrics.size(), run.data.metrics.size());
      for (const auto& latest : run.data.metrics) {
        EXPECT_EQ(point_set(target.get_metric_history(copy.info.run_id, latest.key)),
                  point_set(source.get_metric_history(run.info.run_id, latest.key)))
            << latest.key;
      }
      std::set<std::string> inputs, copied_inputs;
      for (const auto& i : run.inputs.dataset_inputs) inputs.insert(i.dataset.name + "/" + i.dataset.digest);
      for (const auto& i : copy.inputs.dataset_inputs) copied_inputs.insert(i.dataset.name + "/" + i.dataset.digest);
      EXPECT_EQ(copied_inputs, inputs);
      const fs::path source_files = scratch / ("a-" + run.info.run_id);
      const fs::path target_files = scratch / ("b-" + run.info.run_id);
      source.download_artifacts(run.info.run_id, "", source_files);
      target.download_artifacts(copy.info.run_id, "", target_files);
      EXPECT_EQ(files_below(target_files), files_below(source_files));
      fs::remove_all(source_files);
      fs::remove_all(target_files);
    }
  }

  for (const auto& model : source.search_all_registered_models()) {
    SCOPED_TRACE("model " + model.name);
    const RegisteredModel full = source.get_registered_model(model.name);
    const RegisteredModel copy = target.get_registered_model(model.name);
    EXPECT_EQ(copy.description, full.description);
    std::map<std::string, std::string> tags, copied_tags;
    for (const auto& t : full.tags) tags[t.key] = t.value;
    for (const auto& t : copy.tags) copied_tags[t.key] = t.value;
    EXPECT_EQ(copied_tags, tags);
    SearchModelVersionsRequest versions;
    versions.filter = "name = '" + model.name + "'";
    std::map<std::string, ModelVersion> copied_versions;
    for (auto& version : target.search_all_model_versions(versions)) {
      for (const auto& tag : version.tags) {
        if (tag.key == kSyncSourceVersionTag) copied_versions[tag.value] = version;
      }
    }
    for (const auto& version : source.search_all_model_versions(versions)) {
      const std::string origin = model.name + "/" + version.version;
      if (version.run_id && !version.run_id->empty() && !copies.count(*version.run_id)) continue;  // run not copied
      ASSERT_TRUE(copied_versions.count(origin)) << origin;
      const ModelVersion& mv = copied_versions.at(origin);
      EXPECT_EQ(mv.description.value_or(""), version.description.value_or("")) << origin;
      EXPECT_EQ(mv.current_stage, version.current_stage) << origin;
      std::map<std::string, std::string> vtags, copied_vtags;
      for (const auto& t : version.tags) vtags[t.key] = t.value;
      for (const auto& t : mv.tags) {
        if (t.key != kSyncSourceVersionTag) copied_vtags[t.key] = t.value;
      }
      EXPECT_EQ(copied_vtags, vtags) << origin;
      if (version.run_id && !version.run_id->empty()) {
        const Run& run_copy = copies.at(*version.run_id);
        EXPECT_EQ(mv.run_id.value_or(""), run_copy.info.run_id) << origin;
        const std::string source_root = source.get_run(*version.run_id).info.artifact_uri;
        const std::string source_uri = version.source.value_or("");
        if (source_uri.rfind(source_root, 0) == 0) {
          EXPECT_EQ(mv.source.value_or(""), run_copy.info.artifact_uri + source_uri.substr(source_root.size()));
        }
      }
    }
    for (const auto& alias : full.aliases) {
      const ModelVersion aliased = target.get_model_version_by_alias(model.name, alias.alias);
      std::string origin;
      for (const auto& tag : aliased.tags) {
        if (tag.key == kSyncSourceVersionTag) origin = tag.value;
      }
      EXPECT_EQ(origin, model.name + "/" + alias.version) << alias.alias;
    }
  }
}

int64_t history_size(MlflowClient& client, const std::string& run_id, const std::string& key) {
  return int64_t(client.get_metric_history(run_id, key).size());
}

class SyncTest : public ::testing::Test {
 protected:
  SyncTest() : source_client_(source_.client_options()), target_client_(target_.client_options()) {}

  SyncReport sync(SyncOptions options = {}) { return sync_runs(source_client_, target_client_, options); }

  testing::TempDir scratch_{"mlflowcpp-sync-test"};
  ServerProcess source_;
  ServerProcess target_;
  MlflowClient source_client_;
  MlflowClient target_client_;
};

TEST_F(SyncTest, CopiesEverythingOnceAndThenOnlyWhatIsNew) {
  const SourceRuns ids = populate(source_client_, scratch_ / "files");

  CommandResult first = run_sync(source_, target_.base_url());
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("4 created"), std::string::npos) << first.output;
  expect_same_stores(source_client_, target_client_, scratch_.path());

  // Each synced source run records its copy, per target.
  const std::map<std::string, mlflowcpp::Run> copies = copies_on(target_client_);
  const std::string key =
      std::string(kSyncTargetRunIdTagPrefix) + "." + sync_target_key(sync_store_identity(target_.base_url()));
  EXPECT_EQ(tag_of(source_client_.get_run(ids.long_run_id).data.tags, key), copies.at(ids.long_run_id).info.run_id);

  // Again: nothing is copied, and the target is as it was.
  CommandResult second = run_sync(source_, target_.base_url());
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("the target was up to date"), std::string::npos) << second.output;
  const SyncReport again = sync();
  EXPECT_TRUE(again.ok());
  EXPECT_TRUE(again.nothing_copied());
  EXPECT_EQ(again.copied.metric_points, 0);
  EXPECT_EQ(again.copied.runs_unchanged, 4);
  EXPECT_EQ(again.copied.artifact_files, 0);
  EXPECT_EQ(again.copied.model_versions_created, 0);
  EXPECT_EQ(history_size(target_client_, copies.at(ids.long_run_id).info.run_id, "loss"), 20000);

  // A run that grew gets only its new points (and its new artifact, params and tags).
  std::vector<Metric> more;
  for (int step = 20000; step < 20500; ++step) more.push_back({"loss", 0.001, 1700001000000 + step, step});
  source_client_.log_batch(ids.long_run_id, more, {{"resumed", "yes"}});
  source_client_.log_text(ids.long_run_id, "more", "extra/more.txt");
  const SyncReport grown = sync();
  EXPECT_TRUE(grown.ok()) << (grown.failures.empty() ? "" : grown.failures.front().why);
  EXPECT_EQ(grown.copied.metric_points, 500);
  EXPECT_EQ(grown.copied.params, 1);
  EXPECT_EQ(grown.copied.artifact_files, 1);
  EXPECT_EQ(grown.copied.runs_updated, 1);
  EXPECT_EQ(grown.copied.runs_created, 0);
  EXPECT_EQ(history_size(target_client_, copies.at(ids.long_run_id).info.run_id, "loss"), 20500);
  expect_same_stores(source_client_, target_client_, scratch_.path());
}

TEST_F(SyncTest, DryRunWritesNothingOnEitherSide) {
  const SourceRuns ids = populate(source_client_, scratch_ / "files");
  const mlflowcpp::Run before = source_client_.get_run(ids.long_run_id);

  CommandResult dry = run_sync(source_, target_.base_url(), {"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_NE(dry.output.find("would copy"), std::string::npos) << dry.output;
  SyncOptions options;
  options.dry_run = true;
  const SyncReport report = sync(options);
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.copied.runs_created, 4);
  EXPECT_EQ(report.copied.metric_points, 20001 + 1 + 2 * 5);
  EXPECT_EQ(report.copied.experiments_created, 2);
  EXPECT_EQ(report.copied.model_versions_created, 2);

  EXPECT_EQ(target_client_.search_all_experiments().size(), 1u);  // the Default experiment only
  EXPECT_TRUE(target_client_.search_all_registered_models().empty());
  EXPECT_EQ(source_client_.get_run(ids.long_run_id).data.tags.size(), before.data.tags.size());
}

TEST_F(SyncTest, AnExperimentFilterCopiesOnlyThoseRunsAndTheirModels) {
  const SourceRuns ids = populate(source_client_, scratch_ / "files");
  SyncOptions options;
  options.experiment_names = {"sync-train"};
  const SyncReport report = sync(options);
  EXPECT_TRUE(report.ok()) << (report.failures.empty() ? "" : report.failures.front().why);
  EXPECT_EQ(report.copied.runs_created, 3);
  EXPECT_FALSE(target_client_.get_experiment_by_name("sync-eval"));
  // Version 1 comes from a run of sync-eval: skipped; version 2 is copied, with its alias.
  EXPECT_EQ(report.copied.model_versions_created, 1);
  const ModelVersion champion = target_client_.get_model_version_by_alias("sync-model", "champion");
  EXPECT_EQ(champion.run_id.value_or(""), copies_on(target_client_).at(ids.child_run_id).info.run_id);

  options.experiment_names = {"no-such-experiment"};
  const SyncReport unknown = sync(options);
  ASSERT_EQ(unknown.failures.size(), 1u);
  EXPECT_NE(unknown.failures[0].why.find("no such experiment"), std::string::npos);
}

TEST_F(SyncTest, AKilledSyncResumesWithoutDuplicates) {
  const std::string experiment = source_client_.create_experiment("sync-kill");
  const std::string run_id = source_client_.create_run({experiment, "big", std::nullopt, {}}).info.run_id;
  constexpr int kPoints = 300000;
  std::vector<Metric> points;
  for (int i = 0; i < kPoints; ++i) points.push_back({"m", i % 1000 == 0 ? kNaN : double(i), 1700000000000 + i, i});
  source_client_.log_batch(run_id, points);

  const std::string binary = testing::server_binary();
  const std::string from = source_.base_url();
  const std::string to = target_.base_url();
  std::vector<std::string> args{binary, "sync", "--from", from, "--to", to, "--parallel", "1"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0);

  // Kill it once the target holds some of the points, but not all.
  int64_t seen = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    auto copy = target_client_.get_experiment_by_name("sync-kill");
    if (copy) {
      SearchRunsRequest request;
      request.experiment_ids = {copy->experiment_id};
      auto runs = target_client_.search_runs(request).items;
      if (!runs.empty() && !runs[0].data.metrics.empty()) {
        seen = runs[0].data.metrics[0].step;  // the latest step so far: the batches go out in step order
        if (seen > 0) break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sync ended before it could be killed";
  ASSERT_GT(seen, 0);
  auto copies = copies_on(target_client_);
  ASSERT_EQ(copies.size(), 1u);
  const std::string copy_id = copies.begin()->second.info.run_id;
  const int64_t partial = history_size(target_client_, copy_id, "m");
  EXPECT_LT(partial, kPoints);

  CommandResult resumed = run_sync(source_, to);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(copies_on(target_client_).size(), 1u);  // the same copy, completed
  const auto history = target_client_.get_metric_history(copy_id, "m");
  EXPECT_EQ(int64_t(history.size()), kPoints);
  EXPECT_EQ(point_set(history), point_set(source_client_.get_metric_history(run_id, "m")));
  const SyncReport after = sync();
  EXPECT_TRUE(after.nothing_copied());
}

TEST(SyncFixtureTest, TheMlflow292FixtureDatabaseSyncs) {
  testing::TempDir dir("mlflowcpp-sync-fixture");
  ServerProcess source(testing::on_fixture_copy("mlflow-2.9.2-sample.sqlite", dir.path()));
  ServerProcess target;
  CommandResult result = run_sync(source, target.base_url());
  ASSERT_EQ(result.exit_code, 0) << result.output;
  MlflowClient source_client(source.client_options());
  MlflowClient target_client(target.client_options());
  expect_same_stores(source_client, target_client, dir.path());
  // The fixture's deleted experiment stays behind.
  EXPECT_FALSE(target_client.get_experiment_by_name("fixture-deleted"));
  CommandResult again = run_sync(source, target.base_url());
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("the target was up to date"), std::string::npos) << again.output;
}

// The offline case itself: the source is the database file, opened in-process by `mlflowcpp sync` (no server on
// it); a server started on the same file afterwards shows what was copied.
TEST(SyncFixtureTest, TheMlflow292FixtureFileSyncsStraightFromSqlite) {
  testing::TempDir dir("mlflowcpp-sync-file");
  const testing::ServerOptions source_options = testing::on_fixture_copy("mlflow-2.9.2-sample.sqlite", dir.path());
  const std::string source_uri = "sqlite:///" + (dir.path() / "mlflow.db").string();
  ServerProcess target;
  CommandResult result = testing::run_command(testing::server_binary(),
                                              {"sync", "--from", source_uri, "--to", target.base_url()},
                                              {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"}}, std::chrono::seconds(300));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  CommandResult again = testing::run_command(testing::server_binary(),
                                             {"sync", "--from", source_uri, "--to", target.base_url()},
                                             {{"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0"}}, std::chrono::seconds(300));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("the target was up to date"), std::string::npos) << again.output;

  ServerProcess source(source_options);
  MlflowClient source_client(source.client_options());
  MlflowClient target_client(target.client_options());
  expect_same_stores(source_client, target_client, dir.path());
}

TEST(SyncCommandTest, ExitCodes) {
  ServerProcess source;
  MlflowClient client(source.client_options());
  client.create_experiment("sync-exit");

  EXPECT_EQ(testing::run_command(testing::server_binary(), {"sync", "--from", source.base_url()}).exit_code, 2);
  EXPECT_EQ(testing::run_command(testing::server_binary(), {"sync", "--bogus"}).exit_code, 2);
  CommandResult help = testing::run_command(testing::server_binary(), {"sync", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--dry-run"), std::string::npos);

  const std::string nobody = "http://127.0.0.1:" + std::to_string(testing::find_free_port());
  CommandResult unreachable = run_sync(source, nobody);
  EXPECT_EQ(unreachable.exit_code, 1) << unreachable.output;
  EXPECT_NE(unreachable.output.find("target"), std::string::npos) << unreachable.output;

  ServerProcess target;
  CommandResult unknown = run_sync(source, target.base_url(), {"--experiment", "nope"});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.output;
  EXPECT_NE(unknown.output.find("nope"), std::string::npos) << unknown.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
