#pragma once

// Numbers of a JSON answer written straight into a character buffer, for the
// answers that carry many of them (metric series). A double is written as
// Python's repr writes it, and so the official server: the shortest decimal
// that reads back as the same double, "1.0" rather than "1", exponent form
// below 1e-4 and from 1e16 on ("1e-05", "1.5e+16"), and NaN/±Infinity as the
// strings "NaN", "Infinity", "-Infinity" (double_to_json's spelling).

#include <cstddef>
#include <cstdint>
#include <string>

namespace mlflowcpp::protocol {

// Room that one write_json_double or write_json_int64 needs at most.
inline constexpr std::size_t kMaxJsonNumberChars = 32;

// Each writes at `out`, which must have kMaxJsonNumberChars bytes of room, and
// returns the end of what it wrote.
char* write_json_double(char* out, double value);
char* write_json_int64(char* out, std::int64_t value);

void append_json_double(std::string& out, double value);

}  // namespace mlflowcpp::protocol
