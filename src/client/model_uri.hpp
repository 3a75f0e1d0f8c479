#pragma once

// models:/ URIs, the way the official client reads them:
//   models:/<name>/<version>   a version number (digits only)
//   models:/<name>/latest      the highest version, any stage ("latest" in any case)
//   models:/<name>/<stage>     the highest version in that stage (any case)
//   models:/<name>@<alias>     the version an alias points at
//   models:/<model_id>         an MLflow 3 logged model ("m-" + 32 hex digits)

#include <string>

namespace mlflowcpp::client {

struct ModelUri {
  enum class Kind { kVersion, kLatest, kStage, kAlias, kModelId };

  std::string name;  // the registered model; empty for kModelId
  Kind kind = Kind::kLatest;
  // The version number, the stage, the alias or the model id as written; empty for kLatest.
  std::string reference;
};

// Throws MlflowException (INVALID_PARAMETER_VALUE) for anything that is not one
// of the forms above, including models:// URIs naming a registry host.
ModelUri parse_model_uri(const std::string& uri);

// Whether `text` has the form of an MLflow 3 logged model id: "m-" + 32 hex digits.
bool is_logged_model_id(const std::string& text);

}  // namespace mlflowcpp::client
