#pragma once

// What the searches of one request may return: everything, unless the
// basic-auth app narrowed it to what the caller may read. Search handlers pass
// it on to the services and stores.

#include "server/search/id_scope.hpp"

namespace mlflowcpp::server::http {

struct ReadScope {
  search::IdScope experiments;        // by experiment id (runs, logged models, datasets follow their experiment)
  search::IdScope registered_models;  // by model name (versions follow their model)
};

}  // namespace mlflowcpp::server::http
