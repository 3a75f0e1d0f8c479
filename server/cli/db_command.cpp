#include "server/cli/db_command.hpp"

#include "server/store/mysql_schema.hpp"
#include "server/store/mysql_uri.hpp"
#include "server/store/postgres_schema.hpp"
#include "server/store/postgres_uri.hpp"
#include "server/store/sqlite_database.hpp"
#include "server/store/sqlite_schema.hpp"
#include "server/store/store_factory.hpp"

#include <exception>
#include <iostream>

namespace mlflowcpp::cli {

namespace {

namespace postgres = server::store::postgres;
namespace mysql = server::store::mysql;

constexpr const char* kDbUsage =
    "Usage: mlflowcpp db upgrade URI\n"
    "\n"
    "Brings the database to MLflow 3's schema (alembic revision 1b5f0d9ad7c1), as\n"
    "`mlflow db upgrade` does: creates it in an empty database, migrates a database\n"
    "with MLflow 2.9's schema (revision acf3f17fdcc7) in place, in one transaction\n"
    "(on MySQL, which commits DDL statement by statement, step by step), keeping\n"
    "its data, and checks a database that has it already. URI is a backend store\n"
    "URI: postgresql://user:password@host:port/database[?sslmode=...] (also\n"
    "postgres:// and postgresql+psycopg2://; the password may come from PGPASSWORD),\n"
    "mysql://user:password@host:port/database[?ssl_ca=...] (also mysql+pymysql://\n"
    "and the other drivers; the password may come from MYSQL_PWD) or\n"
    "sqlite:///path.db. A database at another revision is refused: migrate it with\n"
    "MLflow's own `mlflow db upgrade`.\n";

const char* done(server::store::SchemaState state) {
  switch (state) {
    case server::store::SchemaState::kCreated:
      return "Created";
    case server::store::SchemaState::kUpgraded:
      return "Upgraded to";
    case server::store::SchemaState::kCurrent:
      break;
  }
  return "Checked";
}

void report(const server::store::PreparedSchema& prepared, const std::string& printable_uri) {
  std::cout << done(prepared.state) << " MLflow 3's schema (alembic revision "
            << server::store::kMlflow3AlembicRevision << ") in " << printable_uri << "\n";
}

int upgrade(const std::string& uri) {
  if (postgres::is_postgres_uri(uri)) {
    postgres::PostgresSchemaOptions options;
    options.add_missing_indexes = true;
    options.upgrade_mlflow2 = true;
    report(postgres::prepare_schema(postgres::libpq_uri(uri), options), postgres::redact_password(uri));
    return 0;
  }
  if (mysql::is_mysql_uri(uri)) {
    mysql::MysqlSchemaOptions options;
    options.add_missing_indexes = true;
    options.upgrade_mlflow2 = true;
    report(mysql::prepare_schema(mysql::parse_mysql_uri(uri), options), postgres::redact_password(uri));
    return 0;
  }
  // Opening a SQLite database creates, upgrades or checks its schema (and
  // nothing else: the default experiment is the server's, with its artifact
  // root).
  server::store::SqliteDatabaseOptions options;
  options.path = server::sqlite_path_from_uri(uri);
  options.upgrade_mlflow2_schema = true;
  server::store::SqliteDatabase database(options);
  report(database.prepared_schema(), uri);
  return 0;
}

}  // namespace

int run_db_command(const std::vector<std::string>& arguments) {
  if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h") {
    (arguments.empty() ? std::cerr : std::cout) << kDbUsage;
    return arguments.empty() ? 2 : 0;
  }
  if (arguments[0] != "upgrade" || arguments.size() != 2 || arguments[1].rfind("-", 0) == 0) {
    if (arguments.size() == 2 && arguments[1] == "--help") {
      std::cout << kDbUsage;
      return 0;
    }
    std::cerr << "mlflowcpp db: expected `upgrade URI`.\n" << kDbUsage;
    return 2;
  }
  try {
    return upgrade(arguments[1]);
  } catch (const std::exception& error) {
    std::cerr << "mlflowcpp db upgrade: " << error.what() << "\n";
    return 1;
  }
}

}  // namespace mlflowcpp::cli
