#pragma once

// The model registry service: MLflow 2.9.2's rules for every registry call
// (required values, name/alias/version/stage rules, tag and column limits,
// paging bounds, model-version source validation), and MLflow 3's for
// registering a logged model (`model_id`, `models:/<model_id>` sources), in
// front of the store. It
// knows nothing of HTTP. Every rule violation throws MlflowException
// (INVALID_PARAMETER_VALUE, 400); a missing model, version or run is
// RESOURCE_DOES_NOT_EXIST (404).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/artifacts/artifact_roots.hpp"
#include "server/search/id_scope.hpp"
#include "server/store/registry_store.hpp"

namespace mlflowcpp::server {

struct SearchRegistryParams {
  search::IdScope model_scope;  // the caller's read scope: only the registered models (and their versions) it admits
  std::string filter;
  std::optional<int64_t> max_results;  // nullopt = the endpoint's default
  std::vector<std::string> order_by;
  std::string page_token;
};

struct CreateModelVersionParams {
  std::string name;
  std::string source;
  std::string run_id;
  std::vector<ModelVersionTag> tags;
  std::string run_link;
  std::string description;
  std::string model_id;  // MLflow 3: the logged model the version registers ("" = none)
};

class RegistryService {
 public:
  // `roots`: where a local model version source may lie (on top of MLflow's
  // rule that it lies in its run's or logged model's artifacts).
  RegistryService(RegistryStore& store, ArtifactRoots roots);

  // Registered models.
  RegisteredModel create_registered_model(const std::string& name, const std::vector<RegisteredModelTag>& tags,
                                          const std::string& description);
  RegisteredModel get_registered_model(const std::string& name);
  RegisteredModel rename_registered_model(const std::string& name, const std::string& new_name);
  RegisteredModel update_registered_model(const std::string& name, const std::string& description);
  void delete_registered_model(const std::string& name);
  Page<RegisteredModel> search_registered_models(const SearchRegistryParams& params);
  // Stage names in any case; an unknown one is 400.
  std::vector<ModelVersion> get_latest_versions(const std::string& name, const std::vector<std::string>& stages);
  void set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag);
  void delete_registered_model_tag(const std::string& name, const std::string& key);

  // Aliases; versions as sent on the wire (decimal text).
  void set_registered_model_alias(const std::string& name, const std::string& alias, const std::string& version);
  void delete_registered_model_alias(const std::string& name, const std::string& alias);
  ModelVersion get_model_version_by_alias(const std::string& name, const std::string& alias);

  // Model versions.
  ModelVersion create_model_version(const CreateModelVersionParams& params);
  ModelVersion get_model_version(const std::string& name, const std::string& version);
  ModelVersion update_model_version(const std::string& name, const std::string& version,
                                    const std::optional<std::string>& description);
  ModelVersion transition_model_version_stage(const std::string& name, const std::string& version,
                                              const std::string& stage, bool archive_existing_versions);
  void delete_model_version(const std::string& name, const std::string& version);
  Page<ModelVersion> search_model_versions(const SearchRegistryParams& params);
  std::string get_model_version_download_uri(const std::string& name, const std::string& version);
  void set_model_version_tag(const std::string& name, const std::string& version, const ModelVersionTag& tag);
  void delete_model_version_tag(const std::string& name, const std::string& version, const std::string& key);

  // MLflow's checks on a model version source, in its order: a local path or
  // file: URI is accepted only with a run_id whose (local) artifact directory
  // contains it; any other URI must have an absolute, normalised path without
  // `..` segments or NUL bytes, also after percent-decoding.
  void validate_source(const std::string& source, const std::string& run_id);
  // The same checks for a version registering logged model `model_id` (MLflow
  // 3): a local source must lie in that model's (local) artifact location.
  void validate_source_of_logged_model(const std::string& source, const std::string& model_id);

 private:
  RegistryStore& store_;
  ArtifactRoots roots_;
};

// Single rules of the registry, for callers that check a value on its own.
namespace registry_rules {
// Python's int() on a version string; 400 "must be an integer" otherwise.
int64_t parse_version(const std::string& version);
// "Staging" for "staging"; 400 for anything but None, Staging, Production, Archived.
std::string canonical_stage(const std::string& stage);
void validate_alias(const std::string& alias);
}  // namespace registry_rules

}  // namespace mlflowcpp::server
