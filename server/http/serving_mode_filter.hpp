#pragma once

// Answers 503 (plain text, as `mlflow server` does) for the parts of the API
// the serving mode switches off: tracking and registry routes under
// --artifacts-only, the artifact proxy under --no-serve-artifacts. Requests
// that match no route pass (they get their 404 or 405).

#include "server/http/filter.hpp"
#include "server/http/serving_options.hpp"

namespace mlflowcpp::server::http {

class ServingModeFilter : public Filter {
 public:
  explicit ServingModeFilter(const ServingOptions& options)
      : artifacts_only_(options.artifacts_only), serve_artifacts_(options.serve_artifacts) {}

  FilterAction before(Request& request, Reply& reply) override;

 private:
  bool artifacts_only_;
  bool serve_artifacts_;
};

}  // namespace mlflowcpp::server::http
