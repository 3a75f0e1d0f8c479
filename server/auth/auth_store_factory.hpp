#pragma once

// Opening the basic-auth app's database named by the auth config's database_uri.

#include "server/auth/auth_store.hpp"

#include <memory>
#include <string>

namespace mlflowcpp::server::auth {

// `database_uri` is sqlite:///relative/path.db, sqlite:////absolute/path.db or
// postgresql://user:password@host:port/database (also postgres:// and
// postgresql+psycopg2://) or mysql://user:password@host:port/database (also
// mysql+pymysql:// and the other driver spellings). An empty database gets MLflow's auth schema
// (auth_schema.hpp); an existing one must have it at a revision this server
// reads. Throws std::invalid_argument for another scheme, std::runtime_error
// with a message for the person who started the server when the database
// cannot be used.
std::unique_ptr<AuthStore> open_auth_store(const std::string& database_uri);

}  // namespace mlflowcpp::server::auth
