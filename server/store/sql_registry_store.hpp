#pragma once

// The model registry in MLflow 2.9.2's own registry tables
// (registered_models, model_versions, registered_model_tags,
// model_version_tags, registered_model_aliases) of the tracking database, on
// any sql::Database (SQLite or PostgreSQL). Over SQLite it shares the
// tracking store's Database, and so its one writer. Registering an MLflow 3
// logged model also reads that model and writes its mlflow.modelVersions tag
// (logged_models, logged_model_tags of the same database), so the version and
// the tag are committed together.

#include "server/store/registry_store.hpp"
#include "server/store/sql_database.hpp"

#include <memory>

namespace mlflowcpp::server::store {

class SqlRegistryStore final : public RegistryStore {
 public:
  // `database` holds MLflow's schema.
  explicit SqlRegistryStore(std::shared_ptr<sql::Database> database);

  RegisteredModel create_registered_model(const std::string& name, const std::vector<RegisteredModelTag>& tags,
                                          const std::string& description) override;
  RegisteredModel get_registered_model(const std::string& name) override;
  RegisteredModel rename_registered_model(const std::string& name, const std::string& new_name) override;
  RegisteredModel update_registered_model(const std::string& name, const std::string& description) override;
  void delete_registered_model(const std::string& name) override;
  Page<RegisteredModel> search_registered_models(const SearchRegistryRequest& request) override;
  std::vector<ModelVersion> get_latest_versions(const std::string& name,
                                                const std::vector<std::string>& stages) override;
  void set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) override;
  void delete_registered_model_tag(const std::string& name, const std::string& key) override;

  void set_registered_model_alias(const std::string& name, const std::string& alias, int64_t version) override;
  void delete_registered_model_alias(const std::string& name, const std::string& alias) override;
  ModelVersion get_model_version_by_alias(const std::string& name, const std::string& alias) override;

  ModelVersion create_model_version(const CreateModelVersionRequest& request) override;
  ModelVersion get_model_version(const std::string& name, int64_t version) override;
  ModelVersion update_model_version(const std::string& name, int64_t version,
                                    const std::optional<std::string>& description) override;
  ModelVersion transition_model_version_stage(const std::string& name, int64_t version, const std::string& stage,
                                              bool archive_existing_versions) override;
  void delete_model_version(const std::string& name, int64_t version) override;
  Page<ModelVersion> search_model_versions(const SearchRegistryRequest& request) override;
  std::string get_model_version_download_uri(const std::string& name, int64_t version) override;
  void set_model_version_tag(const std::string& name, int64_t version, const ModelVersionTag& tag) override;
  void delete_model_version_tag(const std::string& name, int64_t version, const std::string& key) override;

  std::optional<std::string> run_artifact_uri(const std::string& run_id) override;
  std::optional<std::string> logged_model_artifact_location(const std::string& model_id) override;

 private:
  std::shared_ptr<sql::Database> database_;
};

}  // namespace mlflowcpp::server::store
