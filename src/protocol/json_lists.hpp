#pragma once

// Lists of model objects in their JSON form. Include this after the headers
// that declare the to_json overloads in use (json_codec.hpp, registry_json.hpp):
// the element types live in namespace mlflowcpp, not protocol, so the call
// below finds only the overloads declared before this point.

#include "protocol/json_codec.hpp"

#include <vector>

namespace mlflowcpp::protocol {

template <typename T>
Json list_to_json(const std::vector<T>& items) {
  Json list = Json::array();
  for (const auto& item : items) list.push_back(to_json(item));
  return list;
}

// Repeated fields are left out when empty, as the official server does.
template <typename T>
void put_list(Json& object, const char* name, const std::vector<T>& items) {
  if (!items.empty()) object[name] = list_to_json(items);
}

}  // namespace mlflowcpp::protocol
