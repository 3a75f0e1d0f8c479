#include "testing/process_runner.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <cstdlib>
#include <stdexcept>

#include "testing/child_launch.hpp"
#include "testing/temp_dir.hpp"
#include "testing/wait.hpp"

namespace bp = boost::process;

namespace mlflowcpp::testing {

namespace detail {

namespace {

bp::environment child_environment(const EnvironmentOverrides& overrides) {
  bp::environment environment = boost::this_process::environment();
  std::vector<std::string> inherited_mlflow;
  for (const auto& entry : environment) {
    if (entry.get_name().rfind("MLFLOW_", 0) == 0) inherited_mlflow.push_back(entry.get_name());
  }
  for (const auto& name : inherited_mlflow) environment.erase(name);
  for (const auto& [name, value] : overrides) {
    if (value) {
      environment[name] = *value;
    } else if (environment.find(name) != environment.end()) {
      environment.erase(name);
    }
  }
  return environment;
}

// A FILE* that closes itself.
struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file != nullptr) std::fclose(file);
  }
};

}  // namespace

std::unique_ptr<bp::child> launch_child(const std::string& program, const std::vector<std::string>& args,
                                        const EnvironmentOverrides& environment,
                                        const std::string& output_file) {
  // Append, so a restarted server's log follows the previous one.
  std::unique_ptr<std::FILE, FileCloser> output(std::fopen(output_file.c_str(), "a"));
  if (!output) throw std::runtime_error("cannot open " + output_file);
  return std::make_unique<bp::child>(
      bp::exe = program, bp::args = args, bp::env = child_environment(environment), bp::std_in < bp::null,
      (bp::std_out & bp::std_err) > output.get(), bp::limit_handles,
      bp::extend::on_exec_setup = [](auto&) {
        // Dies with the test: no orphaned servers holding ports after a crash.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      });
}

bool wait_for_exit(bp::child& child, std::chrono::milliseconds timeout) {
  // child::wait_for is unreliable in Boost 1.74; running() is a plain waitpid(WNOHANG).
  return wait_until([&] { return !child.running(); }, timeout, std::chrono::milliseconds(10));
}

int exit_code_of(bp::child& child) {
  int status = child.native_exit_code();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return -1;
}

}  // namespace detail

std::string server_binary() {
  // The override lets the same tests run against another build (or the official server).
  const char* override_binary = std::getenv("MLFLOWCPP_TEST_SERVER_BINARY");
  if (override_binary != nullptr && *override_binary != '\0') return override_binary;
  return MLFLOWCPP_SERVER_BINARY;
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const EnvironmentOverrides& environment, std::chrono::milliseconds timeout) {
  TempDir scratch("mlflowcpp-command");
  const std::string output_file = (scratch.path() / "output.txt").string();
  CommandResult result;
  auto child = detail::launch_child(program, args, environment, output_file);
  if (!detail::wait_for_exit(*child, timeout)) {
    result.timed_out = true;
    child->terminate();  // SIGKILL
    child->wait();
  } else {
    result.exit_code = detail::exit_code_of(*child);
  }
  result.output = read_file(output_file);
  return result;
}

}  // namespace mlflowcpp::testing
