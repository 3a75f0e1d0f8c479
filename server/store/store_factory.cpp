#include "server/store/store_factory.hpp"

#include "server/store/sqlite_registry_store.hpp"
#include "server/store/sqlite_tracking_store.hpp"

#include <stdexcept>

namespace mlflowcpp::server {

std::string sqlite_path_from_uri(const std::string& backend_store_uri) {
  const std::string prefix = "sqlite:///";
  if (backend_store_uri.rfind(prefix, 0) != 0) {
    const auto scheme_end = backend_store_uri.find(':');
    const std::string scheme =
        scheme_end == std::string::npos ? std::string() : backend_store_uri.substr(0, scheme_end);
    if (scheme == "sqlite") {
      throw std::runtime_error("invalid backend store URI '" + backend_store_uri +
                               "': write sqlite:///relative/path.db or sqlite:////absolute/path.db");
    }
    throw std::runtime_error("unsupported backend store URI '" + backend_store_uri +
                             "': only sqlite:///<path> is supported");
  }
  // What follows the third slash is the path: "x.db" (relative) or "/abs/x.db".
  std::string path = backend_store_uri.substr(prefix.size());
  const auto query = path.find('?');
  if (query != std::string::npos) path.resize(query);
  if (path.empty() || path == ":memory:") {
    throw std::runtime_error("invalid backend store URI '" + backend_store_uri + "': a database file path is needed");
  }
  return path;
}

namespace {
std::unique_ptr<store::SqliteTrackingStore> open_sqlite_store(const std::string& backend_store_uri,
                                                              const std::string& default_artifact_root) {
  store::SqliteStoreOptions options;
  options.database_path = sqlite_path_from_uri(backend_store_uri);
  options.default_artifact_root = default_artifact_root;
  return std::make_unique<store::SqliteTrackingStore>(options);
}
}  // namespace

std::unique_ptr<TrackingStore> open_tracking_store(const std::string& backend_store_uri,
                                                   const std::string& default_artifact_root) {
  return open_sqlite_store(backend_store_uri, default_artifact_root);
}

BackendStores open_backend_stores(const std::string& backend_store_uri, const std::string& default_artifact_root) {
  auto tracking = open_sqlite_store(backend_store_uri, default_artifact_root);
  BackendStores stores;
  stores.registry = std::make_unique<store::SqliteRegistryStore>(tracking->writer(), tracking->readers());
  stores.tracking = std::move(tracking);
  return stores;
}

}  // namespace mlflowcpp::server
