#pragma once

// Values of the command line's flags, read the same way by every command.

#include <string>

namespace mlflowcpp::cli {

// `text` as a whole decimal integer in [min, max]; otherwise std::invalid_argument naming flag `name`.
long parse_integer(const std::string& name, const std::string& text, long min, long max);

}  // namespace mlflowcpp::cli
