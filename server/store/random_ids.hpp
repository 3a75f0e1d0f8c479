#pragma once

// Random identifiers the store hands out: run and dataset ids (UUID4 as 32
// lowercase hex digits, as MLflow) and generated run names ("adjective-noun-NNN").
// Thread-safe: writes run on many threads at once over PostgreSQL.

#include <mutex>
#include <random>
#include <string>

namespace mlflowcpp::server::store {

class RandomIds {
 public:
  RandomIds();

  std::string uuid4_hex();
  std::string run_name();

 private:
  std::mutex mutex_;  // guards engine_
  std::mt19937_64 engine_;
};

}  // namespace mlflowcpp::server::store
