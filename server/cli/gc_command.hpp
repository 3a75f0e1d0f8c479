#pragma once

// `mlflowcpp gc`, as `mlflow gc`: permanently deletes runs in the deleted lifecycle stage (rows and artifacts),
// then experiments in the deleted stage with everything in them. Safe while servers use the same database: each
// run and each experiment goes in its own transaction, which keeps whatever was restored meanwhile.

#include "server/cli/server_options.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::cli {

struct GcOptions {
  std::string backend_store_uri;
  // Where mlflow-artifacts: locations live when no tracking server removes them (resolved: absolute when local).
  std::string artifacts_destination;
  // An http(s) tracking server whose artifact proxy removes mlflow-artifacts: locations.
  std::optional<std::string> tracking_uri;
  // --older-than as given, and in milliseconds; none: any age.
  std::string older_than_text;
  std::optional<int64_t> older_than_ms;
  std::vector<std::string> run_ids;         // empty: every deleted run old enough
  std::vector<std::string> experiment_ids;  // empty: every deleted experiment old enough
  bool help = false;
};

std::string gc_usage();

// MLflow's `#d#h#m#s` (each part optional, in this order, decimals allowed: "30d", "1.5h", "2d8h5m20s") in
// milliseconds; std::invalid_argument, with a message for the user, for anything else.
int64_t parse_older_than(const std::string& text);

// The arguments after `gc`, with defaults from `environment`; std::invalid_argument for anything malformed.
GcOptions parse_gc_options(const std::vector<std::string>& arguments, const EnvironmentLookup& environment);

// Runs the command: 0 when everything selected was deleted, 1 when a deletion failed (the database or an artifact
// store could not be used; each failure on stderr), 2 for wrong usage or a selection MLflow refuses (an id that is
// absent, not deleted or not old enough), in which case nothing is deleted. One line per deleted run and
// experiment and a summary go to stdout.
int run_gc_command(const std::vector<std::string>& arguments);

}  // namespace mlflowcpp::cli
