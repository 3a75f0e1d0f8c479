// The mlflow.modelVersions tag of a logged model: written as Python's
// json.dumps writes it, appended to, and refused when unreadable.

#include "server/store/model_versions_tag.hpp"

#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace mlflowcpp::server::store {
namespace {

TEST(ModelVersionsTag, StartsAListWhenAbsentOrEmpty) {
  EXPECT_EQ(model_versions_tag_with(std::nullopt, "fixture3-classifier", 3),
            R"([{"name": "fixture3-classifier", "version": 3}])");
  EXPECT_EQ(model_versions_tag_with(std::string(), "m", 1), R"([{"name": "m", "version": 1}])");
}

TEST(ModelVersionsTag, AppendsUnlessTheEntryIsThere) {
  const std::string one = R"([{"name": "m", "version": 1}])";
  EXPECT_EQ(model_versions_tag_with(one, "m", 2), R"([{"name": "m", "version": 1}, {"name": "m", "version": 2}])");
  EXPECT_EQ(model_versions_tag_with(one, "other", 1),
            R"([{"name": "m", "version": 1}, {"name": "other", "version": 1}])");
  EXPECT_EQ(model_versions_tag_with(one, "m", 1), one);
  // Python compares dicts: key order and 1 == 1.0 do not matter, "1" != 1 does.
  EXPECT_EQ(model_versions_tag_with(R"([{"version": 1.0, "name": "m"}])", "m", 1),
            R"([{"version": 1.0, "name": "m"}])");
  EXPECT_EQ(model_versions_tag_with(R"([{"name": "m", "version": "1"}])", "m", 1),
            R"([{"name": "m", "version": "1"}, {"name": "m", "version": 1}])");
}

TEST(ModelVersionsTag, RewritesExistingEntriesAsPythonDoes) {
  EXPECT_EQ(model_versions_tag_with(R"([{"name":"caf\u00e9","version":1,"extra":[true,null]}])", "m", 2),
            R"([{"name": "caf\u00e9", "version": 1, "extra": [true, null]}, {"name": "m", "version": 2}])");
  EXPECT_EQ(model_versions_tag_with(std::nullopt, "модель", 1),
            R"([{"name": "\u043c\u043e\u0434\u0435\u043b\u044c", "version": 1}])");
}

TEST(ModelVersionsTag, RefusesAValueThatIsNotAList) {
  for (const std::string value : {"not json", "{\"name\": \"m\", \"version\": 1}", "\"text\"", "[1,"}) {
    EXPECT_MLFLOW_ERROR(model_versions_tag_with(value, "m", 1), "INVALID_PARAMETER_VALUE");
  }
}

}  // namespace
}  // namespace mlflowcpp::server::store
