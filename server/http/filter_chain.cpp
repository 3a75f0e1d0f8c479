#include "server/http/filter_chain.hpp"

namespace mlflowcpp::server::http {

bool FilterChain::run_before(Request& request, Reply& reply, std::size_t& filters_run) const {
  filters_run = 0;
  for (const auto& filter : filters_) {
    ++filters_run;
    if (filter->before(request, reply) == FilterAction::kStop) return true;
  }
  return false;
}

void FilterChain::run_after(std::size_t filters_run, const CompletedRequest& completed) const noexcept {
  for (std::size_t i = filters_run; i-- > 0;) {
    try {
      filters_[i]->after(completed);
    } catch (...) {
      // A failing log or metric must not take the server down; the next filter still runs.
    }
  }
}

bool FilterChain::answer_exception(std::size_t filters_run, const Request& request, Reply& reply,
                                   const std::exception_ptr& error) const {
  for (std::size_t i = filters_run; i-- > 0;) {
    if (filters_[i]->answer_exception(request, reply, error)) return true;
  }
  return false;
}

}  // namespace mlflowcpp::server::http
