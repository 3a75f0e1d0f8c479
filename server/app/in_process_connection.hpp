#pragma once

// A Connection that is the tracking server itself, in this process: each
// request goes through the server's router, filters and handlers over a
// backend store opened from a database URI (sqlite:///, postgresql://,
// postgres://), so answers and errors are those the server gives over HTTP.
// This is what offline runs use; the store module (libmlflowcpp-store) wraps it
// for the client library, and programs linking the server layers call it directly.

#include <mlflowcpp/connection.hpp>

#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::server {

struct InProcessOptions {
  // Where experiments created without an artifact location keep their artifacts (<root>/<experiment id>).
  // Empty: MLFLOW_DEFAULT_ARTIFACT_ROOT when set, else ./mlruns; a path is made absolute when the connection opens.
  std::string default_artifact_root;
};

// The artifact root of InProcessOptions: `explicit_root`, else `environment_root`, else ./mlruns; a path without a
// URI scheme (or a relative file: URI) made absolute against the working directory, as MLflow resolves local roots.
std::string resolve_default_artifact_root(const std::string& explicit_root,
                                          const std::optional<std::string>& environment_root);

// Opens the stores of `database_uri` (creating MLflow 3's schema in an empty database). Throws std::runtime_error,
// or what the store throws, when the URI or the database cannot be used.
std::shared_ptr<Connection> open_in_process_connection(const std::string& database_uri,
                                                       const InProcessOptions& options);

}  // namespace mlflowcpp::server
