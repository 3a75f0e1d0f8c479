#include "server/store/sql_store_checks.hpp"

#include "server/store/sql_entity_reader.hpp"
#include "server/store/sql_values.hpp"

namespace mlflowcpp::server::store {

MlflowException experiment_not_found(const std::string& experiment_id) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, "No Experiment with id=" + experiment_id + " exists");
}

MlflowException run_not_found(const std::string& run_id) {
  return MlflowException(ErrorCode::kResourceDoesNotExist, "Run with id=" + run_id + " not found");
}

Experiment require_experiment(sql::Connection& connection, const std::string& experiment_id) {
  auto id = parse_experiment_id(experiment_id);
  if (!id) throw experiment_not_found(experiment_id);
  auto experiment = find_experiment(connection, *id);
  if (!experiment) throw experiment_not_found(experiment_id);
  return std::move(*experiment);
}

RunInfo require_run(sql::Connection& connection, const std::string& run_id) {
  auto info = find_run_info(connection, run_id);
  if (!info) throw run_not_found(run_id);
  return std::move(*info);
}

void require_active_run(sql::Connection& connection, const std::string& run_id) {
  auto query = connection.statement("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?");
  query->bind(1, run_id);
  if (!query->step()) throw run_not_found(run_id);
  const std::string stage = query->column(0).as_string();
  if (stage != "active") {
    throw MlflowException(ErrorCode::kInvalidParameterValue, "The run " + run_id +
                                                                 " must be in the 'active' state. Current state is " +
                                                                 stage + ".");
  }
}

}  // namespace mlflowcpp::server::store
