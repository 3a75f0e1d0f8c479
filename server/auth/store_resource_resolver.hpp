#pragma once

// The ResourceResolver of the server: runs and experiments from the tracking
// store, logged models from the logged-model store. Cheap lookups, since one
// runs for nearly every request.

#include "server/auth/route_protection.hpp"

namespace mlflowcpp::server {
class TrackingStore;
class LoggedModelStore;
}  // namespace mlflowcpp::server

namespace mlflowcpp::server::auth {

class StoreResourceResolver final : public ResourceResolver {
 public:
  // Both must outlive the resolver.
  StoreResourceResolver(TrackingStore& tracking, LoggedModelStore& logged_models);

  std::string experiment_of_run(const std::string& run_id) override;
  std::string experiment_id_by_name(const std::string& experiment_name) override;
  // On a database at MLflow 2.9's schema: the upgrade hint, as the logged-model calls answer.
  std::string experiment_of_logged_model(const std::string& model_id) override;

 private:
  TrackingStore& tracking_;
  LoggedModelStore& logged_models_;
};

}  // namespace mlflowcpp::server::auth
