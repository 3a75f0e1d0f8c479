// The deployment files under deploy/, checked as CI would check them: every YAML file parses and its kustomizations
// name files that exist, server containers have their probes and a grace period longer than their drain, every flag
// and MLFLOW_*/MLFLOWCPP_* variable they use is one the program documents, the Dockerfile's build stage runs only
// the project's scripts, the runtime package list matches the libraries the built binary loads, and the image's
// health check script tells a serving server from a missing one.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testing/free_port.hpp"
#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::read_file;
using testing::run_command;

const fs::path kSourceDir = MLFLOWCPP_SOURCE_DIR;
const fs::path kDeployDir = kSourceDir / "deploy";

// MLFLOW_* variables the deploy files may name although `mlflowcpp server --help` does not list them: what clients
// read (shown to users), the S3 endpoint the server reads as MLflow's artifact stores do, and the build scripts' own.
const std::set<std::string> kVariablesBeyondServerHelp = {"MLFLOW_TRACKING_URI",      "MLFLOW_TRACKING_USERNAME",
                                                          "MLFLOW_TRACKING_PASSWORD", "MLFLOW_S3_ENDPOINT_URL",
                                                          "MLFLOW_S3_IGNORE_TLS",     "MLFLOWCPP_BUILD_DIR"};

// What the Dockerfile's build stage may run besides the project's scripts.
const std::set<std::string> kBuildStageBasics = {"apt-get", "cp", "mkdir"};

std::vector<fs::path> deploy_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(kDeployDir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

std::set<std::string> matches(const std::string& text, const std::regex& pattern) {
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern); it != std::sregex_iterator(); ++it) {
    found.insert(it->str());
  }
  return found;
}

const std::regex kFlag(R"(--[a-z][a-z0-9-]*)");
const std::regex kVariable(R"(\bMLFLOW(CPP)?_[A-Z0-9_]+)");

// `mlflowcpp <command> --help`, which must succeed.
std::string help_of(const std::vector<std::string>& command) {
  std::vector<std::string> args = command;
  args.push_back("--help");
  const CommandResult result = run_command(testing::server_binary(), args);
  EXPECT_EQ(result.exit_code, 0) << "mlflowcpp " << args.front() << " --help:\n" << result.output;
  return result.output;
}

// deploy_manifests.py's report on every YAML file.
nlohmann::json manifest_report() {
  const CommandResult result = run_command(
      "/usr/bin/env", {"python3", (kSourceDir / "tests/integration/deploy_manifests.py").string(), kDeployDir.string()},
      {}, std::chrono::seconds(60));
  if (result.exit_code != 0) {
    ADD_FAILURE() << "deploy_manifests.py failed (python3 with PyYAML: scripts/install-deps.sh --test):\n"
                  << result.output;
    return {{"problems", nlohmann::json::array()}, {"invocations", nlohmann::json::array()}};
  }
  return nlohmann::json::parse(result.output);
}

// The Dockerfile as instructions: comments dropped, continued lines joined.
std::vector<std::string> dockerfile_instructions() {
  std::istringstream lines(read_file(kDeployDir / "Dockerfile"));
  std::vector<std::string> instructions;
  std::string line;
  std::string pending;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    instructions.push_back(pending + line);
    pending.clear();
  }
  return instructions;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream stream(text);
  std::vector<std::string> result;
  for (std::string word; stream >> word;) result.push_back(word);
  return result;
}

TEST(DeployFilesTest, EveryYamlFileParsesAndServerContainersAreComplete) {
  const auto report = manifest_report();
  for (const auto& problem : report["problems"]) ADD_FAILURE() << problem.get<std::string>();
  EXPECT_FALSE(report["invocations"].empty()) << "no YAML file runs `mlflowcpp server`";
}

TEST(DeployFilesTest, FlagsAreOnesTheProgramLists) {
  const std::map<std::string, std::set<std::string>> known = {
      {"server", matches(help_of({"server"}), kFlag)},
      {"gc", matches(help_of({"gc"}), kFlag)},
  };
  EXPECT_NE(help_of({}).find("gc"), std::string::npos) << "`mlflowcpp --help` lists no gc command";

  // The YAML files' containers and services...
  std::vector<std::pair<std::string, std::vector<std::string>>> invocations;
  const auto report = manifest_report();
  for (const auto& invocation : report["invocations"]) {
    invocations.emplace_back(invocation["file"].get<std::string>(),
                             invocation["arguments"].get<std::vector<std::string>>());
  }
  // ...and the local stack's replicas: `"$binary" server ...` up to the first line not continued.
  const std::string stack = read_file(kDeployDir / "local-stack.sh");
  const std::regex server_command(R"("\$binary" (server|gc)((?:[^\n]*\\\n)*[^\n]*))");
  for (auto it = std::sregex_iterator(stack.begin(), stack.end(), server_command); it != std::sregex_iterator(); ++it) {
    std::vector<std::string> arguments = {(*it)[1].str()};
    for (const auto& flag : matches((*it)[2].str(), kFlag)) arguments.push_back(flag);
    invocations.emplace_back("local-stack.sh", arguments);
  }
  ASSERT_GE(invocations.size(), 5u);

  for (const auto& [file, arguments] : invocations) {
    const auto& flags = known.at(arguments.front());
    for (const auto& argument : arguments) {
      if (argument.rfind("--", 0) != 0) continue;
      const std::string flag = argument.substr(0, argument.find('='));
      EXPECT_TRUE(flags.count(flag)) << file << ": `mlflowcpp " << arguments.front() << " --help` lists no " << flag;
    }
  }
}

TEST(DeployFilesTest, VariablesAreOnesTheServerListsOrClientsRead) {
  const std::string help = help_of({"server"}) + help_of({"gc"});
  std::set<std::string> known = matches(help, kVariable);
  known.insert(kVariablesBeyondServerHelp.begin(), kVariablesBeyondServerHelp.end());
  for (const auto& file : deploy_files()) {
    for (const auto& variable : matches(read_file(file), kVariable)) {
      EXPECT_TRUE(known.count(variable)) << fs::relative(file, kSourceDir).string() << " names " << variable
                                         << ", which neither `mlflowcpp server --help` nor `mlflowcpp gc --help` "
                                            "lists (nor is it a client's variable)";
    }
  }
}

TEST(DeployFilesTest, DockerfileBuildsWithTheProjectScriptsAndRunsUnprivileged) {
  const auto instructions = dockerfile_instructions();
  std::vector<std::vector<std::string>> stages;
  for (const auto& instruction : instructions) {
    const auto parts = words(instruction);
    if (parts.front() == "FROM") {
      EXPECT_EQ(parts.at(1), "debian:12-slim") << instruction;
      stages.emplace_back();
    }
    ASSERT_FALSE(stages.empty()) << "an instruction before the first FROM: " << instruction;
    stages.back().push_back(instruction);
  }
  ASSERT_EQ(stages.size(), 2u) << "a build stage and a runtime stage";
  EXPECT_NE(stages[0].front().find(" AS build"), std::string::npos) << stages[0].front();

  const std::regex command_separator(R"(\s*(&&|\|\||;)\s*)");
  for (const auto& instruction : stages[0]) {
    if (instruction.rfind("RUN ", 0) != 0) continue;
    const std::string commands = instruction.substr(4);
    for (std::sregex_token_iterator it(commands.begin(), commands.end(), command_separator, -1), end; it != end; ++it) {
      auto command = words(*it);
      // Leading NAME=value assignments set the command's environment.
      while (!command.empty() && command.front().find('=') != std::string::npos) command.erase(command.begin());
      ASSERT_FALSE(command.empty()) << instruction;
      const std::string& program = command.front();
      if (program.rfind("./scripts/", 0) == 0) {
        EXPECT_TRUE(fs::exists(kSourceDir / program)) << program << " is not in the repository";
      } else {
        EXPECT_TRUE(kBuildStageBasics.count(program)) << "the build stage runs " << program << ": " << instruction;
      }
    }
  }

  bool numeric_user = false, exec_entrypoint = false, health_check = false, reads_package_list = false;
  for (const auto& instruction : stages[1]) {
    const auto parts = words(instruction);
    if (parts.front() == "USER") numeric_user = std::regex_match(parts.at(1), std::regex(R"(\d+(:\d+)?)"));
    if (parts.front() == "ENTRYPOINT") exec_entrypoint = parts.at(1).front() == '[';
    if (parts.front() == "HEALTHCHECK") health_check = instruction.find("CMD") != std::string::npos;
    if (parts.front() == "RUN" && instruction.find("runtime-packages.txt") != std::string::npos) {
      reads_package_list = true;
    }
    // What the runtime stage copies from the build context must exist.
    if (parts.front() == "COPY" && parts.at(1).rfind("--from", 0) != 0) {
      EXPECT_TRUE(fs::exists(kSourceDir / parts.at(1))) << instruction;
    }
  }
  EXPECT_TRUE(numeric_user) << "the runtime stage runs as a numeric non-root USER";
  EXPECT_TRUE(exec_entrypoint) << "ENTRYPOINT in exec form, so the server is PID 1 and gets SIGTERM";
  EXPECT_TRUE(health_check);
  EXPECT_TRUE(reads_package_list) << "the runtime packages come from deploy/runtime-packages.txt";
}

TEST(DeployFilesTest, RuntimePackagesMatchTheLibrariesOfTheBuiltBinary) {
  const CommandResult derived = run_command((kDeployDir / "runtime-packages.sh").string(), {testing::server_binary()},
                                            {}, std::chrono::seconds(60));
  ASSERT_EQ(derived.exit_code, 0) << derived.output;
  std::istringstream listed(read_file(kDeployDir / "runtime-packages.txt"));
  std::string packages;
  for (std::string line; std::getline(listed, line);) {
    if (!line.empty() && line.front() != '#') packages += line + "\n";
  }
  EXPECT_EQ(packages, derived.output)
      << "deploy/runtime-packages.txt is out of date: regenerate it with deploy/runtime-packages.sh "
         "build/server/mlflowcpp";
}

CommandResult health_check(int port, const std::string& static_prefix = "") {
  return run_command((kDeployDir / "healthcheck.sh").string(), {},
                     {{"MLFLOW_PORT", std::to_string(port)}, {"MLFLOW_STATIC_PREFIX", static_prefix}},
                     std::chrono::seconds(15));
}

TEST(DeployFilesTest, HealthCheckScriptTellsAServingServerFromNone) {
  {
    testing::ServerProcess server;
    EXPECT_EQ(health_check(server.port()).exit_code, 0) << health_check(server.port()).output;
  }
  testing::ServerOptions options;
  options.extra_args = {"--static-prefix", "/mlflow"};
  testing::ServerProcess prefixed(options);
  EXPECT_EQ(health_check(prefixed.port(), "/mlflow").exit_code, 0);
  EXPECT_NE(health_check(prefixed.port()).exit_code, 0) << "/health answers only under the static prefix";

  EXPECT_NE(health_check(testing::find_free_port()).exit_code, 0) << "nothing listens there";
}

}  // namespace
}  // namespace mlflowcpp::integration
