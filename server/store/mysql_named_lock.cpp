#include "server/store/mysql_named_lock.hpp"

#include <stdexcept>

namespace mlflowcpp::server::store::mysql {

NamedLock::NamedLock(MysqlConnection& connection, std::string name, int timeout_seconds)
    : connection_(connection), name_(std::move(name)) {
  auto lock = connection_.statement("SELECT GET_LOCK(?, ?)");
  lock->bind(1, name_);
  lock->bind(2, static_cast<int64_t>(timeout_seconds));
  // 1: taken; 0: timed out; NULL: an error (the session was killed).
  if (!lock->step() || lock->column(0).is_null() || lock->column(0).as_int64() != 1) {
    throw std::runtime_error("another process held the lock '" + name_ + "' for " + std::to_string(timeout_seconds) +
                             " s");
  }
}

NamedLock::~NamedLock() {
  try {
    auto release = connection_.statement("SELECT RELEASE_LOCK(?)");
    release->bind(1, name_);
    release->step();
  } catch (...) {  // a lost connection has released it
  }
}

}  // namespace mlflowcpp::server::store::mysql
