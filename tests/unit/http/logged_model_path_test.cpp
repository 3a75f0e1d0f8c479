// Taking apart the paths below .../logged-models/ (logged_model_path.hpp).

#include "server/http/logged_model_path.hpp"

#include <gtest/gtest.h>

namespace mlflowcpp::server::http {
namespace {

using Outcome = LoggedModelPath::Outcome;

LoggedModelPath expect_call(std::string_view method, std::string_view remainder, LoggedModelCall call,
                            bool ui_prefix = false) {
  const LoggedModelPath path = parse_logged_model_path(method, remainder, ui_prefix);
  EXPECT_EQ(path.outcome, Outcome::kCall) << method << " " << remainder;
  EXPECT_EQ(path.call, call) << method << " " << remainder;
  return path;
}

TEST(LoggedModelPath, ModelCallsByMethod) {
  EXPECT_EQ(expect_call("GET", "m-1", LoggedModelCall::kGet).model_id, "m-1");
  EXPECT_EQ(expect_call("HEAD", "m-1", LoggedModelCall::kGet).model_id, "m-1");
  EXPECT_EQ(expect_call("DELETE", "m-1", LoggedModelCall::kDelete).model_id, "m-1");
  EXPECT_EQ(expect_call("PATCH", "m-1", LoggedModelCall::kFinalize).model_id, "m-1");
  EXPECT_EQ(expect_call("PATCH", "m-1/tags", LoggedModelCall::kSetTags).model_id, "m-1");
  EXPECT_EQ(expect_call("POST", "m-1/params", LoggedModelCall::kLogParams).model_id, "m-1");
  EXPECT_EQ(expect_call("GET", "m-1/artifacts/directories", LoggedModelCall::kListArtifacts).model_id, "m-1");
  EXPECT_EQ(expect_call("GET", "m-1/artifacts/files", LoggedModelCall::kDownloadArtifact, true).model_id, "m-1");
}

TEST(LoggedModelPath, SearchIsAnIdForOtherMethods) {
  expect_call("POST", "search", LoggedModelCall::kSearch);
  EXPECT_EQ(expect_call("GET", "search", LoggedModelCall::kGet).model_id, "search");
  EXPECT_EQ(expect_call("DELETE", "search", LoggedModelCall::kDelete).model_id, "search");
}

TEST(LoggedModelPath, TagKeyIsTheRestOfThePath) {
  const LoggedModelPath plain = expect_call("DELETE", "m-1/tags/owner", LoggedModelCall::kDeleteTag);
  EXPECT_EQ(plain.model_id, "m-1");
  EXPECT_EQ(plain.tag_key, "owner");
  // The router's path is percent-decoded: "a%2Fb c" arrives as "a/b c".
  EXPECT_EQ(expect_call("DELETE", "m-1/tags/a/b c", LoggedModelCall::kDeleteTag).tag_key, "a/b c");
  EXPECT_EQ(expect_call("DELETE", "m-1/tags/tags", LoggedModelCall::kDeleteTag).tag_key, "tags");
}

TEST(LoggedModelPath, ShapesOfNoEndpoint) {
  for (const std::string_view remainder :
       {"", "/", "/tags", "//tags", "m-1/", "m-1/tags/", "m-1//", "m-1/unknown", "m-1/params/x", "m-1/artifacts",
        "m-1/artifacts/", "m-1/artifacts/directories/x", "m-1/artifacts/files", "search/x"}) {
    const LoggedModelPath path = parse_logged_model_path("GET", remainder, false);
    EXPECT_EQ(path.outcome, Outcome::kNotFound) << remainder;
  }
  // artifacts/files is the UI's: only under the ajax prefix.
  EXPECT_EQ(parse_logged_model_path("GET", "m-1/artifacts/files", true).outcome, Outcome::kCall);
}

TEST(LoggedModelPath, OtherMethodsAreNotAllowed) {
  const LoggedModelPath model = parse_logged_model_path("POST", "m-1", false);
  EXPECT_EQ(model.outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(model.allow, "DELETE, GET, HEAD, OPTIONS, PATCH");
  const LoggedModelPath search = parse_logged_model_path("PUT", "search", false);
  EXPECT_EQ(search.outcome, Outcome::kMethodNotAllowed);
  EXPECT_EQ(search.allow, "DELETE, GET, HEAD, OPTIONS, PATCH, POST");
  EXPECT_EQ(parse_logged_model_path("GET", "m-1/tags", false).allow, "OPTIONS, PATCH");
  EXPECT_EQ(parse_logged_model_path("GET", "m-1/tags/k", false).allow, "DELETE, OPTIONS");
  EXPECT_EQ(parse_logged_model_path("GET", "m-1/params", false).allow, "OPTIONS, POST");
  EXPECT_EQ(parse_logged_model_path("POST", "m-1/artifacts/directories", false).allow, "GET, HEAD, OPTIONS");
  EXPECT_EQ(parse_logged_model_path("DELETE", "m-1/artifacts/files", true).outcome, Outcome::kMethodNotAllowed);
}

}  // namespace
}  // namespace mlflowcpp::server::http
