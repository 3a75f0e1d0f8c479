#pragma once

// `mlflowcpp sync --from URI --to URI`: copies runs (and the registered models
// made from them) from one tracking store to another; see <mlflowcpp/sync.hpp>.

#include <mlflowcpp/client.hpp>

#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::cli {

struct SyncCommandOptions {
  std::string from_uri;
  std::string to_uri;
  std::vector<std::string> experiments;  // empty: every active experiment
  bool dry_run = false;
  int parallel = 4;
  // Bearer tokens for one side only; otherwise both sides take MLFLOW_TRACKING_TOKEN (and the other
  // MLFLOW_TRACKING_* settings) from the environment.
  std::optional<std::string> from_token;
  std::optional<std::string> to_token;
  bool help = false;
};

std::string sync_usage();

// The arguments after `sync`. Throws std::invalid_argument, with a message for the user, for anything malformed.
SyncCommandOptions parse_sync_options(const std::vector<std::string>& arguments);

// The client of one side of a sync. Every side is reached through here, so that other kinds of stores plug in at
// one place.
MlflowClient make_sync_client(const std::string& uri, const std::optional<std::string>& token);

// Runs the command: 0 when everything was copied, 1 when anything failed (each failure listed on stderr), 2 for bad
// arguments. The summary goes to stdout; a progress line to stderr when it is a terminal.
int run_sync_command(const std::vector<std::string>& arguments);

}  // namespace mlflowcpp::cli
