#pragma once

// `mlflowcpp server`, as `mlflow server`: serves MLflow's REST API (and the UI)
// over a backend store and an artifact store until SIGINT or SIGTERM.

#include <string>
#include <vector>

namespace mlflowcpp::cli {

// The arguments that follow `server`; returns the exit code (0 stopped by a
// signal, 1 the server could not start or failed, 2 wrong usage).
int run_server_command(const std::vector<std::string>& arguments);

}  // namespace mlflowcpp::cli
