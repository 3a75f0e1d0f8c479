#pragma once

// Search for the model registry: filters and order_by of
// search_registered_models and search_model_versions (protocol spec §5.4-5.6)
// compiled to parameterised SQL over MLflow's registry tables. User input only
// ever reaches SQL as bound parameters.
//
// Registered models: `name` and `tags.<key>` with = != LIKE ILIKE; order_by
// name, creation_timestamp, last_updated_timestamp (alias timestamp); name ASC
// breaks ties.
// Model versions: `name`, `source_path` (the source column) and `tags.<key>`
// with = != LIKE ILIKE; `run_id` also with IN; `version_number` with
// = != < <= > >=; order_by name, version_number, creation_timestamp,
// last_updated_timestamp; default last_updated_timestamp DESC; ties broken by
// name ASC, then version_number DESC. Tombstones of deleted versions never match.
//
// Errors are MlflowException(INVALID_PARAMETER_VALUE).

#include <cstdint>
#include <string>
#include <vector>

#include "server/search/search.hpp"

namespace mlflowcpp::server::search {

// `models` narrows either search to the registered models it admits, by
// name (a version follows its model).
struct RegistryQuery {
  IdScope models;
  std::string filter;
  std::vector<std::string> order_by;
  int64_t limit = 100;
  int64_t offset = 0;
};

// SELECT of the `name` column of registered_models for one page.
SqlQuery compile_registered_model_query(const RegistryQuery& query, Dialect dialect);

// SELECT of the `name`, `version` columns of model_versions for one page.
SqlQuery compile_model_version_query(const RegistryQuery& query, Dialect dialect);

}  // namespace mlflowcpp::server::search
