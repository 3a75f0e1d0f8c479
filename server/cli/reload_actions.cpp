#include "server/cli/reload_actions.hpp"

#include <exception>
#include <utility>

namespace mlflowcpp::cli {

void ReloadActions::add(std::string what, std::function<void()> action) {
  actions_.push_back({std::move(what), std::move(action)});
}

void ReloadActions::run_all(std::ostream& log) const {
  if (actions_.empty()) {
    log << "mlflowcpp server: SIGHUP: nothing to reload\n";
    return;
  }
  for (const Action& action : actions_) {
    try {
      action.run();
      log << "mlflowcpp server: reloaded the " << action.what << "\n";
    } catch (const std::exception& error) {
      log << "mlflowcpp server: kept the previous " << action.what << ": " << error.what() << "\n";
    }
  }
  log << std::flush;
}

}  // namespace mlflowcpp::cli
