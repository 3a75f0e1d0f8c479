// The route table on its own: exact paths, prefixes (longest first), HEAD for
// GET, the methods a path allows, and body caps taken from the server default.

#include "server/http/router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mlflowcpp::server::http {
namespace {

Route route_of(std::vector<std::string> methods, std::string pattern, PathMatch match = PathMatch::kExact) {
  Route route;
  route.methods = std::move(methods);
  route.pattern = std::move(pattern);
  route.match = match;
  route.handler = [](Request&, Reply&) {};
  return route;
}

TEST(Router, ExactRoutesMatchWholePathsOnly) {
  Router router("", 1024);
  router.add(route_of({"POST"}, "/api/2.0/mlflow/runs/create"));
  const std::string path = "/api/2.0/mlflow/runs/create";
  const RouteMatch found = router.match("POST", path);
  ASSERT_NE(found.route, nullptr);
  EXPECT_EQ(found.route->pattern, path);
  EXPECT_TRUE(found.remainder.empty());
  const std::string longer = path + "/x";
  EXPECT_EQ(router.match("POST", longer).route, nullptr);
  EXPECT_FALSE(router.match("POST", longer).path_known);
}

TEST(Router, PrefixRoutesGiveTheRemainderAndTheLongestPrefixWins) {
  Router router("", 1024);
  router.add(route_of({"GET"}, "/files/", PathMatch::kPrefix));
  router.add(route_of({"GET"}, "/files/special/", PathMatch::kPrefix));
  router.add(route_of({"GET"}, "/files/exact"));
  const std::string general = "/files/a/b.txt";
  RouteMatch found = router.match("GET", general);
  ASSERT_NE(found.route, nullptr);
  EXPECT_EQ(found.route->pattern, "/files/");
  EXPECT_EQ(found.remainder, "a/b.txt");
  const std::string special = "/files/special/c.txt";
  found = router.match("GET", special);
  ASSERT_NE(found.route, nullptr);
  EXPECT_EQ(found.route->pattern, "/files/special/");
  EXPECT_EQ(found.remainder, "c.txt");
  // An exact route beats any prefix; a prefix needs something after it.
  const std::string exact = "/files/exact";
  EXPECT_EQ(router.match("GET", exact).route->pattern, "/files/exact");
  const std::string bare = "/files/";
  EXPECT_FALSE(router.match("GET", bare).path_known);
}

TEST(Router, HeadTakesGetAndOtherMethodsListTheAllowedOnes) {
  Router router("", 1024);
  router.add(route_of({"GET", "POST"}, "/both"));
  router.add(route_of({"GET", "PUT", "DELETE"}, "/files/", PathMatch::kPrefix));
  const std::string both = "/both";
  EXPECT_NE(router.match("HEAD", both).route, nullptr);
  const RouteMatch wrong = router.match("DELETE", both);
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_TRUE(wrong.path_known);
  EXPECT_EQ(wrong.allow, "GET, HEAD, OPTIONS, POST");
  const std::string file = "/files/x";
  const RouteMatch on_prefix = router.match("POST", file);
  EXPECT_TRUE(on_prefix.path_known);
  EXPECT_EQ(on_prefix.allow, "DELETE, GET, HEAD, OPTIONS, PUT");
}

TEST(Router, BodyCapsDefaultByHowTheBodyArrives) {
  Router router("/prefix", 4096);
  EXPECT_EQ(router.static_prefix(), "/prefix");
  router.add(route_of({"POST"}, "/json"));
  Route upload = route_of({"PUT"}, "/upload/", PathMatch::kPrefix);
  upload.body = BodyHandling::kStreamed;
  router.add(upload);
  Route capped = route_of({"PUT"}, "/capped/", PathMatch::kPrefix);
  capped.body = BodyHandling::kStreamed;
  capped.max_body_bytes = 10;
  router.add(capped);
  const std::string json = "/json", streamed = "/upload/f", limited = "/capped/f";
  EXPECT_EQ(router.match("POST", json).route->max_body_bytes, 4096u);
  EXPECT_EQ(router.match("PUT", streamed).route->max_body_bytes, 0u);
  EXPECT_EQ(router.match("PUT", limited).route->max_body_bytes, 10u);
}

}  // namespace
}  // namespace mlflowcpp::server::http
