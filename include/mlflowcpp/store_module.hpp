#pragma once

// The entry points of the in-process store module, libmlflowcpp-store.so: a
// tracking server in the calling process over a database (sqlite:///,
// postgresql://, postgres://), reached as a Connection. make_connection() loads
// the module with dlopen() when the tracking URI names a database; a program may
// also link it (CMake: mlflowcpp::store) and call these itself. No C++ exception
// leaves these functions. The module and the library must be of the same version:
// the connection is a C++ object shared between them.

#include <mlflowcpp/connection.hpp>

#include <cstddef>

extern "C" {

// The mlflowcpp version the module was built from ("0.1.0"): compare with mlflowcpp::kVersion before opening.
__attribute__((visibility("default"))) const char* mlflowcpp_store_module_version();

// A connection to the stores of `database_uri`; experiments created without an artifact location get
// <default_artifact_root>/<experiment id> (null or "": MLFLOW_DEFAULT_ARTIFACT_ROOT, else ./mlruns, made absolute).
// Null when the store cannot be opened, with the reason written to `error_buffer` (NUL-terminated, cut to
// `error_buffer_size`). Release the connection with mlflowcpp_store_close_v1.
__attribute__((visibility("default"))) mlflowcpp::Connection* mlflowcpp_store_open_v1(
    const char* database_uri, const char* default_artifact_root, char* error_buffer, std::size_t error_buffer_size);

__attribute__((visibility("default"))) void mlflowcpp_store_close_v1(mlflowcpp::Connection* connection);
}
