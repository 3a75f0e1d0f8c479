#include "server/cli/sync_command.hpp"

#include "client/store_module_loader.hpp"
#include "server/app/in_process_connection.hpp"
#include "server/cli/option_values.hpp"

#include <mlflowcpp/sync.hpp>

#include <fmt/format.h>

#include <exception>
#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace mlflowcpp::cli {
namespace {

// The value of a flag given as `--flag value` or `--flag=value`; advances `index` past what it used.
std::optional<std::string> flag_value(const std::vector<std::string>& arguments, std::size_t& index,
                                      const std::string& flag) {
  const std::string& argument = arguments[index];
  if (argument == flag) {
    if (index + 1 >= arguments.size()) throw std::invalid_argument(flag + " needs a value");
    return arguments[++index];
  }
  if (argument.rfind(flag + "=", 0) == 0) return argument.substr(flag.size() + 1);
  return std::nullopt;
}

std::string human_bytes(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", double(bytes) / 1024);
  if (bytes < int64_t(1024) * 1024 * 1024) return fmt::format("{:.1f} MiB", double(bytes) / (1024 * 1024));
  return fmt::format("{:.2f} GiB", double(bytes) / (1024.0 * 1024 * 1024));
}

// One line on a terminal, rewritten in place.
class ProgressLine {
 public:
  ProgressLine() : enabled_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressLine() { finish(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  void show(const SyncProgress& progress) {
    if (!enabled_) return;
    std::cerr << fmt::format("\r\033[Kruns {}/{} | {} points | {} | {:.0f} points/s", progress.runs_done,
                             progress.runs_total, progress.points, human_bytes(progress.bytes),
                             progress.points_per_second)
              << std::flush;
    shown_ = true;
  }
  void finish() {
    if (shown_) std::cerr << "\n";
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

void print_summary(const SyncCommandOptions& options, const SyncReport& report) {
  const SyncCounts& c = report.copied;
  const char* verb = report.dry_run ? "would copy" : "copied";
  std::cout << fmt::format("{} -> {}{}\n", sync_store_identity(options.from_uri), sync_store_identity(options.to_uri),
                           report.dry_run ? " (dry run: nothing written)" : "");
  std::cout << fmt::format("  runs: {} created, {} updated, {} unchanged\n", c.runs_created, c.runs_updated,
                           c.runs_unchanged);
  std::cout << fmt::format(
      "  {}: {} experiments, {} metric points, {} params, {} tags, {} dataset inputs, "
      "{} artifact files ({}), {} registered models, {} model versions\n",
      verb, c.experiments_created, c.metric_points, c.params, c.tags, c.dataset_inputs, c.artifact_files,
      human_bytes(c.artifact_bytes), c.registered_models_created, c.model_versions_created);
  if (report.nothing_copied() && report.ok()) std::cout << "  the target was up to date\n";
  for (const auto& warning : report.warnings) std::cerr << "mlflowcpp sync: warning: " << warning << "\n";
  for (const auto& failure : report.failures) {
    std::cerr << "mlflowcpp sync: failed: " << failure.what << ": " << failure.why << "\n";
  }
  if (!report.ok()) {
    std::cerr << fmt::format("mlflowcpp sync: {} failures; run the same command again to retry them\n",
                             report.failures.size());
  }
}

}  // namespace

std::string sync_usage() {
  return "Usage: mlflowcpp sync --from URI --to URI [--experiment NAME ...] [--dry-run] [--parallel N]\n"
         "\n"
         "Copies the active experiments, their active runs (params, tags, every metric point, dataset inputs,\n"
         "artifacts) and the registered models made from them from one tracking store to another. Runs that are\n"
         "on the target already get only what they lack, so the command may be repeated, or resumed after it was\n"
         "interrupted, without copying anything twice.\n"
         "\n"
         "  --from URI          the store to copy from: a server (http://, https://) or a database file or server\n"
         "                      opened in this process (sqlite:///runs.db, postgresql://user@host/db)\n"
         "  --to URI            the store to copy to (the same kinds)\n"
         "  --experiment NAME   only this experiment (repeatable); default: every active experiment\n"
         "  --dry-run           report what would be copied; write nothing on either side\n"
         "  --parallel N        requests in flight at once, 1 to 64 (default 4)\n"
         "  --from-token TOKEN, --to-token TOKEN\n"
         "                      a bearer token for one side; otherwise both use the MLFLOW_TRACKING_* variables\n"
         "\n"
         "Exit code: 0 everything synced, 1 something failed (listed), 2 bad arguments.\n";
}

SyncCommandOptions parse_sync_options(const std::vector<std::string>& arguments) {
  SyncCommandOptions options;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--help" || argument == "-h") {
      options.help = true;
    } else if (argument == "--dry-run") {
      options.dry_run = true;
    } else if (auto from = flag_value(arguments, i, "--from")) {
      options.from_uri = *from;
    } else if (auto to = flag_value(arguments, i, "--to")) {
      options.to_uri = *to;
    } else if (auto experiment = flag_value(arguments, i, "--experiment")) {
      if (experiment->empty()) throw std::invalid_argument("--experiment needs a name");
      options.experiments.push_back(*experiment);
    } else if (auto parallel = flag_value(arguments, i, "--parallel")) {
      options.parallel = static_cast<int>(parse_integer("--parallel", *parallel, 1, 64));
    } else if (auto token = flag_value(arguments, i, "--from-token")) {
      options.from_token = *token;
    } else if (auto token = flag_value(arguments, i, "--to-token")) {
      options.to_token = *token;
    } else {
      throw std::invalid_argument("unknown argument '" + argument + "'");
    }
  }
  if (options.help) return options;
  if (options.from_uri.empty()) throw std::invalid_argument("--from URI is required");
  if (options.to_uri.empty()) throw std::invalid_argument("--to URI is required");
  if (sync_store_identity(options.from_uri) == sync_store_identity(options.to_uri)) {
    throw std::invalid_argument("--from and --to name the same store");
  }
  return options;
}

MlflowClient make_sync_client(const std::string& uri, const std::optional<std::string>& token) {
  // This program holds the server's stores itself: a database URI is opened in-process directly, with no store
  // module to find beside an installed binary.
  if (client::is_database_uri(uri)) return MlflowClient(server::open_in_process_connection(uri, {}));
  ClientOptions options;
  options.tracking_uri = uri;
  options.token = token;
  return MlflowClient(make_connection(options));
}

int run_sync_command(const std::vector<std::string>& arguments) {
  SyncCommandOptions options;
  try {
    options = parse_sync_options(arguments);
  } catch (const std::invalid_argument& error) {
    std::cerr << "mlflowcpp sync: " << error.what() << "\n" << sync_usage();
    return 2;
  }
  if (options.help) {
    std::cout << sync_usage();
    return 0;
  }
  std::optional<MlflowClient> from, to;
  try {
    from = make_sync_client(options.from_uri, options.from_token);
    to = make_sync_client(options.to_uri, options.to_token);
  } catch (const std::exception& error) {  // MlflowException, or a database the store cannot open
    std::cerr << "mlflowcpp sync: " << error.what() << "\n";
    return 2;
  }

  ProgressLine progress_line;
  SyncOptions sync_options;
  sync_options.experiment_names = options.experiments;
  sync_options.dry_run = options.dry_run;
  sync_options.parallelism = options.parallel;
  sync_options.source_identity = sync_store_identity(options.from_uri);
  sync_options.target_identity = sync_store_identity(options.to_uri);
  sync_options.on_progress = [&progress_line](const SyncProgress& progress) { progress_line.show(progress); };
  SyncReport report;
  try {
    report = sync_runs(*from, *to, sync_options);
  } catch (const MlflowException& error) {
    progress_line.finish();
    std::cerr << "mlflowcpp sync: " << error.what() << "\n";
    return error.code() == ErrorCode::kInvalidParameterValue ? 2 : 1;
  }
  progress_line.finish();
  print_summary(options, report);
  return report.ok() ? 0 : 1;
}

}  // namespace mlflowcpp::cli
