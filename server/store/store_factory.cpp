#include "server/store/store_factory.hpp"

#include "server/store/measured_database.hpp"
#include "server/store/mysql_database.hpp"
#include "server/store/mysql_schema.hpp"
#include "server/store/mysql_uri.hpp"
#include "server/store/postgres_database.hpp"
#include "server/store/postgres_schema.hpp"
#include "server/store/postgres_uri.hpp"
#include "server/store/sql_logged_model_store.hpp"
#include "server/store/sql_registry_store.hpp"
#include "server/store/sql_tracking_store.hpp"
#include "server/store/sqlite_database.hpp"

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
    throw std::runtime_error("unsupported backend store URI '" + store::postgres::redact_password(backend_store_uri) +
                             "': use sqlite:///<path>, postgresql://<user>:<password>@<host>:<port>/<database> or "
                             "mysql://<user>:<password>@<host>:<port>/<database>");
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

std::shared_ptr<store::sql::Database> open_postgres_database(const std::string& backend_store_uri,
                                                             const BackendStoreOptions& options) {
  namespace postgres = store::postgres;
  try {
    postgres::PostgresDatabaseOptions database_options;
    database_options.uri = backend_store_uri;
    database_options.pool.pool_size = options.db_pool_size;
    database_options.pool.max_overflow = options.db_max_overflow;
    database_options.metrics = options.metrics;
    // Created or checked on a connection of its own before the pool opens.
    database_options.schema_generation = postgres::prepare_schema(postgres::libpq_uri(backend_store_uri), {}).generation;
    return std::make_shared<postgres::PostgresDatabase>(database_options);
  } catch (const std::exception& error) {
    // Named, so the message says which database when several are configured.
    throw std::runtime_error("PostgreSQL database " + postgres::redact_password(backend_store_uri) + ": " +
                             error.what());
  }
}

std::shared_ptr<store::sql::Database> open_mysql_database(const std::string& backend_store_uri,
                                                          const BackendStoreOptions& options) {
  namespace mysql = store::mysql;
  try {
    mysql::MysqlDatabaseOptions database_options;
    database_options.uri = backend_store_uri;
    database_options.pool.pool_size = options.db_pool_size;
    database_options.pool.max_overflow = options.db_max_overflow;
    database_options.metrics = options.metrics;
    // Created or checked on a connection of its own before the pool opens.
    database_options.schema_generation =
        mysql::prepare_schema(mysql::parse_mysql_uri(backend_store_uri), {}).generation;
    return std::make_shared<mysql::MysqlDatabase>(database_options);
  } catch (const std::exception& error) {
    throw std::runtime_error("MySQL database " + store::postgres::redact_password(backend_store_uri) + ": " +
                             error.what());
  }
}

std::shared_ptr<store::sql::Database> open_unmeasured_database(const std::string& backend_store_uri,
                                                               const BackendStoreOptions& options) {
  if (store::postgres::is_postgres_uri(backend_store_uri)) return open_postgres_database(backend_store_uri, options);
  if (store::mysql::is_mysql_uri(backend_store_uri)) return open_mysql_database(backend_store_uri, options);
  store::SqliteDatabaseOptions sqlite_options;
  sqlite_options.path = sqlite_path_from_uri(backend_store_uri);
  sqlite_options.metrics = options.metrics;
  return std::make_shared<store::SqliteDatabase>(sqlite_options);
}

std::shared_ptr<store::sql::Database> open_database(const std::string& backend_store_uri,
                                                    const BackendStoreOptions& options) {
  auto database = open_unmeasured_database(backend_store_uri, options);
  if (!options.metrics) return database;
  return std::make_shared<store::MeasuredDatabase>(std::move(database), options.metrics);
}

store::SqlStoreOptions store_options(const std::string& default_artifact_root) {
  store::SqlStoreOptions options;
  options.default_artifact_root = default_artifact_root;
  return options;
}

BackendStoreOptions with_root(const std::string& default_artifact_root) {
  BackendStoreOptions options;
  options.default_artifact_root = default_artifact_root;
  return options;
}

}  // namespace

BackendStores open_backend_stores(const std::string& backend_store_uri, const BackendStoreOptions& options) {
  std::shared_ptr<store::sql::Database> database = open_database(backend_store_uri, options);
  BackendStores stores;
  stores.tracking = std::make_unique<store::SqlTrackingStore>(database, store_options(options.default_artifact_root));
  stores.registry = std::make_unique<store::SqlRegistryStore>(database);
  stores.logged_models = std::make_unique<store::SqlLoggedModelStore>(database);
  return stores;
}

BackendStores open_backend_stores(const std::string& backend_store_uri, const std::string& default_artifact_root) {
  return open_backend_stores(backend_store_uri, with_root(default_artifact_root));
}

std::unique_ptr<TrackingStore> open_tracking_store(const std::string& backend_store_uri,
                                                   const std::string& default_artifact_root) {
  return std::make_unique<store::SqlTrackingStore>(open_database(backend_store_uri, with_root(default_artifact_root)),
                                                   store_options(default_artifact_root));
}

}  // namespace mlflowcpp::server
