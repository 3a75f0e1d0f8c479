#include "testing/recorded_answers.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace mlflowcpp::testing {

namespace {

// Sets every number under one of `keys` to 0, at any depth.
void blank_numbers(Json& value, const std::set<std::string>& keys) {
  if (value.is_object()) {
    for (auto& [key, member] : value.items()) {
      if (keys.count(key) != 0 && member.is_number()) {
        member = 0;
      } else {
        blank_numbers(member, keys);
      }
    }
  } else if (value.is_array()) {
    for (auto& element : value) blank_numbers(element, keys);
  }
}

Json read_recorded_calls(const std::string& answers_file) {
  const auto file = std::filesystem::path(MLFLOWCPP_FIXTURES_DIR) / answers_file;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  return Json::parse(in).at("calls");
}

}  // namespace

const Json& recorded_calls() {
  static const Json calls = read_recorded_calls("mlflow-2.9.2-sample.answers.json");
  return calls;
}

const Json& mlflow3_recorded_calls() {
  static const Json calls = read_recorded_calls("mlflow-3-sample.answers.json");
  return calls;
}

std::string recorded_call_name(std::size_t index) {
  std::string path = recorded_calls().at(index).at("path");
  path = path.substr(0, path.find('?'));
  const std::string prefix = "/api/2.0/mlflow/";
  if (path.rfind(prefix, 0) == 0) path = path.substr(prefix.size());
  std::string name = (index < 10 ? "0" : "") + std::to_string(index) + "_";
  for (char c : path) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

JsonCompareRules recorded_answer_rules(const std::string& path) {
  JsonCompareRules rules;
  rules.ordered_array_keys = {"runs", "experiments", "registered_models"};
  // model-versions/search orders by name, then version DESC; get-latest-versions has no order.
  if (path.find("/model-versions/search") != std::string::npos) rules.ordered_array_keys.insert("model_versions");
  rules.opaque_string_keys = {"next_page_token"};
  return rules;
}

HttpResponse send_recorded_call(HttpClient& http, const Json& call) {
  const std::string method = call.at("method");
  const std::string path = call.at("path");
  return method == "GET" ? http.get(path) : http.post(path, call["body"]);
}

std::optional<std::string> recorded_answer_difference(const Json& call, const HttpResponse& response,
                                                      const std::set<std::string>& wall_clock_keys) {
  const int expected_status = call.at("status");
  Json expected = call.at("response");
  if (response.status != expected_status) {
    return "status " + std::to_string(response.status) + " instead of " + std::to_string(expected_status) + ": " +
           response.describe();
  }
  if (!response.json.is_object()) return "not a JSON object: " + response.describe();
  if (expected_status != 200) {
    // Error messages need not match word for word; the code must.
    const std::string code = expected.value("error_code", "");
    if (response.error_code() == code) return std::nullopt;
    return "error_code " + response.error_code() + " instead of " + code + ": " + response.describe();
  }
  Json actual = response.json;
  blank_numbers(expected, wall_clock_keys);
  blank_numbers(actual, wall_clock_keys);
  const auto difference = first_json_difference(expected, actual, recorded_answer_rules(call.at("path")));
  if (!difference) return std::nullopt;
  return "first difference at " + *difference + "\nexpected: " + expected.dump() + "\ngot:      " + actual.dump();
}

}  // namespace mlflowcpp::testing
