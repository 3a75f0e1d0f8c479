#include "server/store/model_versions_tag.hpp"

#include "server/search/python_text.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace mlflowcpp::server::store {
namespace {

using OrderedJson = nlohmann::ordered_json;

// Python compares the entries as dicts: the same keys with equal values, in
// any order, and 3 == 3.0.
bool is_entry_for(const OrderedJson& entry, const std::string& name, int64_t version) {
  if (!entry.is_object() || entry.size() != 2) return false;
  const auto found_name = entry.find("name");
  const auto found_version = entry.find("version");
  if (found_name == entry.end() || found_version == entry.end()) return false;
  return found_name->is_string() && found_name->get_ref<const std::string&>() == name && found_version->is_number() &&
         *found_version == version;
}

}  // namespace

std::string model_versions_tag_with(const std::optional<std::string>& existing, const std::string& name,
                                    int64_t version) {
  OrderedJson entry = OrderedJson::object();
  entry["name"] = name;
  entry["version"] = version;
  OrderedJson versions = OrderedJson::array();
  if (existing && !existing->empty()) {
    versions = OrderedJson::parse(*existing, nullptr, /*allow_exceptions=*/false);
    if (!versions.is_array()) {
      throw invalid_parameter(fmt::format(
          "The logged model's '{}' tag holds '{}', not a JSON list of model versions: correct or delete the tag "
          "before registering the model.",
          kModelVersionsTagKey, *existing));
    }
  }
  const bool listed = std::any_of(versions.begin(), versions.end(),
                                  [&](const OrderedJson& each) { return is_entry_for(each, name, version); });
  if (!listed) versions.push_back(std::move(entry));
  return search::detail::python_json_dumps(versions);
}

}  // namespace mlflowcpp::server::store
