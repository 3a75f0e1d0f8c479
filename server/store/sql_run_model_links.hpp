#pragma once

// Writing MLflow 3's links between runs and logged models, as MLflow's SQL
// store keeps them, so that either server reads what the other wrote:
// - a run's outputs and its model inputs are rows of the inputs table with the
//   run as the source (RUN_OUTPUT -> MODEL_OUTPUT with the step, RUN_INPUT ->
//   MODEL_INPUT);
// - a metric logged with a model_id is also a row of logged_model_metrics.
// For write jobs of the tracking store, on a database with MLflow 3's schema.

#include "server/store/sql_database.hpp"

#include <mlflowcpp/entities.hpp>

#include <string>
#include <vector>

namespace mlflowcpp::server::store {

// Throws RESOURCE_DOES_NOT_EXIST unless the logged model exists and is not
// deleted (what logged-models/get finds).
void require_live_logged_model(sql::Connection& connection, const std::string& model_id);

// The models the run produced. `input_uuids` holds one fresh id per model
// (drawn before the job, which may run more than once). A model already an
// output of the run keeps its row and takes the new step.
void upsert_run_outputs(sql::Connection& connection, const std::string& run_id, const std::vector<ModelOutput>& models,
                        const std::vector<std::string>& input_uuids);

// The models the run used; one already recorded stays as it is.
void insert_run_model_inputs(sql::Connection& connection, const std::string& run_id,
                             const std::vector<ModelInput>& models, const std::vector<std::string>& input_uuids);

// The metrics that name a model_id, recorded on their models with the run and
// its experiment. A point the model already has (same key, timestamp, step
// and run) is kept as it is.
void insert_logged_model_metrics(sql::Connection& connection, const RunInfo& run, const std::vector<Metric>& metrics);

}  // namespace mlflowcpp::server::store
