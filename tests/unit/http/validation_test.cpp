// The service layer's validation rules, without a store or HTTP.

#include "server/service/validation.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <string>

namespace mlflowcpp::server::validation {
namespace {

// n code points, each two bytes in UTF-8, to tell code points from bytes.
std::string two_byte_chars(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; i < n; ++i) text += "\xC3\xA9";  // é
  return text;
}

TEST(CodePoints, CountsCodePointsNotBytes) {
  EXPECT_EQ(code_point_count(""), 0u);
  EXPECT_EQ(code_point_count("abc"), 3u);
  EXPECT_EQ(code_point_count(two_byte_chars(4)), 4u);
  EXPECT_EQ(code_point_count("\xE2\x82\xAC"), 1u);      // €
  EXPECT_EQ(code_point_count("\xF0\x9F\x98\x80"), 1u);  // an emoji
  EXPECT_EQ(code_point_count("\xFF\xFE"), 2u);          // invalid bytes count one each
}

TEST(PosixNormpath, MatchesPython) {
  EXPECT_EQ(posix_normpath(""), ".");
  EXPECT_EQ(posix_normpath("a/b"), "a/b");
  EXPECT_EQ(posix_normpath("a//b"), "a/b");
  EXPECT_EQ(posix_normpath("a/./b"), "a/b");
  EXPECT_EQ(posix_normpath("a/b/"), "a/b");
  EXPECT_EQ(posix_normpath("a/../b"), "b");
  EXPECT_EQ(posix_normpath("../a"), "../a");
  EXPECT_EQ(posix_normpath("/a"), "/a");
  EXPECT_EQ(posix_normpath("//a"), "//a");
  EXPECT_EQ(posix_normpath("///a"), "/a");
  EXPECT_EQ(posix_normpath("/.."), "/");
}

TEST(KeyRules, AcceptsMlflowCharset) {
  EXPECT_NO_THROW(validate_metric_name("loss"));
  EXPECT_NO_THROW(validate_metric_name("train/loss-1.5 x:y_z"));
  EXPECT_NO_THROW(validate_param_name("l\xC3\xA9gende"));  // a non-ASCII letter
  EXPECT_NO_THROW(validate_tag_name("mlflow.runName"));
}

TEST(KeyRules, RejectsBadCharactersAndUnsafePaths) {
  EXPECT_INVALID(validate_metric_name("a!b"));
  EXPECT_INVALID(validate_metric_name("a\\b"));
  EXPECT_INVALID(validate_param_name("x\ny"));
  EXPECT_INVALID(validate_tag_name(""));
  EXPECT_INVALID(validate_tag_name("a//b"));
  EXPECT_INVALID(validate_tag_name("a/./b"));
  EXPECT_INVALID(validate_tag_name("a/"));
  EXPECT_INVALID(validate_tag_name("/a"));
  EXPECT_INVALID(validate_tag_name(".."));
  EXPECT_INVALID(validate_tag_name("../a"));
  EXPECT_INVALID(validate_tag_name("."));
  EXPECT_INVALID(validate_metric_name("bad\xFF"));
}

TEST(LengthLimits, KeysUpTo250) {
  EXPECT_NO_THROW(validate_param({std::string(250, 'k'), "v"}));
  EXPECT_INVALID(validate_param({std::string(251, 'k'), "v"}));
  EXPECT_NO_THROW(validate_tag({std::string(250, 'k'), "v"}));
  EXPECT_INVALID(validate_tag({std::string(251, 'k'), "v"}));
  EXPECT_NO_THROW(validate_metric({std::string(250, 'k'), 1.0, 0, 0}));
  EXPECT_INVALID(validate_metric({std::string(251, 'k'), 1.0, 0, 0}));
  EXPECT_NO_THROW(validate_experiment_tag({std::string(250, 'k'), "v"}));
  EXPECT_INVALID(validate_experiment_tag({std::string(251, 'k'), "v"}));
}

TEST(LengthLimits, ParamValuesUpTo6000CodePoints) {
  EXPECT_NO_THROW(validate_param({"p", std::string(6000, 'v')}));
  EXPECT_INVALID(validate_param({"p", std::string(6001, 'v')}));
  // 6000 code points are 12000 bytes here: still fine.
  EXPECT_NO_THROW(validate_param({"p", two_byte_chars(6000)}));
  EXPECT_INVALID(validate_param({"p", two_byte_chars(6001)}));
}

TEST(LengthLimits, TagValuesUpTo5000CodePoints) {
  EXPECT_NO_THROW(validate_tag({"t", std::string(5000, 'v')}));
  EXPECT_INVALID(validate_tag({"t", std::string(5001, 'v')}));
  EXPECT_NO_THROW(validate_tag({"t", two_byte_chars(5000)}));
  EXPECT_INVALID(validate_tag({"t", two_byte_chars(5001)}));
  EXPECT_NO_THROW(validate_experiment_tag({"t", std::string(5000, 'v')}));
  EXPECT_INVALID(validate_experiment_tag({"t", std::string(5001, 'v')}));
}

TEST(LengthLimits, RunNameTagIsBoundByTheRunNameColumn) {
  EXPECT_NO_THROW(validate_tag({"mlflow.runName", std::string(250, 'n')}));
  EXPECT_INVALID(validate_tag({"mlflow.runName", std::string(251, 'n')}));
  EXPECT_NO_THROW(validate_run_name(std::string(250, 'n')));
  EXPECT_INVALID(validate_run_name(std::string(251, 'n')));
  EXPECT_NO_THROW(validate_user_id(std::string(256, 'u')));
  EXPECT_INVALID(validate_user_id(std::string(257, 'u')));
}

TEST(MetricRules, TimestampMustBeNonNegative) {
  EXPECT_NO_THROW(validate_metric({"m", 1.0, 0, -5}));
  EXPECT_INVALID(validate_metric({"m", 1.0, -1, 0}));
}

TEST(BatchRules, Caps) {
  const auto metrics = [](std::size_t n) { return std::vector<Metric>(n, Metric{"m", 1.0, 1, 0}); };
  const auto params = [](std::size_t n) {
    std::vector<Param> items;
    for (std::size_t i = 0; i < n; ++i) items.push_back({"p" + std::to_string(i), "v"});
    return items;
  };
  const auto tags = [](std::size_t n) { return std::vector<RunTag>(n, RunTag{"t", "v"}); };
  EXPECT_NO_THROW(validate_batch(metrics(1000), {}, {}));
  EXPECT_INVALID(validate_batch(metrics(1001), {}, {}));
  EXPECT_NO_THROW(validate_batch({}, params(100), {}));
  EXPECT_INVALID(validate_batch({}, params(101), {}));
  EXPECT_NO_THROW(validate_batch({}, {}, tags(100)));
  EXPECT_INVALID(validate_batch({}, {}, tags(101)));
  EXPECT_NO_THROW(validate_batch(metrics(800), params(100), tags(100)));
  EXPECT_INVALID(validate_batch(metrics(801), params(100), tags(100)));
}

TEST(BatchRules, DuplicateParamKeys) {
  EXPECT_INVALID(validate_batch({}, {{"a", "1"}, {"a", "1"}}, {}));
  EXPECT_NO_THROW(validate_batch({}, {{"a", "1"}, {"b", "1"}}, {{"t", "1"}, {"t", "2"}}));
}

TEST(ExperimentRules, NameAndArtifactLocation) {
  EXPECT_INVALID(validate_experiment_name(""));
  EXPECT_NO_THROW(validate_experiment_name(std::string(256, 'e')));
  EXPECT_INVALID(validate_experiment_name(std::string(257, 'e')));
  EXPECT_INVALID(validate_artifact_location("runs:/abc/x"));
  EXPECT_NO_THROW(validate_artifact_location("s3://bucket/x"));
  EXPECT_NO_THROW(validate_artifact_location(std::string(256, 'a')));
  EXPECT_INVALID(validate_artifact_location(std::string(257, 'a')));
}

TEST(DatasetRules, RequiredFieldsAndLimits) {
  DatasetInput input;
  input.dataset = {"ds", "abc", "local", "{}", std::nullopt, std::nullopt};
  EXPECT_NO_THROW(validate_dataset_inputs({input}));
  DatasetInput long_name = input;
  long_name.dataset.name = std::string(501, 'n');
  EXPECT_INVALID(validate_dataset_inputs({long_name}));
  DatasetInput long_digest = input;
  long_digest.dataset.digest = std::string(37, 'd');
  EXPECT_INVALID(validate_dataset_inputs({long_digest}));
  DatasetInput no_name = input;
  no_name.dataset.name.clear();
  EXPECT_INVALID(validate_dataset_inputs({no_name}));
  DatasetInput long_tag = input;
  long_tag.tags.push_back({"mlflow.data.context", std::string(501, 'v')});
  EXPECT_INVALID(validate_dataset_inputs({long_tag}));
  long_tag.tags.back().value = std::string(500, 'v');
  EXPECT_NO_THROW(validate_dataset_inputs({long_tag}));
}

}  // namespace
}  // namespace mlflowcpp::server::validation
