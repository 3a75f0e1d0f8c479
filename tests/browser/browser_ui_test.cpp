// The built-in web UI in a real browser: for each script tests/browser/<name>.test.mjs, a fresh server on a free
// port serving the UI embedded in the binary (no --static-dir), then `node <script>` drives headless Chromium
// against it (seeding through the REST API, opening pages, checking what they show, failing on any console error
// or failed request). Screenshots go to <build>/ui-screenshots/<name>/. auth.test.mjs runs against a server with
// basic auth on, logged_models_mlflow2.test.mjs against a database at MLflow 2.9's schema. A missing Chromium or
// playwright-core fails the tests (scripts/install-deps.sh --test installs both).

#include <gtest/gtest.h>

#include <boost/process/search_path.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "integration/auth_test_client.hpp"
#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::testing {
namespace {

const std::filesystem::path kScriptsDir = MLFLOWCPP_BROWSER_TESTS_DIR;
const std::filesystem::path kScreenshotsDir = MLFLOWCPP_UI_SCREENSHOTS_DIR;

std::string chromium_path() {
  const char* configured = std::getenv("MLFLOWCPP_CHROMIUM");
  return configured != nullptr && *configured != '\0' ? configured : "/usr/bin/chromium";
}

// run_command starts a program by its path, not through PATH.
std::string node_path() { return boost::process::search_path("node").string(); }

// Runs tests/browser/<name>.test.mjs against `server`; `environment` adds to what the harness reads.
void run_browser_script(const std::string& name, const ServerProcess& server, EnvironmentOverrides environment = {}) {
  ASSERT_TRUE(std::filesystem::exists(chromium_path()))
      << "Chromium is missing at " << chromium_path()
      << ": install it with scripts/install-deps.sh --test (Debian package chromium) or set MLFLOWCPP_CHROMIUM.";
  const std::string node = node_path();
  ASSERT_FALSE(node.empty()) << "node is not on PATH: install Node.js with scripts/install-deps.sh --test.";
  environment["MLFLOWCPP_UI_URL"] = server.base_url();
  environment["MLFLOWCPP_SCREENSHOT_DIR"] = (kScreenshotsDir / name).string();
  environment["MLFLOWCPP_CHROMIUM"] = chromium_path();
  const auto result =
      run_command(node, {(kScriptsDir / (name + ".test.mjs")).string()}, environment, std::chrono::minutes(3));
  EXPECT_FALSE(result.timed_out) << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

class BrowserUiTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BrowserUiTest, PageBehavesInChromium) {
  ServerProcess server;
  run_browser_script(GetParam(), server);
}

INSTANTIATE_TEST_SUITE_P(Pages, BrowserUiTest,
                         ::testing::Values("shell", "experiments", "runs_table", "run", "registry", "metric", "compare",
                                           "logged_models", "accessibility"),
                         [](const auto& info) { return info.param; });

// The browser signs in with HTTP basic auth (the server asks with WWW-Authenticate) and the UI works behind it.
TEST(BrowserUiAuthTest, UiWorksBehindBasicAuth) {
  TempDir dir;
  ServerProcess server(integration::basic_auth_server(dir.path()));
  run_browser_script("auth", server,
                     {{"MLFLOWCPP_UI_USER", integration::kAuthAdmin},
                      {"MLFLOWCPP_UI_PASSWORD", integration::kAuthAdminPassword}});
}

// A database at MLflow 2.9's schema has no logged models: the Models tab says so, the run page leaves them out.
TEST(BrowserUiMlflow2Test, ModelsTabWithoutLoggedModels) {
  FixtureServer server("mlflow-2.9.2-sample.sqlite");
  run_browser_script("logged_models_mlflow2", server.process());
}

}  // namespace
}  // namespace mlflowcpp::testing
