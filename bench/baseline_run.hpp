#pragma once

// The shape the `--baseline-binary` benches share: the same questions go to a
// baseline build first (when one is given) and then to this build, in one run,
// and every answer must be the same byte for byte.

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace mlflowcpp::bench {

// `measure(binary)` times every question against a server started from
// `binary` ("" is this build's) and returns one Timing (with an `answer`) a
// question; `print(current, baseline)` writes the table (baseline empty
// without one). Returns main's exit code: 1 when an answer differs or a step
// throws (the error is printed after `program`).
template <typename Measure, typename Print>
int run_against_baseline(const char* program, const std::string& baseline_binary, Measure measure, Print print) {
  try {
    decltype(measure(std::string())) baseline;
    if (!baseline_binary.empty()) baseline = measure(baseline_binary);
    const auto current = measure(std::string());
    print(current, baseline);
    for (std::size_t i = 0; i < baseline.size(); ++i) {
      if (baseline[i].answer != current[i].answer) return 1;
    }
    return 0;
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << "\n";
    return 1;
  }
}

}  // namespace mlflowcpp::bench
