// The padded placeholder lists MySQL statements compare a column with: few
// distinct sizes (the statement cache stays small), chunks below MariaDB's
// conversion of long IN lists into subqueries.
#include "server/search/placeholder_list.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace mlflowcpp::server::search {
namespace {

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

TEST(PlaceholderList, SizesRoundUpToFewBuckets) {
  EXPECT_EQ(padded_list_size(0), 0u);
  EXPECT_EQ(padded_list_size(1), 1u);
  EXPECT_EQ(padded_list_size(2), 4u);
  EXPECT_EQ(padded_list_size(4), 4u);
  EXPECT_EQ(padded_list_size(5), 16u);
  EXPECT_EQ(padded_list_size(17), 64u);
  EXPECT_EQ(padded_list_size(65), 256u);
  EXPECT_EQ(padded_list_size(256), 256u);
  EXPECT_EQ(padded_list_size(257), 512u);
  EXPECT_EQ(padded_list_size(1000), 1024u);
}

TEST(PlaceholderList, ConditionHasOnePlaceholderPerSlotInChunks) {
  EXPECT_EQ(placeholder_in_condition("c", 1), "(c IN (?))");
  EXPECT_EQ(placeholder_in_condition("c", 4, true), "(c NOT IN (?, ?, ?, ?))");
  const std::string chunked = placeholder_in_condition("t.c", 512);
  EXPECT_EQ(count_of(chunked, "?"), 512u);
  EXPECT_EQ(count_of(chunked, "t.c IN ("), 2u);
  EXPECT_EQ(count_of(chunked, " OR "), 1u);
  EXPECT_EQ(count_of(placeholder_in_condition("c", 768, true), " AND "), 2u);
}

TEST(PlaceholderList, NoPlaceholdersDecidesInTheText) {
  EXPECT_EQ(placeholder_in_condition("c", 0), "0 = 1");
  EXPECT_EQ(placeholder_in_condition("c", 0, true), "1 = 1");
}

}  // namespace
}  // namespace mlflowcpp::server::search
