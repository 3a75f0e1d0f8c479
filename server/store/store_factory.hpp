#pragma once

// Opening the stores named by --backend-store-uri.

#include "server/store/logged_model_store.hpp"
#include "server/store/registry_store.hpp"
#include "server/store/store_metrics.hpp"
#include "server/store/tracking_store.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace mlflowcpp::server {

struct BackendStoreOptions {
  std::string default_artifact_root;  // experiments get <root>/<id> unless given a location
  // PostgreSQL connection pool (as MLflow's SQLAlchemy pool): connections kept
  // open, and opened beyond those under load.
  std::size_t db_pool_size = 5;
  std::size_t db_max_overflow = 10;
  // Hears of the database's work (`--expose-prometheus`); null: the stores measure nothing.
  std::shared_ptr<store::StoreMetrics> metrics;
};

// The stores of one backend database, sharing one sql::Database (for SQLite:
// one writer and one read pool per file; for PostgreSQL: one connection pool).
struct BackendStores {
  std::unique_ptr<TrackingStore> tracking;
  std::unique_ptr<RegistryStore> registry;
  std::unique_ptr<LoggedModelStore> logged_models;  // MLflow 3's logged models
};

// The backend store URI is
//   sqlite:///relative/path.db (relative to the working directory) or
//   sqlite:////absolute/path.db; or
//   postgresql://user:password@host:port/database[?sslmode=...&...] (also
//   postgres:// and postgresql+psycopg2://; libpq parameters pass through,
//   the password may come from PGPASSWORD or ~/.pgpass).
// An empty database gets MLflow 3's schema; an existing one must have it or MLflow 2.9.2's.
// Other schemes, or a database that cannot be used, throw std::runtime_error
// with a message for the person who started the server.
BackendStores open_backend_stores(const std::string& backend_store_uri, const BackendStoreOptions& options);
BackendStores open_backend_stores(const std::string& backend_store_uri, const std::string& default_artifact_root);
std::unique_ptr<TrackingStore> open_tracking_store(const std::string& backend_store_uri,
                                                   const std::string& default_artifact_root);

// The file path inside a sqlite:/// URI; throws std::runtime_error for anything else.
std::string sqlite_path_from_uri(const std::string& backend_store_uri);

}  // namespace mlflowcpp::server
