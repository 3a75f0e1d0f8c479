#pragma once

// Internal to the testing library: how every child process is spawned.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <boost/process/child.hpp>

#include "testing/process_runner.hpp"

namespace mlflowcpp::testing::detail {

// Spawns `program args...` with the environment rules of EnvironmentOverrides,
// stdin from /dev/null, stdout+stderr appended to `output_file`, no inherited
// descriptors, and SIGKILL on the death of the spawning thread. Throws
// boost::process::process_error when the program cannot be started.
std::unique_ptr<boost::process::child> launch_child(const std::string& program,
                                                    const std::vector<std::string>& args,
                                                    const EnvironmentOverrides& environment,
                                                    const std::string& output_file);

// Polls until the child has exited or `timeout` passes; true if it exited.
bool wait_for_exit(boost::process::child& child, std::chrono::milliseconds timeout);

// Exit code of an exited child, -1 if a signal ended it.
int exit_code_of(boost::process::child& child);

}  // namespace mlflowcpp::testing::detail
