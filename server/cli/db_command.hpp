#pragma once

// `mlflowcpp db upgrade <uri>`, as `mlflow db upgrade`: brings a backend store
// database to the schema this server reads.

#include <string>
#include <vector>

namespace mlflowcpp::cli {

// The arguments that follow `db`; returns the exit code (0 done, 1 the
// database cannot be used, 2 wrong usage). Writes what it did to stdout and
// errors to stderr.
int run_db_command(const std::vector<std::string>& arguments);

}  // namespace mlflowcpp::cli
