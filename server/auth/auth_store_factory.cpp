#include "server/auth/auth_store_factory.hpp"

#include "server/auth/auth_schema.hpp"
#include "server/auth/sql_auth_store.hpp"
#include "server/store/mysql_connection.hpp"
#include "server/store/mysql_database.hpp"
#include "server/store/mysql_named_lock.hpp"
#include "server/store/mysql_uri.hpp"
#include "server/store/postgres_connection.hpp"
#include "server/store/postgres_database.hpp"
#include "server/store/postgres_uri.hpp"
#include "server/store/sqlite_database.hpp"
#include "server/store/store_factory.hpp"

#include <stdexcept>

namespace mlflowcpp::server::auth {
namespace {

namespace mysql = store::mysql;
namespace postgres = store::postgres;

// Any fixed number, other than the tracking schema's: replicas starting together on an empty database create the
// auth schema once.
constexpr const char* kAuthSchemaLock = "SELECT pg_advisory_xact_lock(7305519246310451002)";
// The same on MySQL: a named lock, other than the tracking schema's.
constexpr const char* kMysqlAuthSchemaLock = "mlflowcpp_auth_schema";
constexpr int kMysqlAuthSchemaLockSeconds = 300;

std::unique_ptr<AuthStore> open_sqlite(const std::string& database_uri) {
  store::SqliteDatabaseOptions options;
  options.path = sqlite_path_from_uri(database_uri);
  AuthSchema schema;
  // Runs once, inside the SqliteDatabase constructor below, while `schema` is there to receive what it found.
  options.prepare_schema = [&schema, path = options.path](store::SqliteConnection& writer) {
    schema = prepare_auth_schema(writer, "'" + path + "'");
    return store::PreparedSchema{schema.created ? store::SchemaState::kCreated : store::SchemaState::kCurrent,
                                 store::SchemaGeneration::kMlflow3};
  };
  auto database = std::make_shared<store::SqliteDatabase>(options);
  return std::make_unique<SqlAuthStore>(std::move(database), schema.has_scorer_permissions);
}

// On a connection of its own, in one transaction, before the pool opens.
AuthSchema prepare_postgres_schema(const std::string& conninfo) {
  postgres::PostgresConnection connection(conninfo);
  connection.execute("BEGIN");
  try {
    connection.execute(kAuthSchemaLock);
    const AuthSchema schema = prepare_auth_schema(connection, "in PostgreSQL");
    connection.execute("COMMIT");
    return schema;
  } catch (...) {
    try {
      connection.execute("ROLLBACK");
    } catch (...) {  // the connection closes next anyway
    }
    throw;
  }
}

// A database server's auth store: `prepare_schema()` (on a connection of its own, before the pool opens), then the
// pooled `Database` with `Options` (which take the URI). Errors name the database, without its password.
template <typename Database, typename Options, typename PrepareSchema>
std::unique_ptr<AuthStore> open_database_server(const std::string& database_uri, const PrepareSchema& prepare_schema) {
  try {
    const AuthSchema schema = prepare_schema();
    Options options;
    options.uri = database_uri;
    return std::make_unique<SqlAuthStore>(std::make_shared<Database>(options), schema.has_scorer_permissions);
  } catch (const std::exception& error) {
    throw std::runtime_error("auth database " + postgres::redact_password(database_uri) + ": " + error.what());
  }
}

// On a connection of its own, under the named lock, before the pool opens.
AuthSchema prepare_mysql_schema(const mysql::MysqlConnectOptions& connect) {
  mysql::MysqlConnection connection(connect);
  const mysql::NamedLock lock(connection, kMysqlAuthSchemaLock, kMysqlAuthSchemaLockSeconds);
  return prepare_auth_schema(connection, "in MySQL");
}

}  // namespace

std::unique_ptr<AuthStore> open_auth_store(const std::string& database_uri) {
  if (postgres::is_postgres_uri(database_uri)) {
    return open_database_server<postgres::PostgresDatabase, postgres::PostgresDatabaseOptions>(
        database_uri, [&] { return prepare_postgres_schema(postgres::libpq_uri(database_uri)); });
  }
  if (mysql::is_mysql_uri(database_uri)) {
    return open_database_server<mysql::MysqlDatabase, mysql::MysqlDatabaseOptions>(
        database_uri, [&] { return prepare_mysql_schema(mysql::parse_mysql_uri(database_uri)); });
  }
  if (database_uri.rfind("sqlite:", 0) == 0) return open_sqlite(database_uri);
  throw std::invalid_argument("unsupported auth database URI '" + postgres::redact_password(database_uri) +
                              "': use sqlite:///<path>, postgresql://<user>:<password>@<host>:<port>/<database> or "
                              "mysql://<user>:<password>@<host>:<port>/<database>");
}

}  // namespace mlflowcpp::server::auth
