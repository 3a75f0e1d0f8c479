#include "server/cli/sync_command.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mlflowcpp::cli {
namespace {

TEST(SyncCommandArguments, TheFullForm) {
  auto options = parse_sync_options({"--from", "http://a:5000", "--to=http://b:5000", "--experiment", "train",
                                     "--experiment=eval", "--dry-run", "--parallel", "8", "--to-token", "t"});
  EXPECT_EQ(options.from_uri, "http://a:5000");
  EXPECT_EQ(options.to_uri, "http://b:5000");
  EXPECT_EQ(options.experiments, (std::vector<std::string>{"train", "eval"}));
  EXPECT_TRUE(options.dry_run);
  EXPECT_EQ(options.parallel, 8);
  EXPECT_FALSE(options.from_token);
  EXPECT_EQ(options.to_token, "t");
}

TEST(SyncCommandArguments, Defaults) {
  auto options = parse_sync_options({"--from", "http://a", "--to", "http://b"});
  EXPECT_TRUE(options.experiments.empty());
  EXPECT_FALSE(options.dry_run);
  EXPECT_EQ(options.parallel, 4);
}

TEST(SyncCommandArguments, HelpNeedsNothingElse) { EXPECT_TRUE(parse_sync_options({"--help"}).help); }

TEST(SyncCommandArguments, MistakesAreRefusedWithAMessage) {
  const std::vector<std::vector<std::string>> wrong{
      {},
      {"--from", "http://a"},
      {"--to", "http://b"},
      {"--from", "http://a", "--to"},
      {"--from", "http://a", "--to", "http://b", "--parallel", "0"},
      {"--from", "http://a", "--to", "http://b", "--parallel", "65"},
      {"--from", "http://a", "--to", "http://b", "--parallel", "4x"},
      {"--from", "http://a", "--to", "http://b", "--parallel="},
      {"--from", "http://a", "--to", "http://b", "--experiment="},
      {"--from", "http://a", "--to", "http://b", "--bogus"},
      {"--from", "http://a", "--to", "http://b", "extra"},
      {"--from", "http://u:p@a/", "--to", "http://a"},
  };
  for (const auto& arguments : wrong) {
    EXPECT_THROW(parse_sync_options(arguments), std::invalid_argument) << ::testing::PrintToString(arguments);
  }
}

TEST(SyncCommandArguments, BadArgumentsExitWithTwo) {
  EXPECT_EQ(run_sync_command({"--from", "http://a"}), 2);
  EXPECT_EQ(run_sync_command({"--from", "ftp://a", "--to", "http://b"}), 2);  // no client for that scheme
}

}  // namespace
}  // namespace mlflowcpp::cli
