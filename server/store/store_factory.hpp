#pragma once

// Opening the tracking store named by --backend-store-uri.

#include "server/store/registry_store.hpp"
#include "server/store/tracking_store.hpp"

#include <memory>
#include <string>

namespace mlflowcpp::server {

// sqlite:///relative/path.db (relative to the working directory) or
// sqlite:////absolute/path.db. Other schemes, or a database that cannot be
// used, throw std::runtime_error with a message for the person who started
// the server.
std::unique_ptr<TrackingStore> open_tracking_store(const std::string& backend_store_uri,
                                                   const std::string& default_artifact_root);

// Both stores of one backend database: the registry shares the tracking
// store's writer thread and read pool (one writer per SQLite file). Members
// are destroyed in reverse order, so the registry goes before what it uses.
struct BackendStores {
  std::unique_ptr<TrackingStore> tracking;
  std::unique_ptr<RegistryStore> registry;
};
BackendStores open_backend_stores(const std::string& backend_store_uri, const std::string& default_artifact_root);

// The file path inside a sqlite:/// URI; throws std::runtime_error for anything else.
std::string sqlite_path_from_uri(const std::string& backend_store_uri);

}  // namespace mlflowcpp::server
