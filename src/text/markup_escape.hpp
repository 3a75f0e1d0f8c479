#pragma once

// Text made safe inside HTML or XML character data and quoted attributes:
// & < > " ' become entity or character references (&#39; is valid in both).

#include <string>
#include <string_view>

namespace mlflowcpp::text {

inline std::string escape_markup(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace mlflowcpp::text
