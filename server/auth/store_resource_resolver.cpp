#include "server/auth/store_resource_resolver.hpp"

#include "server/store/logged_model_store.hpp"
#include "server/store/schema_generation.hpp"
#include "server/store/tracking_store.hpp"

namespace mlflowcpp::server::auth {

StoreResourceResolver::StoreResourceResolver(TrackingStore& tracking, LoggedModelStore& logged_models)
    : tracking_(tracking), logged_models_(logged_models) {}

std::string StoreResourceResolver::experiment_of_run(const std::string& run_id) {
  return tracking_.experiment_id_of_run(run_id);
}

std::string StoreResourceResolver::experiment_id_by_name(const std::string& experiment_name) {
  return tracking_.get_experiment_by_name(experiment_name).experiment_id;
}

std::string StoreResourceResolver::experiment_of_logged_model(const std::string& model_id) {
  if (tracking_.schema_generation() != store::SchemaGeneration::kMlflow3) {
    throw store::mlflow3_schema_required("Logged models");
  }
  return logged_models_.get_logged_model(model_id).info.experiment_id;
}

}  // namespace mlflowcpp::server::auth
