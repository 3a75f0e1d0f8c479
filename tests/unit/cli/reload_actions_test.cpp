// SIGHUP's reload actions: all run, in order, each reported; one failing keeps its old state and stops no other.

#include "server/cli/reload_actions.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace mlflowcpp::cli {
namespace {

TEST(ReloadActionsTest, RunsEveryActionInOrderAndReportsEach) {
  std::vector<std::string> ran;
  ReloadActions actions;
  actions.add("TLS certificate and key", [&] { ran.push_back("tls"); });
  actions.add("access log file", [&] {
    ran.push_back("log");
    throw std::runtime_error("cannot open /var/log/x: permission denied");
  });
  actions.add("third thing", [&] { ran.push_back("third"); });

  std::ostringstream log;
  actions.run_all(log);
  EXPECT_EQ(ran, (std::vector<std::string>{"tls", "log", "third"}));
  EXPECT_EQ(log.str(),
            "mlflowcpp server: reloaded the TLS certificate and key\n"
            "mlflowcpp server: kept the previous access log file: cannot open /var/log/x: permission denied\n"
            "mlflowcpp server: reloaded the third thing\n");
}

TEST(ReloadActionsTest, WithNothingToReloadSaysSo) {
  ReloadActions actions;
  EXPECT_TRUE(actions.empty());
  std::ostringstream log;
  actions.run_all(log);
  EXPECT_EQ(log.str(), "mlflowcpp server: SIGHUP: nothing to reload\n");
}

}  // namespace
}  // namespace mlflowcpp::cli
