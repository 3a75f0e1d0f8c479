#include "server/store/sql_entity_reader.hpp"

#include "server/store/sql_dialect.hpp"
#include "server/store/sql_values.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <unordered_map>

namespace mlflowcpp::server::store {

namespace {

int64_t integer_or_zero(const sql::Column& column) { return column.is_null() ? 0 : column.as_int64(); }

constexpr const char* kExperimentColumns =
    "SELECT experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time "
    "FROM experiments ";

Experiment experiment_from_row(const sql::Statement& row) {
  Experiment experiment;
  experiment.experiment_id = std::to_string(row.column(0).as_int64());
  experiment.name = row.column(1).as_string();
  experiment.artifact_location = row.column(2).as_string();
  experiment.lifecycle_stage = lifecycle_from_column(row.column(3).as_string());
  experiment.creation_time = integer_or_zero(row.column(4));
  experiment.last_update_time = integer_or_zero(row.column(5));
  return experiment;
}

void load_experiment_tags(sql::Connection& connection, Experiment& experiment) {
  auto query = connection.statement("SELECT key, value FROM experiment_tags WHERE experiment_id = ? ORDER BY " +
                                    sql_dialect::insertion_order(connection.dialect(), "experiment_tags"));
  query->bind(1, static_cast<int64_t>(std::stoll(experiment.experiment_id)));
  while (query->step()) {
    experiment.tags.push_back({query->column(0).as_string(), query->column(1).as_string()});
  }
}

constexpr const char* kRunInfoColumns =
    "SELECT run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri, lifecycle_stage "
    "FROM runs ";

RunInfo run_info_from_row(const sql::Statement& row) {
  RunInfo info;
  info.run_id = row.column(0).as_string();
  info.run_name = row.column(1).as_string();
  info.experiment_id = row.column(2).is_null() ? std::string() : std::to_string(row.column(2).as_int64());
  info.user_id = row.column(3).as_string();
  info.status = run_status_from_column(row.column(4).as_string());
  info.start_time = integer_or_zero(row.column(5));
  if (!row.column(6).is_null()) info.end_time = row.column(6).as_int64();
  info.artifact_uri = row.column(7).as_string();
  info.lifecycle_stage = lifecycle_from_column(row.column(8).as_string());
  return info;
}

void append_json_string(std::string& out, const std::string& value) {
  out += '"';
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// Finds the run a child row belongs to. Child rows come grouped by run, so
// the last answer is usually right and saves a hash lookup per row.
class RunFinder {
 public:
  explicit RunFinder(std::unordered_map<std::string, Run>& runs) : runs_(runs) {}

  Run* find(const std::string& run_id) {
    if (last_ != nullptr && last_->info.run_id == run_id) return last_;
    auto found = runs_.find(run_id);
    last_ = found == runs_.end() ? nullptr : &found->second;
    return last_;
  }

 private:
  std::unordered_map<std::string, Run>& runs_;
  Run* last_ = nullptr;
};

std::optional<std::string> optional_json_text(const sql::Column& column) {
  // MLflow writes an absent schema or profile as "" (the proto default).
  if (column.is_null()) return std::nullopt;
  std::string text = column.as_string();
  if (text.empty()) return std::nullopt;
  return text;
}

// Which experiments a query reads, for a list of ids. A page of search_experiments usually holds most of the ids
// between its smallest and its largest (the UI lists every experiment): such a list is read as that range, which the
// database scans without first building a lookup table of the list's values, and the rows of experiments between
// that are not in the list are skipped by the reader. A sparse list is bound as the list itself.
class ExperimentIdSelection {
 public:
  ExperimentIdSelection(const std::vector<int64_t>& ids, sql::Dialect dialect) {
    const auto [smallest, largest] = std::minmax_element(ids.begin(), ids.end());
    first_ = *smallest;
    last_ = *largest;
    // At least every other id of the range is listed: the reader skips no more rows than it keeps.
    const auto range = static_cast<uint64_t>(last_) - static_cast<uint64_t>(first_);
    if (range >= 2 * static_cast<uint64_t>(ids.size())) {
      list_.emplace(dialect, ids);
      condition_ = list_->in_condition("experiment_id");
    } else {
      condition_ = "experiment_id BETWEEN ? AND ?";
    }
  }

  // A condition on the column experiment_id, with placeholders from 1.
  const std::string& condition() const { return condition_; }

  void bind(sql::Statement& statement) const {
    if (list_) {
      list_->bind(statement, 1);
    } else {
      statement.bind(1, first_);
      statement.bind(2, last_);
    }
  }

 private:
  int64_t first_ = 0;
  int64_t last_ = 0;
  std::optional<sql_dialect::BoundList> list_;  // the ids, when bound as a list
  std::string condition_;
};

}  // namespace

std::string json_string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, values[i]);
  }
  out += ']';
  return out;
}

std::string json_integer_array(const std::vector<int64_t>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
  out += ']';
  return out;
}

std::optional<Experiment> find_experiment(sql::Connection& connection, int64_t experiment_id) {
  std::optional<Experiment> experiment;
  {
    auto query = connection.statement(std::string(kExperimentColumns) + "WHERE experiment_id = ?");
    query->bind(1, static_cast<int64_t>(experiment_id));
    if (query->step()) experiment = experiment_from_row(*query);
  }
  if (experiment) load_experiment_tags(connection, *experiment);
  return experiment;
}

std::optional<Experiment> find_experiment_by_name(sql::Connection& connection, const std::string& name) {
  std::optional<Experiment> experiment;
  {
    // Names are unique; should a database hold an active and a deleted one, the active wins.
    auto query = connection.statement(std::string(kExperimentColumns) +
                                      "WHERE name = ? ORDER BY lifecycle_stage = 'active' DESC LIMIT 1");
    query->bind(1, name);
    if (query->step()) experiment = experiment_from_row(*query);
  }
  if (experiment) load_experiment_tags(connection, *experiment);
  return experiment;
}

std::vector<Experiment> load_experiments(sql::Connection& connection, const std::vector<int64_t>& experiment_ids) {
  if (experiment_ids.empty()) return {};
  const ExperimentIdSelection selection(experiment_ids, connection.dialect());
  std::unordered_map<int64_t, Experiment> by_id;
  by_id.reserve(experiment_ids.size());
  for (int64_t id : experiment_ids) by_id.emplace(id, Experiment{});
  {
    auto query = connection.statement(std::string(kExperimentColumns) + "WHERE " + selection.condition());
    selection.bind(*query);
    while (query->step()) {
      auto found = by_id.find(query->column(0).as_int64());
      if (found != by_id.end()) found->second = experiment_from_row(*query);
    }
  }
  {
    auto query = connection.statement("SELECT experiment_id, key, value FROM experiment_tags WHERE " +
                                      selection.condition() + " ORDER BY " +
                                      sql_dialect::insertion_order(connection.dialect(), "experiment_tags"));
    selection.bind(*query);
    // Tags mostly come grouped by experiment: the last one found is usually the next row's too.
    int64_t last_id = 0;
    Experiment* last = nullptr;
    while (query->step()) {
      const int64_t id = query->column(0).as_int64();
      if (last == nullptr || id != last_id) {
        auto found = by_id.find(id);
        if (found == by_id.end()) continue;
        last_id = id;
        last = &found->second;
      }
      last->tags.push_back({query->column(1).as_string(), query->column(2).as_string()});
    }
  }
  std::vector<Experiment> experiments;
  experiments.reserve(experiment_ids.size());
  for (int64_t id : experiment_ids) {
    auto found = by_id.find(id);
    // An id without an experiment kept the empty placeholder: no row gave it an id.
    if (found != by_id.end() && !found->second.experiment_id.empty()) experiments.push_back(std::move(found->second));
  }
  return experiments;
}

std::optional<RunInfo> find_run_info(sql::Connection& connection, const std::string& run_id) {
  auto query = connection.statement(std::string(kRunInfoColumns) + "WHERE run_uuid = ?");
  query->bind(1, run_id);
  if (!query->step()) return std::nullopt;
  return run_info_from_row(*query);
}

std::vector<Run> load_runs(sql::Connection& connection, const std::vector<std::string>& run_ids,
                           RunModelLinks model_links) {
  if (run_ids.empty()) return {};
  const sql::Dialect dialect = connection.dialect();
  const sql_dialect::BoundList ids(dialect, run_ids);
  const auto by_run_in_insertion_order = [dialect](std::string_view table) {
    return " ORDER BY run_uuid, " + sql_dialect::insertion_order(dialect, table);
  };
  std::unordered_map<std::string, Run> by_id;
  by_id.reserve(run_ids.size());
  {
    auto query = connection.statement(std::string(kRunInfoColumns) + "WHERE " + ids.in_condition("run_uuid"));
    ids.bind(*query, 1);
    while (query->step()) {
      Run run;
      run.info = run_info_from_row(*query);
      by_id.emplace(run.info.run_id, std::move(run));
    }
  }
  if (by_id.empty()) return {};

  // Each run's rows of a child table come in insertion order, as MLflow
  // lists them. In SQLite (run_uuid, rowid) is the order of the run_uuid
  // index, so it needs no sort for it.
  {
    auto query =
        connection.statement("SELECT run_uuid, key, value, timestamp, step, is_nan FROM latest_metrics WHERE " +
                             ids.in_condition("run_uuid") + by_run_in_insertion_order("latest_metrics"));
    ids.bind(*query, 1);
    RunFinder runs(by_id);
    while (query->step()) {
      Run* run = runs.find(query->column(0).as_string());
      if (run == nullptr) continue;
      Metric& metric = run->data.metrics.emplace_back();
      metric.key = query->column(1).as_string();
      metric.value = load_metric_value(query->column(2).as_double(), query->column(5).as_int() != 0);
      metric.timestamp = integer_or_zero((*query).column(3));
      metric.step = integer_or_zero((*query).column(4));
    }
  }
  // Params and tags: the same shape of table, in insertion order.
  const auto load_key_values = [&](const char* table, auto add) {
    auto query = connection.statement(std::string("SELECT run_uuid, key, value FROM ") + table + " WHERE " +
                                      ids.in_condition("run_uuid") + by_run_in_insertion_order(table));
    ids.bind(*query, 1);
    RunFinder runs(by_id);
    while (query->step()) {
      Run* run = runs.find(query->column(0).as_string());
      if (run == nullptr) continue;
      add(*run, query->column(1).as_string(), query->column(2).as_string());
    }
  };
  load_key_values("params", [](Run& run, std::string key, std::string value) {
    run.data.params.push_back({std::move(key), std::move(value)});
  });
  load_key_values("tags", [](Run& run, std::string key, std::string value) {
    run.data.tags.push_back({std::move(key), std::move(value)});
  });
  {
    // Dataset inputs: inputs link a dataset (source) to a run (destination);
    // input_tags hang off the input.
    std::unordered_map<std::string, std::pair<std::string, size_t>> input_positions;  // input_uuid -> run, index
    {
      auto query = connection.statement(
          "SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.dataset_source_type, d.dataset_source, "
          "d.dataset_schema, d.dataset_profile FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id "
          "WHERE i.destination_type = 'RUN' AND i.source_type = 'DATASET' "
          "AND " +
          ids.in_condition("i.destination_id") + " ORDER BY " + sql_dialect::insertion_order(dialect, "inputs", "i"));
      ids.bind(*query, 1);
      while (query->step()) {
        auto found = by_id.find(query->column(0).as_string());
        if (found == by_id.end()) continue;
        DatasetInput input;
        input.dataset.name = query->column(2).as_string();
        input.dataset.digest = query->column(3).as_string();
        input.dataset.source_type = query->column(4).as_string();
        input.dataset.source = query->column(5).as_string();
        input.dataset.schema = optional_json_text(query->column(6));
        input.dataset.profile = optional_json_text(query->column(7));
        auto& inputs = found->second.inputs.dataset_inputs;
        input_positions[query->column(1).as_string()] = {found->first, inputs.size()};
        inputs.push_back(std::move(input));
      }
    }
    if (!input_positions.empty()) {
      std::vector<std::string> input_ids;
      input_ids.reserve(input_positions.size());
      for (const auto& entry : input_positions) input_ids.push_back(entry.first);
      const sql_dialect::BoundList inputs(dialect, std::move(input_ids));
      auto query = connection.statement("SELECT input_uuid, name, value FROM input_tags WHERE " +
                                        inputs.in_condition("input_uuid") + " ORDER BY " +
                                        sql_dialect::insertion_order(dialect, "input_tags"));
      inputs.bind(*query, 1);
      while (query->step()) {
        auto position = input_positions.find(query->column(0).as_string());
        if (position == input_positions.end()) continue;
        auto& input = by_id[position->second.first].inputs.dataset_inputs[position->second.second];
        input.tags.push_back({query->column(1).as_string(), query->column(2).as_string()});
      }
    }
  }
  // MLflow 3 keeps a run's model links in the inputs table too, with the run as
  // the source: one query per kind of link for the whole page of runs. Each
  // run's links are listed by model id, the order of the table's primary key
  // in which the official server reads them.
  const auto read_model_links = [&](const char* source_type, const char* destination_type, auto&& add) {
    auto query = connection.statement(std::string("SELECT source_id, destination_id, step FROM inputs WHERE ") +
                                      "source_type = '" + source_type + "' AND destination_type = '" +
                                      destination_type + "' AND " + ids.in_condition("source_id") +
                                      " ORDER BY source_id, destination_id");
    ids.bind(*query, 1);
    RunFinder runs(by_id);
    while (query->step()) {
      if (Run* run = runs.find(query->column(0).as_string())) add(*run, *query);
    }
  };
  if (model_links.outputs) {
    read_model_links("RUN_OUTPUT", "MODEL_OUTPUT", [](Run& run, auto& row) {
      run.outputs.model_outputs.push_back({row.column(1).as_string(), integer_or_zero(row.column(2))});
    });
  }
  if (model_links.inputs) {
    read_model_links("RUN_INPUT", "MODEL_INPUT",
                     [](Run& run, auto& row) { run.inputs.model_inputs.push_back({row.column(1).as_string()}); });
  }

  std::vector<Run> runs;
  runs.reserve(run_ids.size());
  for (const auto& id : run_ids) {
    auto found = by_id.find(id);
    if (found != by_id.end()) runs.push_back(std::move(found->second));
  }
  return runs;
}

}  // namespace mlflowcpp::server::store
