#pragma once

// The model registry store interface: registered models, their versions, tags
// and aliases, as MLflow's registry keeps them. One implementation a file
// (sql_registry_store.cpp, over any sql::Database).
//
// Methods throw mlflowcpp::MlflowException with the code the official server
// uses: RESOURCE_DOES_NOT_EXIST for a missing model or version,
// RESOURCE_ALREADY_EXISTS for a taken name, INVALID_PARAMETER_VALUE for a bad
// filter, order_by or page token. Values reaching the store are already
// checked for shape and length by the service layer (RegistryService); the
// store checks what needs the database.
//
// Deleted model versions stay in the table as tombstones (stage
// "Deleted_Internal", content redacted) so their numbers are never reused;
// no method returns them.
//
// Thread safety: every method may be called from many threads at once.

#include <cstdint>
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/registry_entities.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/search/id_scope.hpp"

namespace mlflowcpp::server {

// The registry's types are the public protocol model
// (mlflowcpp/registry_entities.hpp), so client and server share one model and
// one JSON form (protocol/registry_json.hpp). The store fills the optional
// fields from NULL-able columns: NULL stays absent, an empty string is kept,
// as the official server does. A model version's `aliases` are filled only by
// the calls the official server fills them for (get, get by alias, create,
// update, transition); a registered model's `user_id` is never set (MLflow's
// registry has no such column).

// The stage a deleted version's tombstone carries; never returned. The other
// stage names are mlflowcpp::kModelStage*.
inline constexpr const char* kStageDeletedInternal = "Deleted_Internal";

// `model_scope` (the caller's read scope; all by default) narrows both
// searches to the registered models it admits by name, versions following their model.
struct SearchRegistryRequest {
  search::IdScope model_scope;
  std::string filter;
  int64_t max_results = 0;  // already validated by the service
  std::vector<std::string> order_by;
  std::string page_token;
};

struct CreateModelVersionRequest {
  std::string name;
  std::string source;
  std::string run_id;
  std::vector<ModelVersionTag> tags;
  std::string run_link;
  std::string description;
  // MLflow 3: the logged model this version registers ("" = none). Its source
  // run stands in for an empty run_id, and the version joins the model's
  // mlflow.modelVersions tag in the transaction that creates it.
  std::string model_id;
};

class RegistryStore {
 public:
  virtual ~RegistryStore() = default;

  // Registered models.
  virtual RegisteredModel create_registered_model(const std::string& name, const std::vector<RegisteredModelTag>& tags,
                                                  const std::string& description) = 0;
  virtual RegisteredModel get_registered_model(const std::string& name) = 0;
  // Moves the versions, tags and aliases along.
  virtual RegisteredModel rename_registered_model(const std::string& name, const std::string& new_name) = 0;
  virtual RegisteredModel update_registered_model(const std::string& name, const std::string& description) = 0;
  // Deletes the model with all its versions (tombstones included), tags and aliases.
  virtual void delete_registered_model(const std::string& name) = 0;
  virtual Page<RegisteredModel> search_registered_models(const SearchRegistryRequest& request) = 0;
  // `stages` canonical ("Staging"); empty = every stage.
  virtual std::vector<ModelVersion> get_latest_versions(const std::string& name,
                                                        const std::vector<std::string>& stages) = 0;
  virtual void set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) = 0;
  // Deleting an absent tag of an existing model is not an error.
  virtual void delete_registered_model_tag(const std::string& name, const std::string& key) = 0;

  // Aliases. Setting an existing alias moves it.
  virtual void set_registered_model_alias(const std::string& name, const std::string& alias, int64_t version) = 0;
  virtual void delete_registered_model_alias(const std::string& name, const std::string& alias) = 0;
  virtual ModelVersion get_model_version_by_alias(const std::string& name, const std::string& alias) = 0;

  // Model versions. The source is validated by the service before this call.
  // A `models:/<name>/<version>` source stores that version's download URI as
  // the new version's; a `models:/<model_id>` source (MLflow 3) that logged
  // model's artifact location, and its source run stands in for an empty
  // run_id. A source or model_id naming no active logged model is
  // RESOURCE_DOES_NOT_EXIST; either on a database with MLflow 2.9's schema is
  // store::mlflow3_schema_required (the upgrade hint).
  virtual ModelVersion create_model_version(const CreateModelVersionRequest& request) = 0;
  virtual ModelVersion get_model_version(const std::string& name, int64_t version) = 0;
  // nullopt stores NULL, as the official server does for an update without description.
  virtual ModelVersion update_model_version(const std::string& name, int64_t version,
                                            const std::optional<std::string>& description) = 0;
  // `stage` canonical. With `archive_existing_versions` the other versions in
  // that stage move to Archived.
  virtual ModelVersion transition_model_version_stage(const std::string& name, int64_t version,
                                                      const std::string& stage, bool archive_existing_versions) = 0;
  // Leaves a tombstone and removes the aliases pointing at the version.
  virtual void delete_model_version(const std::string& name, int64_t version) = 0;
  virtual Page<ModelVersion> search_model_versions(const SearchRegistryRequest& request) = 0;
  virtual std::string get_model_version_download_uri(const std::string& name, int64_t version) = 0;
  virtual void set_model_version_tag(const std::string& name, int64_t version, const ModelVersionTag& tag) = 0;
  virtual void delete_model_version_tag(const std::string& name, int64_t version, const std::string& key) = 0;

  // The artifact URI of a run (deleted runs included); nullopt when there is
  // no such run. Source validation needs it for local sources.
  virtual std::optional<std::string> run_artifact_uri(const std::string& run_id) = 0;
  // The artifact location of an active (not deleted) logged model; nullopt
  // when there is none. Source validation needs it for local sources given
  // with a model_id. On a database with MLflow 2.9's schema:
  // store::mlflow3_schema_required (the upgrade hint).
  virtual std::optional<std::string> logged_model_artifact_location(const std::string& model_id) = 0;
};

}  // namespace mlflowcpp::server
