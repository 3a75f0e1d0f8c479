#pragma once

// --backend-store-uri values that name a PostgreSQL database.

#include <string>

namespace mlflowcpp::server::store::postgres {

// postgresql://, postgres:// and the SQLAlchemy spellings with a driver
// (postgresql+psycopg2://, ...), which MLflow configurations carry.
bool is_postgres_uri(const std::string& uri);

// The URI as libpq reads it: the driver dropped, user, password, host, port,
// database and query parameters (sslmode, connect_timeout, options, ...)
// passed through; libpq itself falls back to PGPASSWORD, PGSSLMODE and
// ~/.pgpass. Throws std::invalid_argument for what libpq would refuse.
std::string libpq_uri(const std::string& uri);

// The URI with its password replaced by "***", for messages and logs.
std::string redact_password(const std::string& uri);

}  // namespace mlflowcpp::server::store::postgres
