#pragma once

// Answers 403 PERMISSION_DENIED to every client whose address (Request::peer_address(),
// already resolved through the trusted proxies) is outside the allowlist. The
// server adds it ahead of every other filter, so a refused client gets nothing
// read, routed or logged past this point.

#include "server/http/filter.hpp"
#include "server/http/ip_allowlist.hpp"

#include <utility>

namespace mlflowcpp::server::http {

class IpAllowlistFilter : public Filter {
 public:
  // `allowed` must not be empty (an empty list would refuse everyone: leave the filter out instead).
  explicit IpAllowlistFilter(IpNetworkList allowed) : allowed_(std::move(allowed)) {}

  FilterAction before(Request& request, Reply& reply) override;

 private:
  IpNetworkList allowed_;
};

}  // namespace mlflowcpp::server::http
