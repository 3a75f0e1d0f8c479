#pragma once

// The `mlflow.modelVersions` tag MLflow 3 keeps on a logged model: the
// registered model versions made from it, as the JSON text Python's
// json.dumps writes (`[{"name": "m", "version": 3}]`), so the official server
// and its clients read it unchanged.

#include <cstdint>
#include <optional>
#include <string>

namespace mlflowcpp::server::store {

inline constexpr const char* kModelVersionsTagKey = "mlflow.modelVersions";

// The tag's value once version `version` of registered model `name` is added:
// a list holding only that entry when the tag is absent or empty, else the
// existing list with the entry appended unless an equal one is there already.
// The existing entries are written back as json.dumps writes them.
// INVALID_PARAMETER_VALUE when the existing value is not a JSON list (the
// official server fails with a 500 there).
std::string model_versions_tag_with(const std::optional<std::string>& existing, const std::string& name,
                                    int64_t version);

}  // namespace mlflowcpp::server::store
