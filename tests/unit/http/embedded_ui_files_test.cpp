// EmbeddedUiFiles over a file list of its own: lookups by exact path only, the headers of our own UI, and the
// If-None-Match forms a browser or a proxy sends.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "server/http/embedded_ui_files.hpp"
#include "server/http/in_memory_exchange.hpp"

namespace mlflowcpp::server::http {
namespace {

constexpr EmbeddedUiFile kFiles[] = {
    {"index.html", "<!doctype html>", "text/html; charset=utf-8", "\"i1\""},
    {"lib/api.js", "export {};", "application/javascript", "\"a1\""},
};

// What a reply held once the files served it (a Reply is not copyable).
struct Answer {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
};

std::string header_of(const Answer& answer, const std::string& name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) return value;
  }
  return "";
}

Answer get(const EmbeddedUiFiles& files, const std::string& path, const std::string& if_none_match = "") {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!if_none_match.empty()) headers.emplace_back("If-None-Match", if_none_match);
  InMemoryRequest request("GET", "/static-files/" + path, {}, "", headers);
  InMemoryReply reply;
  if (path.empty()) {
    files.serve_index(request, reply);
  } else {
    files.serve_file(path, request, reply);
  }
  return {reply.status(), reply.body(), reply.headers()};
}

TEST(EmbeddedUiFiles, ServesFilesWithTheirTypeTagAndPolicy) {
  const EmbeddedUiFiles files({kFiles, 2});
  const auto script = get(files, "lib/api.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "export {};");
  EXPECT_EQ(header_of(script, "content-type"), "application/javascript");
  EXPECT_EQ(header_of(script, "etag"), "\"a1\"");
  EXPECT_EQ(header_of(script, "cache-control"), "no-cache");
  EXPECT_EQ(header_of(script, "x-content-type-options"), "nosniff");
  EXPECT_NE(header_of(script, "content-security-policy").find("script-src 'self';"), std::string::npos);

  const auto index = get(files, "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(header_of(index, "etag"), "\"i1\"");
}

TEST(EmbeddedUiFiles, FindsExactPathsOnly) {
  const EmbeddedUiFiles files({kFiles, 2});
  for (const std::string path : {"api.js", "lib/../lib/api.js", "./lib/api.js", "lib//api.js", "LIB/api.js", "lib/",
                                 "lib", "/lib/api.js", "lib/api.js/"}) {
    const auto reply = get(files, path);
    EXPECT_EQ(reply.status, 404) << path;
    EXPECT_NE(reply.body.find("ENDPOINT_NOT_FOUND"), std::string::npos) << path;
    EXPECT_EQ(header_of(reply, "etag"), "") << path;
  }
}

TEST(EmbeddedUiFiles, IfNoneMatchAnswers304WhenAnyTagMatches) {
  const EmbeddedUiFiles files({kFiles, 2});
  for (const std::string header : {"\"a1\"", "W/\"a1\"", "\"x\", \"a1\"", "\"x\",W/\"a1\" ", "*"}) {
    const auto reply = get(files, "lib/api.js", header);
    EXPECT_EQ(reply.status, 304) << header;
    EXPECT_TRUE(reply.body.empty()) << header;
    EXPECT_EQ(header_of(reply, "etag"), "\"a1\"") << header;
  }
  for (const std::string header : {"\"i1\"", "a1", "\"a1", "\"A1\"", ","}) {
    EXPECT_EQ(get(files, "lib/api.js", header).status, 200) << header;
  }
}

TEST(EmbeddedUiFiles, WithoutIndexTheRootSaysSo) {
  const EmbeddedUiFiles files({kFiles + 1, 1});
  const auto reply = get(files, "");
  EXPECT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("no UI"), std::string::npos);
}

}  // namespace
}  // namespace mlflowcpp::server::http
