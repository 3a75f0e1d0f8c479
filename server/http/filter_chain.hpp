#pragma once

// The ordered filters of a server (see filter.hpp for the contract).

#include "server/http/filter.hpp"

#include <cstddef>
#include <exception>
#include <memory>
#include <vector>

namespace mlflowcpp::server::http {

class FilterChain {
 public:
  // Before the first request is served.
  void add(std::shared_ptr<Filter> filter) { filters_.push_back(std::move(filter)); }
  // Ahead of every filter added so far: it then sees every request, also those another filter stopped.
  void add_first(std::shared_ptr<Filter> filter) { filters_.insert(filters_.begin(), std::move(filter)); }

  // before() of each filter until one stops the chain (then true). `filters_run`
  // counts the filters whose before() ran (they get after()), also when one throws.
  bool run_before(Request& request, Reply& reply, std::size_t& filters_run) const;
  // after() of the first `filters_run` filters, last first. Exceptions are swallowed:
  // the answer is out already.
  void run_after(std::size_t filters_run, const CompletedRequest& completed) const noexcept;
  // Asks the first `filters_run` filters, last first, to answer `error`; false when none did.
  bool answer_exception(std::size_t filters_run, const Request& request, Reply& reply,
                        const std::exception_ptr& error) const;

 private:
  std::vector<std::shared_ptr<Filter>> filters_;
};

}  // namespace mlflowcpp::server::http
