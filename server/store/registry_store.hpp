#pragma once

// The model registry store interface: registered models, their versions, tags
// and aliases, as MLflow's registry keeps them. One implementation a file
// (sqlite_registry_store.cpp).
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
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::server {

struct RegisteredModelTag {
  std::string key;
  std::string value;
};

struct ModelVersionTag {
  std::string key;
  std::string value;
};

struct RegisteredModelAlias {
  std::string alias;
  std::string version;  // decimal, as on the wire
};

// A model version as stored. Optional fields are NULL columns: the official
// server leaves them out of its JSON, while empty strings are sent as "".
struct ModelVersion {
  std::string name;
  std::string version;  // decimal, as on the wire
  int64_t creation_timestamp = 0;
  std::optional<int64_t> last_updated_timestamp;
  std::optional<std::string> description;
  std::optional<std::string> user_id;
  std::optional<std::string> current_stage;
  std::optional<std::string> source;
  std::optional<std::string> run_id;
  std::optional<std::string> run_link;
  std::optional<std::string> status;  // "READY" for every version this server creates
  std::optional<std::string> status_message;
  std::vector<ModelVersionTag> tags;
  // The aliases pointing at this version. Filled only by the calls that the
  // official server fills it for (get, get by alias, create, update, transition).
  std::vector<std::string> aliases;
};

struct RegisteredModel {
  std::string name;
  std::optional<int64_t> creation_timestamp;
  std::optional<int64_t> last_updated_timestamp;
  std::optional<std::string> description;
  // The highest version in each stage, stages in the order of their lowest version.
  std::vector<ModelVersion> latest_versions;
  std::vector<RegisteredModelTag> tags;
  std::vector<RegisteredModelAlias> aliases;  // ordered by alias
};

// The stage names of MLflow's registry.
inline constexpr const char* kStageNone = "None";
inline constexpr const char* kStageStaging = "Staging";
inline constexpr const char* kStageProduction = "Production";
inline constexpr const char* kStageArchived = "Archived";
inline constexpr const char* kStageDeletedInternal = "Deleted_Internal";

struct SearchRegistryRequest {
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
};

}  // namespace mlflowcpp::server
