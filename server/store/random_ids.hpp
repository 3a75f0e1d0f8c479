#pragma once

// Random identifiers the store hands out: run and dataset ids (UUID4 as 32
// lowercase hex digits, as MLflow) and generated run names ("adjective-noun-NNN").
// Not thread-safe: the store uses one instance from its writer thread only.

#include <random>
#include <string>

namespace mlflowcpp::server::store {

class RandomIds {
 public:
  RandomIds();

  std::string uuid4_hex();
  std::string run_name();

 private:
  std::mt19937_64 engine_;
};

}  // namespace mlflowcpp::server::store
