#pragma once

// The checks write jobs make before they change anything, with the error codes
// and messages of MLflow's SQL store.

#include "server/store/sql_database.hpp"

#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/errors.hpp>

#include <cstdint>
#include <string>

namespace mlflowcpp::server::store {

MlflowException experiment_not_found(const std::string& experiment_id);
MlflowException run_not_found(const std::string& run_id);

// The experiment, whatever its lifecycle stage; RESOURCE_DOES_NOT_EXIST when
// absent or when the id is not an integer.
Experiment require_experiment(sql::Connection& connection, const std::string& experiment_id);

// The run's info; RESOURCE_DOES_NOT_EXIST when absent.
RunInfo require_run(sql::Connection& connection, const std::string& run_id);

// For writes to a run: it exists (404) and is active (INVALID_PARAMETER_VALUE).
void require_active_run(sql::Connection& connection, const std::string& run_id);

}  // namespace mlflowcpp::server::store
