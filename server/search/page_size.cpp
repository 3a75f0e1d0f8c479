#include "server/search/page_size.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <stdexcept>

namespace mlflowcpp::server::search {

PageSizeLimits page_size_limits(SearchedEntity entity) {
  switch (entity) {
    case SearchedEntity::kRuns: return {1, 50000, 1000};
    case SearchedEntity::kExperiments: return {1, 50000, 0};
    case SearchedEntity::kRegisteredModels: return {0, 1000, 100};
    case SearchedEntity::kModelVersions: return {1, 200000, 200000};
    case SearchedEntity::kLoggedModels: return {0, 50000, 50};
  }
  throw std::logic_error("unknown searched entity");
}

void validate_page_size(SearchedEntity entity, int64_t max_results) {
  const PageSizeLimits limits = page_size_limits(entity);
  if (max_results < limits.minimum) {
    throw invalid_parameter(fmt::format(
        "Invalid value for request parameter max_results. It must be a {} integer, but got {}",
        limits.minimum > 0 ? "positive" : "non-negative", max_results));
  }
  if (max_results > limits.maximum) {
    throw invalid_parameter(
        fmt::format("Invalid value for request parameter max_results. It must be at most {}, but got {}",
                    limits.maximum, max_results));
  }
}

}  // namespace mlflowcpp::server::search
