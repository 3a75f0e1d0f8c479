#pragma once

// Offline runs: a tracking URI that names a database (sqlite:///, postgresql://,
// postgres://) is served in this process by the store module,
// libmlflowcpp-store.so, loaded on demand so that programs tracking over HTTP
// carry no server code. The module is looked for, in order:
//   1. MLFLOWCPP_STORE_MODULE, a path (when set, the only place looked at);
//   2. the directory of the shared object (or program) holding this code;
//   3. its soname, through the dynamic loader's search path (the installed one).

#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/connection.hpp>

#include <memory>
#include <string_view>

namespace mlflowcpp::client {

// Whether `uri` names a database the store module serves (by its scheme, case-insensitively).
bool is_database_uri(std::string_view uri);

// A connection served by the store module over `options.tracking_uri`; it keeps the module loaded while it lives.
// Throws MlflowException (INVALID_PARAMETER_VALUE) when the module cannot be found or loaded, is of another
// version, or cannot open the store.
std::shared_ptr<Connection> open_store_module_connection(const ResolvedClientOptions& options,
                                                         const EnvironmentLookup& environment);

}  // namespace mlflowcpp::client
