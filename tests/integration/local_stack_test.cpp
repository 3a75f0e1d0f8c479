// deploy/local-stack.sh: the deployment's topology from the built binary (PostgreSQL, s3rver, two replicas behind a
// round-robin proxy, basic auth on). The client library's calls go through the proxy with the variables the script
// prints: tracking, artifacts (stored in the S3 bucket), the registry; both replicas must have served API calls.

#include <gtest/gtest.h>

#include <mlflowcpp/mlflowcpp.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "testing/free_port.hpp"
#include "testing/process_runner.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::read_file;

const fs::path kScript = fs::path(MLFLOWCPP_SOURCE_DIR) / "deploy" / "local-stack.sh";

// One stack in a temporary directory: started by the constructor, stopped by stop() or the destructor.
class LocalStack {
 public:
  LocalStack() : dir_("mlflowcpp-local-stack"), stack_dir_(dir_ / "stack"), port_(testing::find_free_port()) {
    // PostgreSQL runs as the user postgres when the tests run as root: it must reach its data directory below ours.
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                     fs::perms::others_read | fs::perms::others_exec);
    started_ = run("start", std::chrono::seconds(180));
  }
  ~LocalStack() {
    if (!stopped_) stop();
  }
  LocalStack(const LocalStack&) = delete;
  LocalStack& operator=(const LocalStack&) = delete;

  const CommandResult& started() const { return started_; }
  CommandResult status() const { return run("status", std::chrono::seconds(30)); }
  CommandResult stop() {
    stopped_ = true;
    return run("stop", std::chrono::seconds(120));
  }

  int port() const { return port_; }
  const fs::path& directory() const { return stack_dir_; }

  // client.env: NAME=value lines.
  std::map<std::string, std::string> client_variables() const {
    std::map<std::string, std::string> variables;
    std::istringstream lines(read_file(stack_dir_ / "client.env"));
    for (std::string line; std::getline(lines, line);) {
      const auto equals = line.find('=');
      if (equals != std::string::npos) variables[line.substr(0, equals)] = line.substr(equals + 1);
    }
    return variables;
  }

  // API calls each replica served, from the proxy's log (`upstream=<index> <method> <path> <status>`).
  std::map<std::string, int> api_calls_per_replica() const {
    std::map<std::string, int> calls;
    const std::string log = read_file(stack_dir_ / "proxy.log");
    const std::regex line(R"(upstream=(\d+) \S+ /api/\S+ \d+)");
    for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator(); ++it) {
      ++calls[(*it)[1].str()];
    }
    return calls;
  }

 private:
  CommandResult run(const std::string& action, std::chrono::milliseconds timeout) const {
    return testing::run_command(kScript.string(), {action},
                                {{"LOCAL_STACK_DIR", stack_dir_.string()},
                                 {"LOCAL_STACK_PORT", std::to_string(port_)},
                                 {"LOCAL_STACK_BINARY", testing::server_binary()}},
                                timeout);
  }

  testing::TempDir dir_;
  fs::path stack_dir_;
  int port_;
  CommandResult started_;
  bool stopped_ = false;
};

// The s3rver file of an object whose key ends in `name`, if any.
std::optional<fs::path> stored_object(const fs::path& s3_dir, const std::string& name) {
  for (const auto& entry : fs::recursive_directory_iterator(s3_dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().rfind(name, 0) == 0) return entry.path();
  }
  return std::nullopt;
}

TEST(LocalStackTest, ServesTrackingArtifactsAndRegistryThroughTheProxyFromBothReplicas) {
  LocalStack stack;
  ASSERT_EQ(stack.started().exit_code, 0) << stack.started().output;
  const std::string tracking_uri = "http://127.0.0.1:" + std::to_string(stack.port());
  EXPECT_NE(stack.started().output.find("export MLFLOW_TRACKING_URI=" + tracking_uri), std::string::npos)
      << stack.started().output;
  const CommandResult status = stack.status();
  EXPECT_EQ(status.exit_code, 0) << status.output;

  const auto variables = stack.client_variables();
  ClientOptions options;
  options.tracking_uri = variables.at("MLFLOW_TRACKING_URI");
  options.username = variables.at("MLFLOW_TRACKING_USERNAME");
  options.password = variables.at("MLFLOW_TRACKING_PASSWORD");
  EXPECT_EQ(*options.tracking_uri, tracking_uri);
  MlflowClient client(options);

  // Tracking: each call may land on either replica; they share the database.
  const std::string experiment_id = client.create_experiment("local-stack");
  CreateRunRequest run_request;
  run_request.experiment_id = experiment_id;
  run_request.run_name = "through-the-proxy";
  const mlflowcpp::Run run = client.create_run(run_request);
  client.log_param(run.info.run_id, "replicas", "2");
  for (int step = 0; step < 10; ++step) {
    MetricOptions at_step;
    at_step.step = step;
    client.log_metric(run.info.run_id, "loss", 1.0 / (step + 1), at_step);
  }
  EXPECT_EQ(client.get_metric_history(run.info.run_id, "loss").size(), 10u);
  EXPECT_EQ(client.get_run(run.info.run_id).data.params.size(), 1u);

  // Artifacts go through the servers' proxy into the bucket.
  testing::TempDir files("mlflowcpp-local-stack-files");
  const std::string content = "weights of a model trained through a load balancer\n";
  testing::write_file(files / "weights.txt", content);
  client.log_artifact(run.info.run_id, files / "weights.txt", "model");
  const auto listed = client.list_artifacts(run.info.run_id, "model");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].path, "model/weights.txt");
  const fs::path downloaded = client.download_artifacts(run.info.run_id, "model/weights.txt", files / "downloaded");
  EXPECT_EQ(read_file(downloaded), content);
  EXPECT_TRUE(stored_object(stack.directory() / "s3" / "mlflow", "weights.txt").has_value())
      << "the artifact is not in the s3rver bucket";
  client.set_terminated(run.info.run_id);

  // Registry.
  client.create_registered_model("local-stack-model");
  CreateModelVersionRequest version;
  version.name = "local-stack-model";
  version.source = run.info.artifact_uri + "/model";
  version.run_id = run.info.run_id;
  EXPECT_EQ(client.create_model_version(version).version, "1");
  EXPECT_EQ(client.get_model_version("local-stack-model", "1").run_id, run.info.run_id);

  const auto calls = stack.api_calls_per_replica();
  EXPECT_GT(calls.count("0") ? calls.at("0") : 0, 0) << "replica 1 served no API call";
  EXPECT_GT(calls.count("1") ? calls.at("1") : 0, 0) << "replica 2 served no API call";

  const CommandResult stopped = stack.stop();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.output;
  EXPECT_FALSE(fs::exists(stack.directory()));
  EXPECT_EQ(stack.status().exit_code, 3) << "nothing runs after stop";
}

TEST(LocalStackTest, RefusesAnUnknownAction) {
  const CommandResult result = testing::run_command(kScript.string(), {"restart"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.output.find("usage"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
