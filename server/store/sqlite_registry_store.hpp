#pragma once

// The model registry over SQLite, in MLflow 2.9.2's own registry tables
// (registered_models, model_versions, registered_model_tags,
// model_version_tags, registered_model_aliases) of the tracking database.
//
// It shares the database's single writer thread and read pool with the
// tracking store: SQLite allows one writer per file, so a second writer would
// only fight the first for the lock.

#include <functional>

#include "server/store/registry_store.hpp"

namespace mlflowcpp::server::store {

class SqliteConnection;
class SqliteWriter;
class SqliteReadPool;

class SqliteRegistryStore final : public RegistryStore {
 public:
  // `writer` and `readers` must be open on a database prepared with MLflow's
  // schema (prepare_database) and outlive this store.
  SqliteRegistryStore(SqliteWriter& writer, SqliteReadPool& readers);

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

 private:
  // Runs `job` on the writer thread in its own savepoint; waits for the commit.
  void write(const std::function<void(SqliteConnection&)>& job);
  // Runs `job` on a pooled read connection inside one read transaction.
  void read(const std::function<void(SqliteConnection&)>& job);

  SqliteWriter& writer_;
  SqliteReadPool& readers_;
};

}  // namespace mlflowcpp::server::store
