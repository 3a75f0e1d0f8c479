#include "testing/json_compare.hpp"

#include <vector>

namespace mlflowcpp::testing {

namespace {

using Json = nlohmann::json;

constexpr size_t kShownValueBytes = 300;

std::string shorten(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kShownValueBytes) text = text.substr(0, kShownValueBytes) + "...";
  return text;
}

bool numbers_equal(const Json& a, const Json& b) {
  if (a.is_number_float() || b.is_number_float()) return a.get<double>() == b.get<double>();
  if (a.is_number_unsigned() && b.is_number_unsigned()) return a.get<uint64_t>() == b.get<uint64_t>();
  // Mixed signed/unsigned: unsigned values above int64 max never equal a signed one.
  if (a.is_number_unsigned() && a.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
  if (b.is_number_unsigned() && b.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return false;
  return a.get<int64_t>() == b.get<int64_t>();
}

class Comparer {
 public:
  explicit Comparer(const JsonCompareRules& rules) : rules_(rules) {}

  std::optional<std::string> compare(const Json& expected, const Json& actual, const std::string& path,
                                     const std::string& key) const {
    if (rules_.opaque_string_keys.count(key) != 0) {
      bool both_present = expected.is_string() && actual.is_string() && !expected.get<std::string>().empty() &&
                          !actual.get<std::string>().empty();
      if (both_present) return std::nullopt;
      return path + ": expected an opaque non-empty string like " + shorten(expected) + ", got " + shorten(actual);
    }
    if (expected.is_number() && actual.is_number()) {
      if (numbers_equal(expected, actual)) return std::nullopt;
      return path + ": expected " + shorten(expected) + ", got " + shorten(actual);
    }
    if (expected.type() != actual.type()) {
      return path + ": expected " + shorten(expected) + " (" + expected.type_name() + "), got " + shorten(actual) +
             " (" + actual.type_name() + ")";
    }
    if (expected.is_object()) return compare_objects(expected, actual, path);
    if (expected.is_array()) {
      if (rules_.ordered_array_keys.count(key) != 0) return compare_ordered(expected, actual, path);
      return compare_unordered(expected, actual, path);
    }
    if (expected != actual) return path + ": expected " + shorten(expected) + ", got " + shorten(actual);
    return std::nullopt;
  }

 private:
  std::optional<std::string> compare_objects(const Json& expected, const Json& actual, const std::string& path) const {
    for (const auto& [name, value] : expected.items()) {
      if (!actual.contains(name)) return path + "/" + name + ": missing (expected " + shorten(value) + ")";
    }
    for (const auto& [name, value] : actual.items()) {
      if (!expected.contains(name)) return path + "/" + name + ": unexpected key (got " + shorten(value) + ")";
    }
    for (const auto& [name, value] : expected.items()) {
      if (auto difference = compare(value, actual.at(name), path + "/" + name, name)) return difference;
    }
    return std::nullopt;
  }

  std::optional<std::string> compare_ordered(const Json& expected, const Json& actual, const std::string& path) const {
    if (expected.size() != actual.size()) {
      return path + ": expected " + std::to_string(expected.size()) + " elements, got " +
             std::to_string(actual.size());
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (auto difference = compare(expected[i], actual[i], path + "/" + std::to_string(i), "")) return difference;
    }
    return std::nullopt;
  }

  std::optional<std::string> compare_unordered(const Json& expected, const Json& actual,
                                               const std::string& path) const {
    if (expected.size() != actual.size()) {
      return path + ": expected " + std::to_string(expected.size()) + " elements, got " +
             std::to_string(actual.size()) + " (" + shorten(actual) + ")";
    }
    std::vector<bool> used(actual.size(), false);
    for (size_t i = 0; i < expected.size(); ++i) {
      bool matched = false;
      for (size_t j = 0; j < actual.size() && !matched; ++j) {
        if (!used[j] && !compare(expected[i], actual[j], "", "")) {
          used[j] = true;
          matched = true;
        }
      }
      if (!matched) {
        std::string element_path = path + "/" + std::to_string(i);
        // Show how the element at the same position differs: usually the real cause.
        std::string hint;
        if (auto difference = compare(expected[i], actual[i], element_path, "")) hint = "; vs same index: " + *difference;
        return element_path + ": no element matches expected " + shorten(expected[i]) + hint;
      }
    }
    return std::nullopt;
  }

  const JsonCompareRules& rules_;
};

}  // namespace

std::optional<std::string> first_json_difference(const nlohmann::json& expected, const nlohmann::json& actual,
                                                 const JsonCompareRules& rules) {
  return Comparer(rules).compare(expected, actual, "", "");
}

}  // namespace mlflowcpp::testing
