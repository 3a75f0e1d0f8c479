#pragma once

// Narrowing a request's list of experiment ids to the caller's read scope,
// for the searches that take experiment ids (runs, logged models, dataset
// summaries): ids outside the scope are dropped silently, as if the caller
// had not named them.

#include "server/search/id_scope.hpp"

#include <string>
#include <vector>

namespace mlflowcpp::server::search {

// The ids of `requested` that `scope` admits, in their order. Experiment ids
// are integers in MLflow's schema, so they are compared by value ("07" is
// experiment 7, in the request and in the scope alike); an id that is no
// integer names no experiment and is dropped unless the scope is all.
std::vector<std::string> admitted_experiment_ids(const std::vector<std::string>& requested, const IdScope& scope);

}  // namespace mlflowcpp::server::search
