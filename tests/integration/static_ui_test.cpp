// Serving a static build of the web UI: index at /, files under /static-files/,
// right content types, no way out of the build directory, --static-prefix.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "integration/tracking_api.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

const std::string kSecret = "top-secret-content-outside-the-ui-build";
const std::string kIndex = "<!doctype html><html><body><div id=\"root\">fake mlflow ui</div></body></html>";
const std::string kScript = "console.log('fake mlflow ui');";
const std::string kStyle = "body { color: black; }";
const std::string kLogo = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";

// <temp>/ui is the build (as MLflow ships it: index.html, static/...); <temp>/secret.txt is outside it.
class UiBuild {
 public:
  UiBuild() {
    testing::write_file(root_.path() / "secret.txt", kSecret);
    testing::write_file(ui() / "index.html", kIndex);
    testing::write_file(ui() / "static" / "js" / "main.js", kScript);
    testing::write_file(ui() / "static" / "css" / "main.css", kStyle);
    testing::write_file(ui() / "static" / "media" / "logo.svg", kLogo);
    std::filesystem::create_symlink(root_.path() / "secret.txt", ui() / "static" / "escape.txt");
  }
  std::filesystem::path ui() const { return root_.path() / "ui"; }

 private:
  testing::TempDir root_{"mlflowcpp-ui"};
};

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

void expect_ui_served(HttpClient& http, const std::string& prefix) {
  auto index = http.get(prefix + "/");
  EXPECT_EQ(index.status, 200) << index.describe();
  EXPECT_EQ(index.body, kIndex);
  EXPECT_TRUE(starts_with(index.content_type(), "text/html")) << index.content_type();

  auto script = http.get(prefix + "/static-files/static/js/main.js");
  EXPECT_EQ(script.status, 200) << script.describe();
  EXPECT_EQ(script.body, kScript);
  EXPECT_TRUE(starts_with(script.content_type(), "application/javascript") ||
              starts_with(script.content_type(), "text/javascript"))
      << script.content_type();

  auto style = http.get(prefix + "/static-files/static/css/main.css");
  EXPECT_EQ(style.status, 200) << style.describe();
  EXPECT_EQ(style.body, kStyle);
  EXPECT_TRUE(starts_with(style.content_type(), "text/css")) << style.content_type();

  auto logo = http.get(prefix + "/static-files/static/media/logo.svg");
  EXPECT_EQ(logo.status, 200) << logo.describe();
  EXPECT_EQ(logo.body, kLogo);
  EXPECT_TRUE(starts_with(logo.content_type(), "image/svg+xml")) << logo.content_type();

  auto missing = http.get(prefix + "/static-files/static/js/nope.js");
  EXPECT_EQ(missing.status, 404) << missing.describe();
}

TEST(StaticUiTest, ServesTheBuild) {
  UiBuild build;
  testing::ServerOptions options;
  options.extra_args = {"--static-dir", build.ui().string()};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  expect_ui_served(http, "");
  // The UI's own calls work next to it.
  EXPECT_TRUE(IsOk(http.request("GET", kAjax + "/experiments/get?experiment_id=0", "", "application/json")));
}

TEST(StaticUiTest, TraversalAttemptsAreRefused) {
  UiBuild build;
  testing::ServerOptions options;
  options.extra_args = {"--static-dir", build.ui().string()};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  const std::vector<std::string> attempts = {
           "/static-files/../secret.txt",
           "/static-files/static/../../secret.txt",
           "/static-files/static/js/../../../secret.txt",
           "/static-files/%2e%2e/secret.txt",
           "/static-files/%2E%2E%2Fsecret.txt",
           "/static-files/static/..%2f..%2fsecret.txt",
           "/static-files/..%5csecret.txt",
           "/static-files//" + (build.ui().parent_path() / "secret.txt").string(),
           "/static-files/" + testing::url_encode((build.ui().parent_path() / "secret.txt").string()),
           "/static-files/static/escape.txt",
           "/static-files/static/js/main.js%00.html",
           "/../secret.txt",
           "/%2e%2e/secret.txt",
  };
  for (const std::string& path : attempts) {
    auto response = http.get(path);
    EXPECT_TRUE(response.status >= 400 && response.status < 500) << path << ": " << response.describe();
    EXPECT_EQ(response.body.find(kSecret), std::string::npos) << path << " leaked the file outside the build";
  }
  // The server survives all of it.
  EXPECT_EQ(http.get("/health").status, 200);
}

TEST(StaticUiTest, StaticPrefixMovesUiAjaxHealthAndVersion) {
  UiBuild build;
  testing::ServerOptions options;
  options.extra_args = {"--static-dir", build.ui().string(), "--static-prefix", "/mlflow"};
  options.static_prefix = "/mlflow";
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  expect_ui_served(http, "/mlflow");

  auto health = http.get("/mlflow/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "OK");
  auto version = http.get("/mlflow/version");
  EXPECT_EQ(version.status, 200);
  EXPECT_EQ(version.body, "2.9.2");
  EXPECT_TRUE(IsOk(http.get("/mlflow/ajax-api/2.0/mlflow/experiments/get?experiment_id=0")));
  // The REST API never takes the prefix.
  EXPECT_TRUE(IsOk(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0")));
  // Unprefixed UI routes are gone.
  EXPECT_EQ(http.get("/static-files/static/js/main.js").status, 404);
  EXPECT_EQ(http.get("/health").status, 404);
}

TEST(StaticUiTest, BadStaticPrefixIsRefused) {
  testing::TempDir dir;
  for (const std::string prefix : {"mlflow", "/mlflow/"}) {
    auto result = testing::run_command(
        testing::server_binary(),
        {"server", "--port", "0", "--backend-store-uri", "sqlite:///" + (dir.path() / "m.db").string(),
         "--artifacts-destination", (dir.path() / "a").string(), "--static-prefix", prefix},
        {}, std::chrono::seconds(5));
    EXPECT_FALSE(result.timed_out) << prefix;
    EXPECT_NE(result.exit_code, 0) << prefix << ": " << result.output;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
