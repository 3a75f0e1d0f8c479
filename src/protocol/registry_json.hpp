#pragma once

// The JSON form of the model registry types, exactly as the official MLflow
// server sends it: versions as decimal strings, absent optional fields left
// out, empty repeated fields left out. Internal to the library, the server
// and the tests; never installed.

#include <mlflowcpp/registry_entities.hpp>

#include "protocol/json_codec.hpp"

namespace mlflowcpp::protocol {

Json to_json(const RegisteredModelTag& tag);
Json to_json(const ModelVersionTag& tag);
Json to_json(const RegisteredModelAlias& alias);
Json to_json(const ModelVersion& version);
Json to_json(const RegisteredModel& model);

// The reverse direction, for the client reading responses. Unknown fields are
// ignored; a missing field takes its default. Throws MlflowException
// (INTERNAL_ERROR) when a field has the wrong JSON type or the status is not
// one of ModelVersionStatus.
RegisteredModelTag registered_model_tag_from_json(const Json& json);
ModelVersionTag model_version_tag_from_json(const Json& json);
RegisteredModelAlias registered_model_alias_from_json(const Json& json);
ModelVersion model_version_from_json(const Json& json);
RegisteredModel registered_model_from_json(const Json& json);

}  // namespace mlflowcpp::protocol
