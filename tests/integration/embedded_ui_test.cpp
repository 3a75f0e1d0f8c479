// The web UI built into the server (server/ui, embedded at build time): served when --static-dir is not given, at
// the root and under --static-prefix, every file with its exact bytes and type, revalidated by ETag, with the
// security headers of our own UI; unknown paths and traversal attempts answer 404; --static-dir still wins; with
// basic auth the UI root asks the browser for credentials.

#include <gtest/gtest.h>

#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "integration/auth_test_client.hpp"
#include "integration/tracking_api.hpp"
#include "testing/temp_dir.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;

const fs::path kUiSourceDir = MLFLOWCPP_UI_SOURCE_DIR;

std::string read_bytes(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

// Every file of the UI's source folder, as '/'-separated paths relative to it.
std::vector<std::string> ui_source_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(kUiSourceDir)) {
    if (!entry.is_regular_file()) continue;
    const std::string relative = fs::relative(entry.path(), kUiSourceDir).generic_string();
    if (relative.front() == '.' || relative.find("/.") != std::string::npos || relative.back() == '~') continue;
    files.push_back(relative);
  }
  return files;
}

std::string expected_type(const std::string& file) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "application/javascript"},
      {".css", "text/css; charset=utf-8"},   {".svg", "image/svg+xml"},
      {".json", "application/json"},         {".png", "image/png"},
  };
  const auto it = kTypes.find(fs::path(file).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void expect_own_ui_headers(const testing::HttpResponse& response, const std::string& what) {
  EXPECT_EQ(response.header("Cache-Control"), "no-cache") << what;
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff") << what;
  const std::string policy = response.header("Content-Security-Policy");
  EXPECT_NE(policy.find("script-src 'self';"), std::string::npos) << what << ": " << policy;
  EXPECT_NE(policy.find("frame-ancestors 'self'"), std::string::npos) << what << ": " << policy;
  EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << what << ": " << policy;
  const std::string etag = response.header("ETag");
  EXPECT_TRUE(etag.size() > 2 && etag.front() == '"' && etag.back() == '"') << what << ": " << etag;
}

void expect_index(testing::HttpClient& http, const std::string& path) {
  const auto index = http.get(path);
  EXPECT_EQ(index.status, 200) << path << ": " << index.describe();
  EXPECT_EQ(index.body, read_bytes(kUiSourceDir / "index.html")) << path;
  EXPECT_EQ(index.content_type(), "text/html; charset=utf-8") << path;
  expect_own_ui_headers(index, path);
}

void expect_every_file_served(testing::HttpClient& http, const std::string& prefix) {
  const auto files = ui_source_files();
  ASSERT_GE(files.size(), 4u);
  for (const std::string& file : files) {
    const std::string path = prefix + "/static-files/" + file;
    const auto response = http.get(path);
    EXPECT_EQ(response.status, 200) << path << ": " << response.describe();
    EXPECT_TRUE(response.body == read_bytes(kUiSourceDir / file)) << path << " differs from the source file";
    EXPECT_EQ(response.content_type(), expected_type(file)) << path;
    expect_own_ui_headers(response, path);
  }
}

TEST(EmbeddedUiTest, ServesTheBuiltInUiWithoutStaticDir) {
  testing::ServerProcess server;
  auto http = server.client();
  expect_index(http, "/");
  expect_every_file_served(http, "");
  // The UI's own calls work next to it.
  EXPECT_TRUE(IsOk(http.get(kAjax + "/experiments/get?experiment_id=0")));
}

TEST(EmbeddedUiTest, StaticPrefixMovesTheUi) {
  testing::ServerOptions options;
  options.extra_args = {"--static-prefix", "/mlflow"};
  options.static_prefix = "/mlflow";
  testing::ServerProcess server(options);
  auto http = server.client();
  expect_index(http, "/mlflow/");
  expect_index(http, "/mlflow");
  expect_every_file_served(http, "/mlflow");
  EXPECT_EQ(http.get("/static-files/app.js").status, 404);
}

TEST(EmbeddedUiTest, EtagRevalidationAnswers304) {
  testing::ServerProcess server;
  auto http = server.client();
  for (const std::string path : {"/", "/static-files/app.js", "/static-files/style.css"}) {
    const auto first = http.get(path);
    ASSERT_EQ(first.status, 200) << path;
    const std::string etag = first.header("ETag");
    const auto again = http.request("GET", path, "", "", {{"If-None-Match", etag}});
    EXPECT_EQ(again.status, 304) << path << ": " << again.describe();
    EXPECT_TRUE(again.body.empty()) << path;
    EXPECT_EQ(again.header("ETag"), etag) << path;
    const auto in_list = http.request("GET", path, "", "", {{"If-None-Match", "\"other\", W/" + etag}});
    EXPECT_EQ(in_list.status, 304) << path;
    const auto changed = http.request("GET", path, "", "", {{"If-None-Match", "\"not-the-etag\""}});
    EXPECT_EQ(changed.status, 200) << path;
    EXPECT_EQ(changed.body, first.body) << path;
  }
  // Distinct files, distinct tags.
  EXPECT_NE(http.get("/static-files/app.js").header("ETag"), http.get("/static-files/style.css").header("ETag"));
}

TEST(EmbeddedUiTest, HeadAnswersHeadersWithoutBody) {
  testing::ServerProcess server;
  auto http = server.client();
  for (const std::string path : {"/", "/static-files/app.js"}) {
    const auto head = http.request("HEAD", path, "", "");
    EXPECT_EQ(head.status, 200) << path << ": " << head.describe();
    EXPECT_TRUE(head.body.empty()) << path;
    EXPECT_EQ(head.header("ETag"), http.get(path).header("ETag")) << path;
  }
}

TEST(EmbeddedUiTest, UnknownPathsAndTraversalAttemptsAnswer404) {
  testing::ServerProcess server;
  auto http = server.client();
  const std::vector<std::string> attempts = {
      "/static-files/nope.js",
      "/static-files/",
      "/static-files/lib",
      "/static-files/lib/",
      "/static-files/../CMakeLists.txt",
      "/static-files/lib/../app.js",
      "/static-files/./app.js",
      "/static-files//app.js",
      "/static-files/%2e%2e/CMakeLists.txt",
      "/static-files/lib%2f..%2f..%2fCMakeLists.txt",
      "/static-files/..%5cCMakeLists.txt",
      "/static-files/app.js%00.html",
      "/static-files/" + testing::url_encode((kUiSourceDir / "app.js").string()),
  };
  for (const std::string& path : attempts) {
    const auto response = http.get(path);
    EXPECT_EQ(response.status, 404) << path << ": " << response.describe();
    EXPECT_EQ(response.error_code(), "ENDPOINT_NOT_FOUND") << path;
  }
  EXPECT_EQ(http.get("/health").status, 200);
}

TEST(EmbeddedUiTest, StaticDirStillWins) {
  testing::TempDir build{"mlflowcpp-ui"};
  const std::string index = "<!doctype html><title>official build</title>";
  testing::write_file(build.path() / "index.html", index);
  testing::write_file(build.path() / "static" / "js" / "main.js", "1;");
  testing::ServerOptions options;
  options.extra_args = {"--static-dir", build.path().string()};
  testing::ServerProcess server(options);
  auto http = server.client();
  const auto served = http.get("/");
  EXPECT_EQ(served.body, index);
  EXPECT_EQ(served.header("Content-Security-Policy"), "") << "the official build brings its own inline scripts";
  EXPECT_EQ(http.get("/static-files/static/js/main.js").body, "1;");
  EXPECT_EQ(http.get("/static-files/app.js").status, 404) << "the built-in UI is not mixed in";
}

TEST(EmbeddedUiTest, BasicAuthAsksTheBrowserForCredentials) {
  testing::TempDir dir;
  testing::ServerProcess server(basic_auth_server(dir.path()));
  auto http = server.client();
  const auto anonymous = http.get("/");
  EXPECT_EQ(anonymous.status, 401) << anonymous.describe();
  EXPECT_EQ(anonymous.header("WWW-Authenticate").rfind("Basic", 0), 0u) << anonymous.header("WWW-Authenticate");
  EXPECT_EQ(anonymous.body.find("<html"), std::string::npos) << "no UI before signing in";

  const auto authorization = httplib::make_basic_authentication_header(kAuthAdmin, kAuthAdminPassword).second;
  const auto signed_in = http.request("GET", "/", "", "", {{"Authorization", authorization}});
  EXPECT_EQ(signed_in.status, 200) << signed_in.describe();
  EXPECT_EQ(signed_in.body, read_bytes(kUiSourceDir / "index.html"));
  const auto wrong = http.request("GET", "/", "", "",
                                  {{"Authorization", httplib::make_basic_authentication_header("admin", "x").second}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.header("WWW-Authenticate").rfind("Basic", 0), 0u);

  // As on the official server, the UI's files are open (they hold no data); its API calls are not.
  EXPECT_EQ(http.get("/static-files/app.js").status, 200);
  const auto api = http.get(kAjax + "/experiments/search?max_results=1");
  EXPECT_EQ(api.status, 401) << api.describe();
  EXPECT_EQ(api.header("WWW-Authenticate").rfind("Basic", 0), 0u);
}

}  // namespace
}  // namespace mlflowcpp::integration
