#pragma once

// Reading MLflow entities out of the tables, on any connection (the writer
// uses these inside its jobs, readers inside read transactions). Lists of ids
// are bound with sql_dialect::BoundList, so a few cached statements serve any
// number of ids.

#include "server/store/sql_database.hpp"

#include <mlflowcpp/entities.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server::store {

std::optional<Experiment> find_experiment(sql::Connection& connection, int64_t experiment_id);
std::optional<Experiment> find_experiment_by_name(sql::Connection& connection, const std::string& name);
// In the order of `experiment_ids`; ids without an experiment are skipped.
std::vector<Experiment> load_experiments(sql::Connection& connection, const std::vector<int64_t>& experiment_ids);

std::optional<RunInfo> find_run_info(sql::Connection& connection, const std::string& run_id);
// Which of MLflow 3's links between a run and logged models load_runs reads. A
// database with MLflow 2.9's schema has none (its inputs table even lacks the
// step column), so both stay off there.
struct RunModelLinks {
  bool outputs = false;  // outputs.model_outputs: runs/get and runs/search show them
  bool inputs = false;   // inputs.model_inputs: runs/get shows them, runs/search does not
};

// Whole runs (info, latest metrics, params, tags, dataset inputs, and the
// model links asked for) in the order of `run_ids`; ids without a run are
// skipped.
std::vector<Run> load_runs(sql::Connection& connection, const std::vector<std::string>& run_ids,
                           RunModelLinks model_links = {});

// A JSON array: how sql_dialect::BoundList binds a list on SQLite and PostgreSQL.
std::string json_string_array(const std::vector<std::string>& values);
std::string json_integer_array(const std::vector<int64_t>& values);

}  // namespace mlflowcpp::server::store
