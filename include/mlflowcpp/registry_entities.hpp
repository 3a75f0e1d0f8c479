#pragma once

// The model registry's part of the protocol model: registered models, their
// versions, tags and aliases. Field names follow MLflow's model_registry.proto.
//
// Optional fields are the ones the official server may leave out of its JSON
// (a NULL column): "absent" and "empty string" are different answers there,
// and keeping them apart lets these types round-trip that JSON exactly.

#include <mlflowcpp/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp {

// Where a model version is in its registration. Versions of MLflow's own
// stores are READY at once; PENDING_REGISTRATION exists for asynchronous
// backends (poll get_model_version until it changes).
enum class ModelVersionStatus { kPendingRegistration = 1, kFailedRegistration = 2, kReady = 3 };

MLFLOWCPP_EXPORT std::string_view to_string(ModelVersionStatus status);
// Names ("READY") or the proto numbers ("3"); nullopt for anything else.
MLFLOWCPP_EXPORT std::optional<ModelVersionStatus> parse_model_version_status(std::string_view text);

// The stage names of MLflow's registry (stages are deprecated since MLflow 2.9
// in favour of aliases, but still served). Servers match them case-insensitively
// and answer with this spelling.
inline constexpr const char* kModelStageNone = "None";
inline constexpr const char* kModelStageStaging = "Staging";
inline constexpr const char* kModelStageProduction = "Production";
inline constexpr const char* kModelStageArchived = "Archived";

struct RegisteredModelTag {
  std::string key;
  std::string value;
};

struct ModelVersionTag {
  std::string key;
  std::string value;
};

// An alias of a registered model ("champion") and the version it points at.
struct RegisteredModelAlias {
  std::string alias;
  std::string version;  // decimal, as on the wire
};

struct ModelVersion {
  std::string name;
  std::string version;  // decimal integer as a string: "1", "2", ...
  int64_t creation_timestamp = 0;  // epoch ms
  std::optional<int64_t> last_updated_timestamp;
  std::optional<std::string> user_id;
  std::optional<std::string> current_stage;  // one of the kModelStage* names
  std::optional<std::string> description;
  std::optional<std::string> source;  // the artifact URI given at creation
  std::optional<std::string> run_id;
  std::optional<ModelVersionStatus> status;
  std::optional<std::string> status_message;
  std::vector<ModelVersionTag> tags;
  std::optional<std::string> run_link;
  // The aliases pointing at this version. Servers fill it only in the answers
  // about one version (get, get by alias, create, update, transition), not in
  // searches or in a registered model's latest_versions.
  std::vector<std::string> aliases;
};

struct RegisteredModel {
  std::string name;
  std::optional<int64_t> creation_timestamp;  // epoch ms
  std::optional<int64_t> last_updated_timestamp;
  std::optional<std::string> user_id;
  std::optional<std::string> description;
  // The highest version in each stage that has one.
  std::vector<ModelVersion> latest_versions;
  std::vector<RegisteredModelTag> tags;
  std::vector<RegisteredModelAlias> aliases;
};

}  // namespace mlflowcpp
