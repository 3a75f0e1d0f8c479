#pragma once

// While the server drains before stopping, /health answers 503 (plain text, as
// its 200 "OK" is), so that load balancers and readiness probes send new
// clients elsewhere while the requests in progress still finish.

#include "server/http/filter.hpp"

#include <atomic>
#include <string>

namespace mlflowcpp::server::http {

class DrainingHealthFilter : public Filter {
 public:
  // `draining` must outlive the filter.
  DrainingHealthFilter(const std::atomic<bool>& draining, const std::string& static_prefix)
      : draining_(draining), health_path_(static_prefix + "/health") {}

  FilterAction before(Request& request, Reply& reply) override;

 private:
  const std::atomic<bool>& draining_;
  std::string health_path_;
};

}  // namespace mlflowcpp::server::http
