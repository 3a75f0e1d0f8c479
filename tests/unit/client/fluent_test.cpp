#include <mlflowcpp/fluent.hpp>

#include "protocol/json_codec.hpp"
#include "recording_connection.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

namespace mlflowcpp {
namespace {

using protocol::Json;
using testing::json_response;
using testing::RecordingConnection;

// Just enough of a tracking server, in memory, to watch the fluent layer.
class FakeTracking {
 public:
  FakeTracking()
      : connection_(std::make_shared<RecordingConnection>([this](const HttpRequest& r) { return handle(r); })) {
    experiments_["Default"] = "0";
  }

  MlflowClient client() const { return MlflowClient(connection_); }
  std::map<std::string, std::string> experiments_;  // name -> id
  std::map<std::string, Run> runs_;
  int create_experiment_calls = 0;

  std::string tag(const std::string& run_id, const std::string& key) const {
    for (const auto& tag : runs_.at(run_id).data.tags) {
      if (tag.key == key) return tag.value;
    }
    return "<unset>";
  }

 private:
  HttpResponse handle(const HttpRequest& request) {
    std::string endpoint = request.path.substr(std::string("/api/2.0/mlflow/").size());
    std::map<std::string, std::string> query(request.query.begin(), request.query.end());
    Json body = request.body.empty() ? Json::object() : Json::parse(request.body);
    if (endpoint == "experiments/get-by-name") {
      auto it = experiments_.find(query["experiment_name"]);
      if (it == experiments_.end()) return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST"})");
      return json_response(200, Json{{"experiment", {{"experiment_id", it->second}, {"name", it->first}}}}.dump());
    }
    if (endpoint == "experiments/get") {
      for (const auto& [name, id] : experiments_) {
        if (id == query["experiment_id"]) {
          return json_response(200, Json{{"experiment", {{"experiment_id", id}, {"name", name}}}}.dump());
        }
      }
      return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST"})");
    }
    if (endpoint == "experiments/create") {
      ++create_experiment_calls;
      std::string id = std::to_string(experiments_.size() + 100);
      experiments_[body["name"].get<std::string>()] = id;
      return json_response(200, Json{{"experiment_id", id}}.dump());
    }
    if (endpoint == "runs/create") {
      Run run;
      run.info.run_id = "run" + std::to_string(runs_.size() + 1);
      run.info.experiment_id = body["experiment_id"];
      run.info.run_name = body.value("run_name", "generated-name");
      for (const auto& tag : body.value("tags", Json::array())) run.data.tags.push_back(protocol::run_tag_from_json(tag));
      runs_[run.info.run_id] = run;
      return json_response(200, Json{{"run", protocol::to_json(run, false)}}.dump());
    }
    if (endpoint == "runs/get") {
      auto it = runs_.find(query["run_id"]);
      if (it == runs_.end()) return json_response(404, R"({"error_code":"RESOURCE_DOES_NOT_EXIST"})");
      return json_response(200, Json{{"run", protocol::to_json(it->second)}}.dump());
    }
    if (endpoint == "runs/update") {
      Run& run = runs_.at(body["run_id"]);
      if (body.contains("status")) run.info.status = *parse_run_status(body["status"].get<std::string>());
      if (body.contains("end_time")) run.info.end_time = body["end_time"].get<int64_t>();
      return json_response(200, Json{{"run_info", protocol::to_json(run.info)}}.dump());
    }
    if (endpoint == "runs/log-batch") {
      Run& run = runs_.at(body["run_id"]);
      for (const auto& tag : body.value("tags", Json::array())) run.data.tags.push_back(protocol::run_tag_from_json(tag));
      for (const auto& p : body.value("params", Json::array())) run.data.params.push_back(protocol::param_from_json(p));
      for (const auto& m : body.value("metrics", Json::array())) run.data.metrics.push_back(protocol::metric_from_json(m));
      return json_response(200, "{}");
    }
    if (endpoint == "runs/log-metric") {
      runs_.at(body["run_id"]).data.metrics.push_back(protocol::metric_from_json(body));
      return json_response(200, "{}");
    }
    if (endpoint == "runs/log-parameter") {
      runs_.at(body["run_id"]).data.params.push_back(protocol::param_from_json(body));
      return json_response(200, "{}");
    }
    if (endpoint == "runs/set-tag") {
      runs_.at(body["run_id"]).data.tags.push_back(protocol::run_tag_from_json(body));
      return json_response(200, "{}");
    }
    return json_response(404, "not found");
  }

  std::shared_ptr<RecordingConnection> connection_;
};

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

StartRunOptions options_with(std::map<std::string, std::string> variables) {
  StartRunOptions options;
  options.environment = environment(std::move(variables));
  return options;
}

TEST(ActiveRun, EndsFinishedOnNormalScopeExit) {
  FakeTracking server;
  std::string run_id;
  {
    ActiveRun run = start_run(server.client(), options_with({}));
    run_id = run.run_id();
    run.log_metric("loss", 0.5, 3);
    run.log_param("lr", 0.01);
    run.log_param("epochs", 10);
    run.log_param("shuffle", true);
    run.set_tag("team", "x");
    EXPECT_EQ(server.runs_[run_id].info.status, RunStatus::kRunning);
  }
  const mlflowcpp::Run& run = server.runs_.at(run_id);
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_TRUE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.experiment_id, "0");
  ASSERT_EQ(run.data.params.size(), 3u);
  EXPECT_EQ(run.data.params[0].value, "0.01");
  EXPECT_EQ(run.data.params[1].value, "10");
  EXPECT_EQ(run.data.params[2].value, "True");
  ASSERT_EQ(run.data.metrics.size(), 1u);
  EXPECT_EQ(run.data.metrics[0].step, 3);
}

TEST(ActiveRun, EndsFailedWhenTheScopeUnwindsByAnException) {
  FakeTracking server;
  std::string run_id;
  try {
    ActiveRun run = start_run(server.client(), options_with({}));
    run_id = run.run_id();
    throw std::runtime_error("training diverged");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFailed);
}

TEST(ActiveRun, KillEndsKilledAndOnlyOnce) {
  FakeTracking server;
  std::string run_id;
  {
    ActiveRun run = start_run(server.client(), options_with({}));
    run_id = run.run_id();
    run.kill();
    EXPECT_TRUE(run.ended());
    EXPECT_EQ(run.info().status, RunStatus::kKilled);
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kKilled);  // not overwritten by the destructor
}

TEST(ActiveRun, StartedInsideACatchBlockEndsFinished) {
  FakeTracking server;
  std::string run_id;
  try {
    throw std::runtime_error("first failure");
  } catch (const std::runtime_error&) {
    // Inside a handler the exception is caught, so nothing is unwinding.
    ActiveRun run = start_run(server.client(), options_with({}));
    run_id = run.run_id();
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFinished);
}

// Starts a run in its destructor, while an exception unwinds the stack.
struct StartsRunWhenDestroyed {
  FakeTracking* server;
  std::string* run_id;
  std::optional<RunStatus>* status_inside;
  ~StartsRunWhenDestroyed() {
    EXPECT_EQ(std::uncaught_exceptions(), 1);
    {
      ActiveRun run = start_run(server->client(), options_with({}));
      *run_id = run.run_id();
    }
    *status_inside = server->runs_.at(*run_id).info.status;
  }
};

TEST(ActiveRun, StartedInADestructorDuringUnwindingEndsFinished) {
  FakeTracking server;
  std::string run_id;
  std::optional<RunStatus> status;
  try {
    StartsRunWhenDestroyed guard{&server, &run_id, &status};
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(*status, RunStatus::kFinished);
}

// Same, but the run's own scope is left by a second exception: FAILED.
struct FailsRunWhenDestroyed {
  FakeTracking* server;
  std::string* run_id;
  ~FailsRunWhenDestroyed() {
    try {
      ActiveRun run = start_run(server->client(), options_with({}));
      *run_id = run.run_id();
      throw std::logic_error("nested failure");
    } catch (const std::logic_error&) {
    }
  }
};

TEST(ActiveRun, StartedInADestructorAndLeftByItsOwnExceptionEndsFailed) {
  FakeTracking server;
  std::string run_id;
  try {
    FailsRunWhenDestroyed guard{&server, &run_id};
    throw std::runtime_error("unwinding");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFailed);
}

TEST(ActiveRun, MovedRunEndsOnce) {
  FakeTracking server;
  std::string run_id;
  {
    ActiveRun outer = [&] {
      ActiveRun inner = start_run(server.client(), options_with({}));
      return inner;
    }();
    run_id = outer.run_id();
    EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kRunning);
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFinished);
}

TEST(ActiveRun, SetsTheSystemTags) {
  FakeTracking server;
  StartRunOptions options = options_with({{"USER", "alice"}});
  options.run_name = "baseline";
  options.description = "first try";
  options.tags = {{"team", "vision"}, {"mlflow.source.type", "JOB"}};
  ActiveRun run = start_run(server.client(), options);
  EXPECT_EQ(server.tag(run.run_id(), "mlflow.user"), "alice");
  EXPECT_EQ(server.tag(run.run_id(), "mlflow.runName"), "baseline");
  EXPECT_EQ(server.tag(run.run_id(), "mlflow.note.content"), "first try");
  EXPECT_EQ(server.tag(run.run_id(), "team"), "vision");
  EXPECT_EQ(server.tag(run.run_id(), "mlflow.source.type"), "JOB");  // a user tag wins
  EXPECT_NE(server.tag(run.run_id(), "mlflow.source.name"), "<unset>");
  EXPECT_EQ(server.tag(run.run_id(), "mlflow.parentRunId"), "<unset>");
}

TEST(ActiveRun, NestedRunsCarryTheParentTagAndExperiment) {
  FakeTracking server;
  StartRunOptions options = options_with({});
  options.experiment_name = "nested-exp";
  ActiveRun parent = start_run(server.client(), options);
  ActiveRun child = parent.start_nested_run(options_with({}));
  EXPECT_EQ(server.tag(child.run_id(), "mlflow.parentRunId"), parent.run_id());
  EXPECT_EQ(child.experiment_id(), parent.experiment_id());
  EXPECT_NE(child.run_id(), parent.run_id());
}

TEST(ExperimentResolution, ArgumentThenNameThenEnvironmentThenDefault) {
  FakeTracking server;
  MlflowClient client = server.client();
  StartRunOptions options = options_with({{"MLFLOW_EXPERIMENT_NAME", "from-env"}});
  options.experiment_id = "42";
  EXPECT_EQ(resolve_experiment_id(client, options), "42");

  options.experiment_id.reset();
  options.experiment_name = "by-argument";
  std::string by_argument = resolve_experiment_id(client, options);
  EXPECT_EQ(server.experiments_.at("by-argument"), by_argument);

  options.experiment_name.reset();
  std::string from_env = resolve_experiment_id(client, options);
  EXPECT_EQ(server.experiments_.at("from-env"), from_env);
  // A second resolution finds it instead of creating it again.
  int creates = server.create_experiment_calls;
  EXPECT_EQ(resolve_experiment_id(client, options), from_env);
  EXPECT_EQ(server.create_experiment_calls, creates);

  EXPECT_EQ(resolve_experiment_id(client, options_with({})), "0");
}

TEST(ExperimentResolution, EnvironmentIdMustExistAndAgreeWithTheName) {
  FakeTracking server;
  MlflowClient client = server.client();
  server.experiments_["known"] = "5";
  EXPECT_EQ(resolve_experiment_id(client, options_with({{"MLFLOW_EXPERIMENT_ID", "5"}})), "5");
  EXPECT_THROW(resolve_experiment_id(client, options_with({{"MLFLOW_EXPERIMENT_ID", "77"}})), MlflowException);
  EXPECT_EQ(resolve_experiment_id(client, options_with({{"MLFLOW_EXPERIMENT_NAME", "known"},
                                                        {"MLFLOW_EXPERIMENT_ID", "5"}})),
            "5");
  EXPECT_THROW(resolve_experiment_id(client, options_with({{"MLFLOW_EXPERIMENT_NAME", "known"},
                                                           {"MLFLOW_EXPERIMENT_ID", "6"}})),
               MlflowException);
}

TEST(ActiveRun, MlflowRunIdResumesTheRun) {
  FakeTracking server;
  std::string run_id;
  {
    ActiveRun first = start_run(server.client(), options_with({}));
    run_id = first.run_id();
  }
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFinished);
  std::size_t runs_before = server.runs_.size();
  {
    ActiveRun resumed = start_run(server.client(), options_with({{"MLFLOW_RUN_ID", run_id}}));
    EXPECT_EQ(resumed.run_id(), run_id);
    EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kRunning);
    // A nested run never resumes MLFLOW_RUN_ID.
    StartRunOptions child_options = options_with({{"MLFLOW_RUN_ID", run_id}});
    ActiveRun child = resumed.start_nested_run(child_options);
    EXPECT_NE(child.run_id(), run_id);
  }
  EXPECT_EQ(server.runs_.size(), runs_before + 1);
  EXPECT_EQ(server.runs_.at(run_id).info.status, RunStatus::kFinished);
}

TEST(ActiveRun, StartRunWithoutTrackingUriIsAClearError) {
  EXPECT_THROW(start_run(options_with({})), MlflowException);
}

TEST(ActiveRun, DestructorSurvivesAnUnreachableServer) {
  int calls = 0;
  auto connection = std::make_shared<RecordingConnection>([&](const HttpRequest& request) -> HttpResponse {
    ++calls;
    if (request.path.find("runs/create") != std::string::npos) {
      return json_response(200, R"({"run":{"info":{"run_id":"r1","experiment_id":"0"}}})");
    }
    throw TransportError("connection refused");
  });
  {
    ActiveRun run = start_run(MlflowClient(connection), options_with({}));
    EXPECT_THROW(run.log_metric("x", 1), TransportError);
  }  // the destructor must not throw
  EXPECT_EQ(calls, 3);  // create, log, update
}

}  // namespace
}  // namespace mlflowcpp
