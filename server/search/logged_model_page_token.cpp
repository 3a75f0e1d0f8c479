// Page tokens of SearchLoggedModels: encode_logged_model_page_token and
// decode_logged_model_page_token.
#include "server/search/base64.hpp"
#include "server/search/logged_model_search.hpp"
#include "server/search/python_text.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mlflowcpp::server::search {
namespace {

using OrderedJson = nlohmann::ordered_json;

// No table holds more rows than this (2^53 - 1, the largest integer every JSON
// reader keeps exact).
constexpr uint64_t kLargestOffset = 9007199254740991;

OrderedJson optional_text(const std::optional<std::string>& text) {
  return text && !text->empty() ? OrderedJson(*text) : OrderedJson(nullptr);
}

// The parts of the search a token is tied to, as MLflow's handler hands them
// to its store: empty filter and order_by are None, empty dataset fields None.
OrderedJson experiment_ids_json(const LoggedModelSearchShape& search) { return OrderedJson(search.experiment_ids); }

OrderedJson filter_json(const LoggedModelSearchShape& search) {
  return search.filter.empty() ? OrderedJson(nullptr) : OrderedJson(search.filter);
}

OrderedJson order_by_json(const LoggedModelSearchShape& search) {
  if (search.order_by.empty()) return nullptr;
  OrderedJson terms = OrderedJson::array();
  for (const LoggedModelOrderBy& term : search.order_by) {
    OrderedJson json = OrderedJson::object();
    json["field_name"] = term.field_name;
    json["ascending"] = term.ascending;
    json["dataset_name"] = optional_text(term.dataset_name);
    json["dataset_digest"] = optional_text(term.dataset_digest);
    terms.push_back(std::move(json));
  }
  return terms;
}

// Python's truthiness, as MLflow reads the token (`token.get("order_by") or None`).
OrderedJson or_none(const OrderedJson& value) {
  const bool falsy = value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()) ||
                     ((value.is_array() || value.is_object()) && value.empty()) ||
                     (value.is_boolean() && !value.get<bool>());
  return falsy ? OrderedJson(nullptr) : value;
}

// Object equality regardless of key order, as Python's dict comparison.
bool same(const OrderedJson& a, const OrderedJson& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

[[noreturn]] void malformed(std::string_view token, std::string_view reason) {
  throw invalid_parameter(fmt::format("Invalid page token: {}. {}", token, reason));
}

}  // namespace

std::string encode_logged_model_page_token(const LoggedModelSearchShape& search, int64_t offset) {
  OrderedJson token = OrderedJson::object();
  token["experiment_ids"] = experiment_ids_json(search);
  token["filter_string"] = filter_json(search);
  token["order_by"] = order_by_json(search);
  token["offset"] = offset;
  return detail::base64_encode(detail::python_json_dumps(token));
}

int64_t decode_logged_model_page_token(std::string_view token, const LoggedModelSearchShape& search) {
  if (token.empty()) return 0;
  const std::optional<std::string> decoded = detail::base64_decode(token);
  if (!decoded) malformed(token, "It is not base64.");
  const OrderedJson parsed = OrderedJson::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) malformed(token, "It is not a JSON object.");

  int64_t offset = 0;
  const OrderedJson offset_json = or_none(parsed.value("offset", OrderedJson()));
  if (!offset_json.is_null()) {
    if (!offset_json.is_number_unsigned() || offset_json.get<uint64_t>() > kLargestOffset) {
      malformed(token, "Its offset is not a non-negative integer.");
    }
    offset = offset_json.get<int64_t>();
  }

  const OrderedJson expected_ids = experiment_ids_json(search);
  const OrderedJson found_ids = parsed.value("experiment_ids", OrderedJson());
  if (!same(found_ids, expected_ids)) {
    throw invalid_parameter(fmt::format(
        "Experiment IDs in the page token do not match the requested experiment IDs. Expected: {}. Found: {}",
        detail::python_repr(expected_ids), detail::python_repr(found_ids)));
  }
  const OrderedJson expected_filter = filter_json(search);
  const OrderedJson found_filter = or_none(parsed.value("filter_string", OrderedJson()));
  if (!same(found_filter, expected_filter)) {
    // MLflow formats the strings themselves here, not their repr.
    const auto text = [](const OrderedJson& value) {
      return value.is_string() ? value.get<std::string>() : detail::python_repr(value);
    };
    throw invalid_parameter(fmt::format(
        "Filter string in the page token does not match the requested filter string. Expected: {}. Found: {}",
        text(expected_filter), text(found_filter)));
  }
  const OrderedJson expected_order = order_by_json(search);
  const OrderedJson found_order = or_none(parsed.value("order_by", OrderedJson()));
  if (!same(found_order, expected_order)) {
    throw invalid_parameter(fmt::format(
        "Order by in the page token does not match the requested order by. Expected: {}. Found: {}",
        detail::python_repr(expected_order), detail::python_repr(found_order)));
  }
  return offset;
}

}  // namespace mlflowcpp::server::search
