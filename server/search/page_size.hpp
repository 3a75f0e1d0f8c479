#pragma once

// How many results one page of each search may ask for (max_results): the one
// place these limits live. The services check a request's page size here before
// they call the store, which takes the size it is given as valid.
//
// Limits, from the protocol spec §4 and the official 2.9.2 server (Appendix C):
// - runs: 1..50000, default 1000 (0 and negatives are refused, as MLflow's stores do);
// - experiments: 1..50000; an absent max_results reads as 0 and is refused ("got 0");
// - registered models: 0..1000, default 100 (0 answers a page token and no models);
// - model versions: 1..200000, default 200000;
// - logged models (MLflow 3): 0..50000; a request without max_results asks for
//   the proto's default 50, and 0 for the store's default,
//   kLoggedModelStoreDefaultPageSize (MLflow's SEARCH_LOGGED_MODEL_MAX_RESULTS_DEFAULT).

#include <cstdint>

namespace mlflowcpp::server::search {

enum class SearchedEntity { kRuns, kExperiments, kRegisteredModels, kModelVersions, kLoggedModels };

inline constexpr int64_t kLoggedModelStoreDefaultPageSize = 100;

struct PageSizeLimits {
  int64_t minimum = 1;
  int64_t maximum = 0;
  int64_t default_size = 0;  // what a request without max_results asks for
};

PageSizeLimits page_size_limits(SearchedEntity entity);

// Throws MlflowException (INVALID_PARAMETER_VALUE) when `max_results` is outside
// the limits of `entity`.
void validate_page_size(SearchedEntity entity, int64_t max_results);

}  // namespace mlflowcpp::server::search
