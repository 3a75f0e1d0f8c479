#include "server/cli/option_values.hpp"

#include <fmt/format.h>

#include <exception>
#include <stdexcept>

namespace mlflowcpp::cli {

long parse_integer(const std::string& name, const std::string& text, long min, long max) {
  std::size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < min || value > max) {
    throw std::invalid_argument(fmt::format("{} must be an integer from {} to {}, got '{}'.", name, min, max, text));
  }
  return value;
}

}  // namespace mlflowcpp::cli
