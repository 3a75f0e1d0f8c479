#pragma once

// The pool of MySQL connections (server/store/connection_pool.hpp).

#include "server/store/connection_pool.hpp"
#include "server/store/mysql_connection.hpp"

namespace mlflowcpp::server::store::mysql {

using store::PoolLimits;
using MysqlConnectionPool = ConnectionPool<MysqlConnection>;

}  // namespace mlflowcpp::server::store::mysql
