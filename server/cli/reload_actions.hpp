#pragma once

// What SIGHUP reloads. Each part of the server that can take new settings or
// files without a restart (the TLS certificate, a log file to reopen after
// rotation) adds an action while the server is set up.

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace mlflowcpp::cli {

class ReloadActions {
 public:
  // `what` names the thing reloaded for the log ("TLS certificate and key").
  // `action` throws std::exception, with the reason, when it kept the old state.
  void add(std::string what, std::function<void()> action);

  // Runs every action, in the order added; one that fails does not stop the
  // others. Each outcome goes to `log`, one line each.
  void run_all(std::ostream& log) const;

  bool empty() const { return actions_.empty(); }

 private:
  struct Action {
    std::string what;
    std::function<void()> run;
  };
  std::vector<Action> actions_;
};

}  // namespace mlflowcpp::cli
