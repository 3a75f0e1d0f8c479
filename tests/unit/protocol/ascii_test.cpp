// ASCII case helpers shared by the library and the server.

#include "text/ascii.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mlflowcpp {
namespace {

TEST(AsciiCase, LowersOnlyAsciiLetters) {
  EXPECT_EQ(to_lower_ascii("Content-Length: 12"), "content-length: 12");
  EXPECT_EQ(to_lower_ascii(""), "");
  EXPECT_EQ(to_lower_ascii("S3://Bucket/@[`{"), "s3://bucket/@[`{");
  // UTF-8 bytes stay as they are: "É" is not ASCII.
  EXPECT_EQ(to_lower_ascii("\xC3\x89T\xC3\xA9"), "\xC3\x89t\xC3\xA9");
  static_assert(to_lower_ascii('Z') == 'z' && to_lower_ascii('a') == 'a' && to_lower_ascii('@') == '@');
}

TEST(AsciiCase, EqualsIgnoringCase) {
  EXPECT_TRUE(equals_ignoring_case("Staging", "STAGING"));
  EXPECT_TRUE(equals_ignoring_case("", ""));
  EXPECT_FALSE(equals_ignoring_case("Staging", "Stagin"));
  EXPECT_FALSE(equals_ignoring_case("latest", "lat3st"));
  EXPECT_FALSE(equals_ignoring_case("\xC3\x89", "\xC3\xA9"));  // É and é differ outside ASCII
  static_assert(equals_ignoring_case("MODELS:", "models:"));
}

TEST(AsciiCase, StartsWithIgnoringCase) {
  EXPECT_TRUE(starts_with_ignoring_case("Models:/m/1", "models:"));
  EXPECT_TRUE(starts_with_ignoring_case("anything", ""));
  EXPECT_FALSE(starts_with_ignoring_case("model", "models:"));
  EXPECT_FALSE(starts_with_ignoring_case("runs:/x", "models:"));
}

}  // namespace
}  // namespace mlflowcpp
