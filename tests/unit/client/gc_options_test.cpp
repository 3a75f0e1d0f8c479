// `mlflowcpp gc`'s arguments: MLflow's --older-than format, id lists, and where the defaults come from.

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "server/cli/gc_command.hpp"

namespace mlflowcpp::cli {
namespace {

EnvironmentLookup environment_of(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

TEST(GcOptionsTest, OlderThanTakesMlflowsFormat) {
  EXPECT_EQ(parse_older_than("30d"), 30LL * 86400 * 1000);
  EXPECT_EQ(parse_older_than("1d2h3m4s"), ((86400LL + 2 * 3600 + 3 * 60 + 4) * 1000));
  EXPECT_EQ(parse_older_than("1.5h"), 90LL * 60 * 1000);
  EXPECT_EQ(parse_older_than(".5s"), 500);
  EXPECT_EQ(parse_older_than("2m"), 120000);
  EXPECT_EQ(parse_older_than("0s"), 0);
  for (const char* bad : {"", "30", "30x", "1h2d", "1..2d", "d", "-1d", "1 d", "1e3s", "99999999999999d"}) {
    EXPECT_THROW(parse_older_than(bad), std::invalid_argument) << bad;
  }
}

TEST(GcOptionsTest, DefaultsComeFromTheEnvironmentAsTheServersDo) {
  const GcOptions plain = parse_gc_options({}, environment_of({}));
  EXPECT_EQ(plain.backend_store_uri, "sqlite:///mlflow.db");
  EXPECT_FALSE(plain.tracking_uri);
  EXPECT_FALSE(plain.older_than_ms);
  EXPECT_EQ(plain.artifacts_destination.back(), 's');  // <cwd>/mlartifacts, absolute
  EXPECT_EQ(plain.artifacts_destination.front(), '/');

  const GcOptions from_server =
      parse_gc_options({}, environment_of({{"MLFLOW_BACKEND_STORE_URI", "postgresql://u@h/db"},
                                           {"MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"},
                                           {"MLFLOW_ARTIFACTS_DESTINATION", "s3://bucket/prefix"}}));
  EXPECT_EQ(from_server.backend_store_uri, "postgresql://u@h/db");
  EXPECT_EQ(from_server.tracking_uri, "http://127.0.0.1:5000");
  EXPECT_EQ(from_server.artifacts_destination, "s3://bucket/prefix");

  // A database tracking URI names the store, and no proxy.
  const GcOptions database = parse_gc_options({}, environment_of({{"MLFLOW_TRACKING_URI", "sqlite:///t.db"}}));
  EXPECT_EQ(database.backend_store_uri, "sqlite:///t.db");
  EXPECT_FALSE(database.tracking_uri);

  const GcOptions flags = parse_gc_options(
      {"--backend-store-uri=sqlite:///x.db", "--run-ids", "a, b,a", "--experiment-ids", "1,2", "--older-than", "1d"},
      environment_of({{"MLFLOW_BACKEND_STORE_URI", "sqlite:///env.db"}}));
  EXPECT_EQ(flags.backend_store_uri, "sqlite:///x.db");
  EXPECT_EQ(flags.run_ids, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(flags.experiment_ids, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(flags.older_than_ms, 86400000);
  EXPECT_EQ(flags.older_than_text, "1d");
}

TEST(GcOptionsTest, MalformedArgumentsAreRefused) {
  const auto refused = [](std::vector<std::string> arguments) {
    EXPECT_THROW(parse_gc_options(arguments, environment_of({})), std::invalid_argument);
  };
  refused({"--run-ids"});
  refused({"--run-ids", ""});
  refused({"--run-ids", "a,"});
  refused({"--experiment-ids", "1", "--experiment-ids", "2"});
  refused({"--tracking-uri", "file:///x"});
  refused({"--older-than", "soon"});
  refused({"--dry-run"});
  refused({"positional"});
  EXPECT_TRUE(parse_gc_options({"--help"}, environment_of({})).help);
}

}  // namespace
}  // namespace mlflowcpp::cli
