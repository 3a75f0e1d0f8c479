// start_run / ActiveRun against the real server: end statuses, nesting,
// experiment resolution from the environment, resuming, system tags.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <map>
#include <memory>
#include <stdexcept>

#include "fluent_server_test.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::integration {
namespace {

class ClientFluentTest : public FluentServerTest {
 protected:
  static std::string tag(const mlflowcpp::Run& run, const std::string& key) {
    for (const auto& tag : run.data.tags) {
      if (tag.key == key) return tag.value;
    }
    return "<unset>";
  }
};

TEST_F(ClientFluentTest, TrainingLoopEndsFinished) {
  std::string run_id;
  {
    StartRunOptions start = options({{"USER", "trainer"}});
    start.run_name = "loop";
    ActiveRun run = start_run(start);
    run_id = run.run_id();
    run.log_params({{"lr", "0.01"}, {"batch", "32"}});
    for (int step = 0; step < 10; ++step) run.log_metrics({{"loss", 1.0 / (step + 1)}, {"acc", step / 10.0}}, step);
    run.set_tag("phase", "train");
  }
  mlflowcpp::Run run = client().get_run(run_id);
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_TRUE(run.info.end_time.has_value());
  EXPECT_EQ(run.info.run_name, "loop");
  EXPECT_EQ(run.data.params.size(), 2u);
  EXPECT_EQ(client().get_metric_history(run_id, "loss").size(), 10u);
  EXPECT_EQ(tag(run, "mlflow.user"), "trainer");
  EXPECT_EQ(tag(run, "mlflow.runName"), "loop");
  EXPECT_EQ(tag(run, "mlflow.source.type"), "LOCAL");
  EXPECT_NE(tag(run, "mlflow.source.name").find("client_fluent_test"), std::string::npos);
  EXPECT_EQ(tag(run, "phase"), "train");
}

TEST_F(ClientFluentTest, ExceptionEndsFailedAndKillEndsKilled) {
  std::string failed_id, killed_id;
  try {
    ActiveRun run = start_run(options());
    failed_id = run.run_id();
    throw std::runtime_error("loss is NaN");
  } catch (const std::runtime_error&) {
  }
  {
    ActiveRun run = start_run(options());
    killed_id = run.run_id();
    run.kill();
  }
  EXPECT_EQ(client().get_run(failed_id).info.status, RunStatus::kFailed);
  EXPECT_EQ(client().get_run(killed_id).info.status, RunStatus::kKilled);
}

TEST_F(ClientFluentTest, RunStartedInACatchBlockEndsFinished) {
  std::string run_id;
  try {
    throw std::runtime_error("retry the training");
  } catch (const std::runtime_error&) {
    ActiveRun run = start_run(options());
    run_id = run.run_id();
  }
  EXPECT_EQ(client().get_run(run_id).info.status, RunStatus::kFinished);
}

TEST_F(ClientFluentTest, NestedRunsCarryTheParentTag) {
  std::string parent_id, child_id;
  {
    StartRunOptions start = options();
    start.experiment_name = "client-fluent-nested";
    ActiveRun parent = start_run(start);
    parent_id = parent.run_id();
    ActiveRun child = parent.start_nested_run(options());
    child_id = child.run_id();
  }
  mlflowcpp::Run child = client().get_run(child_id);
  EXPECT_EQ(tag(child, "mlflow.parentRunId"), parent_id);
  EXPECT_EQ(child.info.experiment_id, client().get_run(parent_id).info.experiment_id);
  EXPECT_EQ(child.info.status, RunStatus::kFinished);
}

TEST_F(ClientFluentTest, ExperimentNameFromTheEnvironmentIsCreatedOnce) {
  std::string first_experiment, second_experiment;
  {
    ActiveRun run = start_run(options({{"MLFLOW_EXPERIMENT_NAME", "client-fluent-env"}}));
    first_experiment = run.experiment_id();
  }
  {
    ActiveRun run = start_run(options({{"MLFLOW_EXPERIMENT_NAME", "client-fluent-env"}}));
    second_experiment = run.experiment_id();
  }
  auto experiment = client().get_experiment_by_name("client-fluent-env");
  ASSERT_TRUE(experiment);
  EXPECT_EQ(first_experiment, experiment->experiment_id);
  EXPECT_EQ(second_experiment, experiment->experiment_id);

  ActiveRun by_id = start_run(options({{"MLFLOW_EXPERIMENT_ID", experiment->experiment_id}}));
  EXPECT_EQ(by_id.experiment_id(), experiment->experiment_id);
  ActiveRun by_default = start_run(options());
  EXPECT_EQ(by_default.experiment_id(), "0");
}

TEST_F(ClientFluentTest, MlflowRunIdResumesTheRun) {
  std::string run_id;
  {
    ActiveRun run = start_run(options());
    run_id = run.run_id();
    run.log_metric("epoch", 1, 1);
  }
  {
    ActiveRun resumed = start_run(options({{"MLFLOW_RUN_ID", run_id}}));
    EXPECT_EQ(resumed.run_id(), run_id);
    EXPECT_EQ(client().get_run(run_id).info.status, RunStatus::kRunning);
    resumed.log_metric("epoch", 2, 2);
  }
  mlflowcpp::Run run = client().get_run(run_id);
  EXPECT_EQ(run.info.status, RunStatus::kFinished);
  EXPECT_EQ(client().get_metric_history(run_id, "epoch").size(), 2u);
}

}  // namespace
}  // namespace mlflowcpp::integration
