#include "server/cli/gc_command.hpp"

#include "server/cli/run_artifact_remover.hpp"
#include "server/store/mysql_uri.hpp"
#include "server/store/postgres_uri.hpp"
#include "server/store/store_factory.hpp"
#include "server/store/tracking_store.hpp"

#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <stdexcept>
#include <unordered_set>

namespace mlflowcpp::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultBackendStoreUri = "sqlite:///mlflow.db";
constexpr const char* kDefaultArtifactsDestination = "./mlartifacts";
// Only for a database without any experiment, where opening the store creates experiment 0 (as the server would).
constexpr const char* kDefaultArtifactRoot = "mlflow-artifacts:/";
constexpr int64_t kPageSize = 1000;
// Beyond any age a run can have (about 31,700 years), and far inside int64 milliseconds.
constexpr double kMaxOlderThanMs = 1e15;

bool has_scheme(const std::string& uri, std::initializer_list<const char*> schemes) {
  for (const char* scheme : schemes) {
    if (uri.rfind(std::string(scheme) + "://", 0) == 0) return true;
  }
  return false;
}

bool is_database_uri(const std::string& uri) {
  return uri.rfind("sqlite:", 0) == 0 || server::store::postgres::is_postgres_uri(uri) ||
         server::store::mysql::is_mysql_uri(uri);
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// "a,b" -> {"a", "b"}, each id once, in the order given.
std::vector<std::string> id_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string id = trimmed(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (id.empty()) throw std::invalid_argument(fmt::format("{} has an empty id in '{}'.", flag, text));
    if (seen.insert(id).second) ids.push_back(id);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return ids;
}

template <typename T, typename Fetch>
std::vector<T> all_pages(const Fetch& fetch) {
  std::vector<T> items;
  std::string token;
  do {
    Page<T> page = fetch(token);
    for (auto& item : page.items) items.push_back(std::move(item));
    token = page.next_page_token;
  } while (!token.empty());
  return items;
}

int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string joined(const std::vector<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += (text.empty() ? "" : ", ") + id;
  return text;
}

// What one gc removes, chosen by MLflow's rules before anything is deleted.
struct Selection {
  std::vector<std::string> run_ids;
  std::vector<std::string> experiment_ids;
};

// The selection of `options` at time `now`; MlflowException (nothing deleted yet) for ids MLflow refuses.
Selection select(server::TrackingStore& store, const GcOptions& options, int64_t now) {
  const int64_t threshold = now - options.older_than_ms.value_or(0);
  const std::vector<std::string> old_deleted_runs = store.deleted_run_ids(threshold);
  Selection selection;
  // As MLflow: the named runs, else every deleted run old enough, whichever experiments are named.
  selection.run_ids = options.run_ids.empty() ? old_deleted_runs : options.run_ids;

  if (!options.experiment_ids.empty()) {
    std::vector<std::string> active;
    std::vector<std::string> too_recent;
    for (const auto& id : options.experiment_ids) {
      const Experiment experiment = store.get_experiment(id);
      if (experiment.lifecycle_stage != LifecycleStage::kDeleted) {
        active.push_back(id);
      } else if (options.older_than_ms && experiment.last_update_time >= threshold) {
        too_recent.push_back(id);
      }
    }
    if (!active.empty()) {
      throw invalid_parameter(
          fmt::format("Experiments [{}] are not in the deleted lifecycle stage. Only experiments "
                      "in the deleted lifecycle stage can be hard-deleted.",
                      joined(active)));
    }
    if (!too_recent.empty()) {
      throw invalid_parameter(
          fmt::format("Experiments [{}] are not older than the required age. Only experiments "
                      "older than {} can be deleted.",
                      joined(too_recent), options.older_than_text));
    }
    selection.experiment_ids = options.experiment_ids;
  } else {
    const auto experiments = all_pages<Experiment>([&](const std::string& token) {
      server::SearchExperimentsRequest request;
      request.view_type = ViewType::kDeletedOnly;
      request.max_results = kPageSize;
      request.page_token = token;
      return store.search_experiments(request);
    });
    for (const auto& experiment : experiments) {
      if (!options.older_than_ms || experiment.last_update_time < threshold) {
        selection.experiment_ids.push_back(experiment.experiment_id);
      }
    }
  }

  // The deleted runs of those experiments too.
  if (!selection.experiment_ids.empty()) {
    const auto runs = all_pages<Run>([&](const std::string& token) {
      server::SearchRunsRequest request;
      request.experiment_ids = selection.experiment_ids;
      request.view_type = ViewType::kDeletedOnly;
      request.max_results = kPageSize;
      request.page_token = token;
      return store.search_runs(request);
    });
    for (const auto& run : runs) selection.run_ids.push_back(run.info.run_id);
  }
  std::unordered_set<std::string> seen;
  std::vector<std::string> unique_run_ids;
  for (auto& id : selection.run_ids) {
    if (seen.insert(id).second) unique_run_ids.push_back(std::move(id));
  }
  selection.run_ids = std::move(unique_run_ids);

  const std::unordered_set<std::string> old_enough(old_deleted_runs.begin(), old_deleted_runs.end());
  for (const auto& id : selection.run_ids) {
    const Run run = store.get_run(id);
    if (run.info.lifecycle_stage != LifecycleStage::kDeleted) {
      throw invalid_parameter(
          fmt::format("Run {} is not in `deleted` lifecycle stage. Only runs in `deleted` "
                      "lifecycle stage can be deleted.",
                      id));
    }
    if (options.older_than_ms && old_enough.count(id) == 0) {
      throw invalid_parameter(
          fmt::format("Run {} is not older than the required age. Only runs older than {} can "
                      "be deleted.",
                      id, options.older_than_text));
    }
  }
  return selection;
}

// Carries out a selection, counting what it did; a database failure ends it (rethrown), an artifact store's
// failure is reported and the rest goes on.
class Collector {
 public:
  Collector(server::TrackingStore& store, const RunArtifactRemover& artifacts) : store_(store), artifacts_(artifacts) {}

  void delete_run(const std::string& run_id) {
    std::optional<server::RemovedRun> removed;
    try {
      removed = store_.hard_delete_run(run_id);
    } catch (const MlflowException& error) {
      if (error.code() != ErrorCode::kResourceDoesNotExist) throw;
      std::cout << fmt::format("Run with ID {} was already permanently deleted.\n", run_id);
      return;
    }
    if (!removed) {
      ++skipped_;
      std::cout << fmt::format("Run with ID {} was restored meanwhile; kept.\n", run_id);
      return;
    }
    remove_artifacts(*removed);
    ++runs_;
    std::cout << fmt::format("Run with ID {} has been permanently deleted.\n", run_id);
  }

  void delete_experiment(const std::string& experiment_id) {
    std::optional<std::vector<server::RemovedRun>> removed;
    try {
      removed = store_.hard_delete_experiment(experiment_id);
    } catch (const MlflowException& error) {
      if (error.code() != ErrorCode::kResourceDoesNotExist) throw;
      std::cout << fmt::format("Experiment with ID {} was already permanently deleted.\n", experiment_id);
      return;
    }
    if (!removed) {
      ++skipped_;
      std::cout << fmt::format("Experiment with ID {} was restored meanwhile; kept.\n", experiment_id);
      return;
    }
    // Runs the experiment still held (active ones, or deleted after the selection) went with it.
    for (const auto& run : *removed) {
      remove_artifacts(run);
      ++runs_;
      std::cout << fmt::format("Run with ID {} has been permanently deleted.\n", run.run_id);
    }
    ++experiments_;
    std::cout << fmt::format("Experiment with ID {} has been permanently deleted.\n", experiment_id);
  }

  bool failed() const { return failures_ > 0; }

  void print_summary() const {
    std::cout << fmt::format("Permanently deleted {} run{} and {} experiment{}", runs_, runs_ == 1 ? "" : "s",
                             experiments_, experiments_ == 1 ? "" : "s");
    if (skipped_ > 0) std::cout << fmt::format("; kept {} restored meanwhile", skipped_);
    if (failures_ > 0) std::cout << fmt::format("; {} artifact location(s) could not be removed", failures_);
    std::cout << ".\n";
  }

 private:
  // After the rows are gone: a run restored meanwhile never loses its artifacts. A location that cannot be removed
  // is named, so that it can be removed by hand.
  void remove_artifacts(const server::RemovedRun& run) {
    try {
      if (std::optional<std::string> skipped = artifacts_.remove(run.artifact_uri)) {
        std::cerr << fmt::format("mlflowcpp gc: kept the artifacts of run {} at '{}': {}\n", run.run_id,
                                 run.artifact_uri, *skipped);
      }
    } catch (const std::exception& error) {
      ++failures_;
      std::cerr << fmt::format(
          "mlflowcpp gc: could not remove the artifacts of run {} at '{}' (remove them by "
          "hand): {}\n",
          run.run_id, run.artifact_uri, error.what());
    }
  }

  server::TrackingStore& store_;
  const RunArtifactRemover& artifacts_;
  int runs_ = 0;
  int experiments_ = 0;
  int skipped_ = 0;
  int failures_ = 0;
};

// A SQLite database gc would otherwise create, empty, at a mistyped path.
void require_existing_sqlite_file(const std::string& backend_store_uri) {
  if (server::store::postgres::is_postgres_uri(backend_store_uri) ||
      server::store::mysql::is_mysql_uri(backend_store_uri)) {
    return;
  }
  const std::string path = server::sqlite_path_from_uri(backend_store_uri);
  if (!fs::exists(path)) throw std::runtime_error(fmt::format("there is no database file '{}'", path));
}

}  // namespace

std::string gc_usage() {
  return "Usage: mlflowcpp gc [OPTIONS]\n"
         "\n"
         "Permanently deletes runs in the `deleted` lifecycle stage (metrics, params, tags, inputs, links to\n"
         "logged models, and artifacts), then experiments in the `deleted` stage with all they hold, as\n"
         "`mlflow gc` does. Safe while servers use the database: what is restored meanwhile is kept.\n"
         "\n"
         "Options:\n"
         "  --backend-store-uri URI      sqlite:///path.db, postgresql://... or mysql://...\n"
         "                               [MLFLOW_BACKEND_STORE_URI, else\n"
         "                               MLFLOW_TRACKING_URI when it names a database] (default sqlite:///mlflow.db)\n"
         "  --artifacts-destination URI  Where mlflow-artifacts: locations live, as the server's flag\n"
         "                               [MLFLOW_ARTIFACTS_DESTINATION] (default ./mlartifacts)\n"
         "  --tracking-uri URL           http(s) server whose artifact proxy removes mlflow-artifacts: locations\n"
         "                               instead [MLFLOW_TRACKING_URI when http(s)]\n"
         "  --older-than #d#h#m#s        Only runs deleted (experiments last updated) longer ago, e.g. 30d, 1d2h,\n"
         "                               1.5h; named runs and experiments that are younger are an error\n"
         "  --run-ids ID,...             These runs (they must be deleted) instead of every deleted run\n"
         "  --experiment-ids ID,...      These experiments (they must be deleted) instead of every deleted one;\n"
         "                               with all their runs\n"
         "  --help                       Show this message\n"
         "\n"
         "Exit status: 0 done, 1 a deletion failed, 2 wrong usage or a refused id (nothing deleted).\n";
}

int64_t parse_older_than(const std::string& text) {
  static const std::regex kDuration(R"(^(?:([.\d]+?)d)?(?:([.\d]+?)h)?(?:([.\d]+?)m)?(?:([.\d]+?)s)?$)");
  static const std::regex kNumber(R"(^(\d+\.?\d*|\.\d+)$)");
  const auto invalid = [&] {
    return std::invalid_argument(
        fmt::format("Could not parse any time information from --older-than '{}'. "
                    "Examples of valid strings: '8h', '2d8h5m20s', '2m4s', '1.5d'.",
                    text));
  };
  std::smatch parts;
  if (text.empty() || !std::regex_match(text, parts, kDuration)) throw invalid();
  constexpr double kUnitMs[] = {86400e3, 3600e3, 60e3, 1e3};
  double total = 0;
  for (int unit = 0; unit < 4; ++unit) {
    if (!parts[unit + 1].matched) continue;
    const std::string number = parts[unit + 1].str();
    if (!std::regex_match(number, kNumber)) throw invalid();
    total += std::stod(number) * kUnitMs[unit];
  }
  if (!std::isfinite(total) || total > kMaxOlderThanMs) {
    throw std::invalid_argument(fmt::format("--older-than '{}' is too long a time.", text));
  }
  return static_cast<int64_t>(total);
}

GcOptions parse_gc_options(const std::vector<std::string>& arguments, const EnvironmentLookup& environment) {
  const std::set<std::string> flags = {"--backend-store-uri", "--artifacts-destination",
                                       "--tracking-uri",      "--older-than",
                                       "--run-ids",           "--experiment-ids"};
  std::map<std::string, std::string> given;
  GcOptions options;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string flag = arguments[i];
    if (flag == "--help" || flag == "-h") {
      options.help = true;
      return options;
    }
    std::optional<std::string> value;
    if (const auto equals = flag.find('='); flag.rfind("--", 0) == 0 && equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag.resize(equals);
    }
    if (flags.count(flag) == 0) throw std::invalid_argument(fmt::format("unknown option '{}'.", arguments[i]));
    if (!value) {
      if (i + 1 >= arguments.size()) throw std::invalid_argument(fmt::format("{} needs a value.", flag));
      value = arguments[++i];
    }
    if (given.count(flag) != 0) throw std::invalid_argument(fmt::format("{} is given twice.", flag));
    given[flag] = *value;
  }
  const auto flag_value = [&](const std::string& flag) -> std::optional<std::string> {
    const auto found = given.find(flag);
    if (found == given.end()) return std::nullopt;
    return found->second;
  };
  const std::optional<std::string> tracking_environment = environment("MLFLOW_TRACKING_URI");

  if (auto uri = flag_value("--backend-store-uri")) {
    options.backend_store_uri = *uri;
  } else if (auto backend = environment("MLFLOW_BACKEND_STORE_URI"); backend && !backend->empty()) {
    options.backend_store_uri = *backend;
  } else if (tracking_environment && is_database_uri(*tracking_environment)) {
    options.backend_store_uri = *tracking_environment;
  } else {
    options.backend_store_uri = kDefaultBackendStoreUri;
  }
  if (options.backend_store_uri.empty()) throw std::invalid_argument("--backend-store-uri is empty.");

  std::string destination =
      flag_value("--artifacts-destination").value_or(environment("MLFLOW_ARTIFACTS_DESTINATION").value_or(""));
  if (destination.empty()) destination = kDefaultArtifactsDestination;
  const bool has_uri_scheme = std::regex_search(destination, std::regex(R"(^[A-Za-z][A-Za-z0-9+.-]+:)"));
  options.artifacts_destination =
      has_uri_scheme ? destination : fs::absolute(fs::path(destination)).lexically_normal().string();

  if (auto tracking = flag_value("--tracking-uri")) {
    if (!has_scheme(*tracking, {"http", "https"})) {
      throw std::invalid_argument(
          fmt::format("--tracking-uri must be the http:// or https:// URL of a tracking "
                      "server (its artifact proxy removes mlflow-artifacts: locations); "
                      "got '{}'.",
                      *tracking));
    }
    options.tracking_uri = *tracking;
  } else if (tracking_environment && has_scheme(*tracking_environment, {"http", "https"})) {
    options.tracking_uri = *tracking_environment;
  }

  if (auto older_than = flag_value("--older-than")) {
    options.older_than_text = *older_than;
    options.older_than_ms = parse_older_than(*older_than);
  }
  if (auto ids = flag_value("--run-ids")) options.run_ids = id_list("--run-ids", *ids);
  if (auto ids = flag_value("--experiment-ids")) options.experiment_ids = id_list("--experiment-ids", *ids);
  return options;
}

int run_gc_command(const std::vector<std::string>& arguments) {
  GcOptions options;
  try {
    options = parse_gc_options(arguments, process_environment);
  } catch (const std::invalid_argument& error) {
    std::cerr << "mlflowcpp gc: " << error.what() << "\nSee `mlflowcpp gc --help`.\n";
    return 2;
  }
  if (options.help) {
    std::cout << gc_usage();
    return 0;
  }

  const std::string printable_uri = server::store::postgres::redact_password(options.backend_store_uri);
  std::unique_ptr<server::TrackingStore> store;
  try {
    require_existing_sqlite_file(options.backend_store_uri);
    store = server::open_tracking_store(options.backend_store_uri, kDefaultArtifactRoot);
  } catch (const std::exception& error) {
    std::cerr << fmt::format("mlflowcpp gc: cannot open the backend store '{}': {}\n", printable_uri, error.what());
    return 1;
  }

  std::shared_ptr<Connection> tracking_connection;
  if (options.tracking_uri) {
    try {
      ClientOptions client_options;
      client_options.tracking_uri = options.tracking_uri;
      tracking_connection = make_connection(client_options);
    } catch (const std::exception& error) {
      std::cerr << "mlflowcpp gc: --tracking-uri: " << error.what() << "\n";
      return 2;
    }
  }
  const RunArtifactRemover artifacts(options.artifacts_destination, tracking_connection);

  Selection selection;
  try {
    selection = select(*store, options, now_millis());
  } catch (const MlflowException& error) {
    const auto code = error.code();
    const bool refused = code == ErrorCode::kInvalidParameterValue || code == ErrorCode::kResourceDoesNotExist;
    std::cerr << "mlflowcpp gc: " << error.what() << (refused ? "\nNothing was deleted." : "") << "\n";
    return refused ? 2 : 1;
  } catch (const std::exception& error) {
    std::cerr << "mlflowcpp gc: " << error.what() << "\n";
    return 1;
  }

  Collector collector(*store, artifacts);
  try {
    for (const auto& run_id : selection.run_ids) collector.delete_run(run_id);
    for (const auto& experiment_id : selection.experiment_ids) collector.delete_experiment(experiment_id);
  } catch (const std::exception& error) {
    collector.print_summary();
    std::cerr << "mlflowcpp gc: stopped: " << error.what() << "\n";
    return 1;
  }
  collector.print_summary();
  return collector.failed() ? 1 : 0;
}

}  // namespace mlflowcpp::cli
