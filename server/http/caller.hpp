#pragma once

// Who sent a request, once authentication found out (the basic-auth app).

#include <cstdint>
#include <string>

namespace mlflowcpp::server::http {

struct Caller {
  std::int64_t user_id = 0;
  std::string username;
  bool is_admin = false;
};

}  // namespace mlflowcpp::server::http
