#pragma once

// The pool of PostgreSQL connections (server/store/connection_pool.hpp).

#include "server/store/connection_pool.hpp"
#include "server/store/postgres_connection.hpp"

namespace mlflowcpp::server::store::postgres {

using store::PoolLimits;
using PostgresConnectionPool = ConnectionPool<PostgresConnection>;

}  // namespace mlflowcpp::server::store::postgres
