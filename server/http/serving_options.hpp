#pragma once

// What the server's parts share about how it serves: where the UI lives and
// which parts of the API are on (`mlflow server` flags of the same names).

#include <string>

namespace mlflowcpp::server::http {

struct ServingOptions {
  // "" or "/prefix" (starts with '/', no trailing '/'): put before the UI's
  // paths (ajax-api, health, version, static files, get-artifact).
  std::string static_prefix;
  // --artifacts-only: tracking and registry routes answer 503.
  bool artifacts_only = false;
  // --no-serve-artifacts turns this off: the artifact proxy answers 503.
  bool serve_artifacts = true;
};

}  // namespace mlflowcpp::server::http
