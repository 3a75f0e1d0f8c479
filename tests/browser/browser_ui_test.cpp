// The built-in web UI in a real browser: for each script tests/browser/<name>.test.mjs, a fresh server on a free
// port, then `node <script>` drives headless Chromium against it (seeding through the REST API, opening pages,
// checking what they show, failing on any console error or failed request). Screenshots go to
// <build>/ui-screenshots/<name>/.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"

namespace mlflowcpp::testing {
namespace {

const std::filesystem::path kScriptsDir = MLFLOWCPP_BROWSER_TESTS_DIR;
const std::filesystem::path kScreenshotsDir = MLFLOWCPP_UI_SCREENSHOTS_DIR;

class BrowserUiTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BrowserUiTest, PageBehavesInChromium) {
  const std::string name = GetParam();
  ServerOptions options;
  options.extra_args = {"--static-dir", MLFLOWCPP_UI_SOURCE_DIR};
  ServerProcess server(options);
  const auto result = run_command("node", {(kScriptsDir / (name + ".test.mjs")).string()},
                                  {{"MLFLOWCPP_UI_URL", server.base_url()},
                                   {"MLFLOWCPP_SCREENSHOT_DIR", (kScreenshotsDir / name).string()}},
                                  std::chrono::minutes(3));
  EXPECT_FALSE(result.timed_out) << result.output;
  EXPECT_EQ(result.exit_code, 0) << result.output;
}

INSTANTIATE_TEST_SUITE_P(Pages, BrowserUiTest,
                         ::testing::Values("shell", "experiments", "runs_table", "run", "registry", "metric", "compare"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace mlflowcpp::testing
