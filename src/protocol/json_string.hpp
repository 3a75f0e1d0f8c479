#pragma once

// A JSON string written straight into a response buffer, byte for byte as
// protocol::dump writes it: the short escapes (\" \\ \b \f \n \r \t), other
// control characters as \u00xx, UTF-8 kept as it is. Text that is not valid
// UTF-8 goes through protocol::dump, which replaces the bad bytes.

#include <string>
#include <string_view>

namespace mlflowcpp::protocol {

void append_json_string(std::string& out, std::string_view value);

}  // namespace mlflowcpp::protocol
