#pragma once

// A MySQL / MariaDB named lock (GET_LOCK) held by one connection's session:
// mlflowcpp processes preparing a schema in one database server take the same
// lock, so that replicas starting together create the schema once.

#include "server/store/mysql_connection.hpp"

#include <string>

namespace mlflowcpp::server::store::mysql {

class NamedLock {
 public:
  // Waits up to `timeout_seconds` for the lock; throws std::runtime_error when
  // another session held it all that time, sql::DatabaseError when the
  // server cannot be asked.
  NamedLock(MysqlConnection& connection, std::string name, int timeout_seconds);
  // Releases the lock (the server also does when the connection closes).
  ~NamedLock();
  NamedLock(const NamedLock&) = delete;
  NamedLock& operator=(const NamedLock&) = delete;

 private:
  MysqlConnection& connection_;
  std::string name_;
};

}  // namespace mlflowcpp::server::store::mysql
