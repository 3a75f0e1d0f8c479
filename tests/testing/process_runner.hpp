#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::testing {

// The environment for a child process: the parent's, minus every MLFLOW_*
// variable (so a developer's shell cannot change a test), plus `overrides`.
// A value of std::nullopt removes the variable.
using EnvironmentOverrides = std::map<std::string, std::optional<std::string>>;

// How a finished command ended.
struct CommandResult {
  bool timed_out = false;  // killed because it outlived the deadline
  int exit_code = -1;      // exit status, or -1 when killed by a signal
  std::string output;      // stdout and stderr interleaved
};

// Runs `program args...` to completion (or kills it at `timeout`), capturing output.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const EnvironmentOverrides& environment = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The `mlflowcpp` binary the tests exercise: $MLFLOWCPP_TEST_SERVER_BINARY if set,
// else the one this build made.
std::string server_binary();

}  // namespace mlflowcpp::testing
