// experiments/search's answer written as text must be the bytes the DOM gives.
#include "protocol/experiments_response.hpp"
#include "protocol/json_codec.hpp"
#include "protocol/json_lists.hpp"
#include "protocol/json_string.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace mlflowcpp::protocol {
namespace {

std::string written(const std::string& value) {
  std::string out;
  append_json_string(out, value);
  return out;
}

std::string dom_answer(const std::vector<Experiment>& experiments, const std::string& token) {
  Json body = Json::object();
  put_list(body, "experiments", experiments);
  if (!token.empty()) body["next_page_token"] = token;
  return dump(body);
}

TEST(JsonString, EveryByteAloneAndAmidTextAsDump) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string alone(1, static_cast<char>(byte));
    EXPECT_EQ(written(alone), dump(Json(alone))) << byte;
    const std::string amid = "ab" + alone + "cd";
    EXPECT_EQ(written(amid), dump(Json(amid))) << byte;
  }
}

TEST(JsonString, Utf8BoundariesAsDump) {
  const std::vector<std::string> samples = {
      "caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBF",
      // Not well-formed: overlong, surrogate, above U+10FFFF, truncated, stray continuation.
      "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF0\x80\x80\x80", "\xE2\x82", "a\x80z",
      "\xC3", "\xF5\x80\x80\x80", "ok \xC3\xA9 then \xFF bad"};
  for (const auto& sample : samples) EXPECT_EQ(written(sample), dump(Json(sample))) << sample;
}

TEST(JsonString, RandomBytesAsDump) {
  std::mt19937 generator(20261207);
  std::uniform_int_distribution<int> length_of(0, 12);
  // Mostly bytes around the interesting ranges: controls, quotes, UTF-8 leads and continuations.
  const std::string alphabet = std::string("\x00\x01\x1f \"\\/az\x7f", 11) + "\x80\x8f\x90\x9f\xa0\xbf\xc2\xdf\xe0\xed" +
                               "\xef\xf0\xf4\xf5\xff";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int sample = 0; sample < 50000; ++sample) {
    std::string value;
    const int length = length_of(generator);
    for (int i = 0; i < length; ++i) value += alphabet[pick(generator)];
    ASSERT_EQ(written(value), dump(Json(value))) << sample;
  }
}

TEST(ExperimentsResponse, SameBytesAsTheDom) {
  std::vector<Experiment> experiments;
  for (int i = 0; i < 5; ++i) {
    Experiment experiment;
    experiment.experiment_id = std::to_string(i * 7);
    experiment.name = i == 3 ? "na\"me \xC3\xA9\n" : "experiment-" + std::to_string(i);
    experiment.artifact_location = i == 4 ? "" : "file:///tmp/mlruns/" + std::to_string(i);
    experiment.lifecycle_stage = i % 2 == 0 ? LifecycleStage::kActive : LifecycleStage::kDeleted;
    experiment.creation_time = i == 2 ? 0 : 1700000000000LL + i;
    experiment.last_update_time = i == 1 ? -5 : 1700000000123LL * i;
    for (int t = 0; t < i; ++t) {
      experiment.tags.push_back({"key" + std::to_string(t), t == 1 ? "bad \xFF byte" : "value\t" + std::to_string(t)});
    }
    experiments.push_back(experiment);
  }
  for (const std::string token : {"", "eyJvZmZzZXQiOiAxMDB9"}) {
    EXPECT_EQ(experiments_response(experiments, token).text, dom_answer(experiments, token));
    EXPECT_EQ(experiments_response({}, token).text, dom_answer({}, token));
    EXPECT_EQ(experiments_response({experiments[0]}, token).text, dom_answer({experiments[0]}, token));
  }
}

}  // namespace
}  // namespace mlflowcpp::protocol
