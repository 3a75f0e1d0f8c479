#include "server/cli/db_command.hpp"

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

constexpr const char* kDbUsage =
    "Usage: mlflowcpp db upgrade URI\n"
    "\n"
    "Creates MLflow 2.9.2's schema (alembic revision acf3f17fdcc7) in an empty\n"
    "database, or checks that an existing one has it. URI is a backend store URI:\n"
    "postgresql://user:password@host:port/database[?sslmode=...] (also postgres://\n"
    "and postgresql+psycopg2://; the password may come from PGPASSWORD) or\n"
    "sqlite:///path.db. A database at another revision is refused: migrate it with\n"
    "MLflow 2.9.2's `mlflow db upgrade`.\n";

int upgrade(const std::string& uri) {
  if (postgres::is_postgres_uri(uri)) {
    postgres::PostgresSchemaOptions options;
    options.add_missing_indexes = true;
    const auto state = postgres::prepare_schema(postgres::libpq_uri(uri), options);
    std::cout << (state == postgres::SchemaState::kCreated ? "Created" : "Checked") << " MLflow 2.9.2's schema "
              << "(alembic revision " << server::store::kSupportedAlembicRevision << ") in "
              << postgres::redact_password(uri) << "\n";
    return 0;
  }
  // Opening a SQLite database creates or checks its schema (and nothing
  // else: the default experiment is the server's, with its artifact root).
  server::store::SqliteDatabaseOptions options;
  options.path = server::sqlite_path_from_uri(uri);
  server::store::SqliteDatabase database(options);
  std::cout << "Checked MLflow 2.9.2's schema (alembic revision " << server::store::kSupportedAlembicRevision
            << ") in " << uri << "\n";
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
