// mlflowcpp: the command-line program. `mlflowcpp server` runs the tracking
// server; `mlflowcpp db upgrade` prepares a database; `mlflowcpp sync` copies
// runs between stores; `mlflowcpp gc` deletes deleted runs for good;
// `mlflowcpp --version` prints the version.

#include "server/cli/db_command.hpp"
#include "server/cli/gc_command.hpp"
#include "server/cli/server_command.hpp"
#include "server/cli/sync_command.hpp"

#include <mlflowcpp/version.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace mlflowcpp;

constexpr const char* kUsage =
    "Usage: mlflowcpp [--version] [--help] <command> [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  server   Run the MLflow tracking server (see `mlflowcpp server --help`)\n"
    "  db       Create or check a backend store's schema (see `mlflowcpp db --help`)\n"
    "  sync     Copy runs and models from one tracking store to another (see `mlflowcpp sync --help`)\n"
    "  gc       Permanently delete runs and experiments in the deleted stage (see `mlflowcpp gc --help`)\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (arguments.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& command = arguments.front();
  if (command == "--version" || command == "version") {
    std::cout << "mlflowcpp " << kVersion << "\n";
    return 0;
  }
  if (command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "server") {
    try {
      return cli::run_server_command({arguments.begin() + 1, arguments.end()});
    } catch (const std::exception& error) {
      std::cerr << "mlflowcpp server: " << error.what() << "\n";
      return 1;
    }
  }
  if (command == "db") return cli::run_db_command({arguments.begin() + 1, arguments.end()});
  if (command == "sync") return cli::run_sync_command({arguments.begin() + 1, arguments.end()});
  if (command == "gc") return cli::run_gc_command({arguments.begin() + 1, arguments.end()});
  std::cerr << "mlflowcpp: unknown command '" << command << "'.\n" << kUsage;
  return 2;
}
