#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mlflowcpp::bench {

// One line of the result table, already formatted.
struct ReportRow {
  std::string measurement;
  std::string result;
  std::string target;     // "-" when the figure has no target
  std::string vs_target;  // factor of headroom: >= 1x means the target is met
  std::string verdict;    // "met", "MISSED", "ok", "FAILED" or "-"
  std::string reference;  // comparison with another figure of the same run or with official MLflow
  std::string server_cpu = "-";  // CPU the server used per unit of work, e.g. "55 us/call"
};

// Whether more or less of a figure is better decides how its target factor is computed.
enum class Better { kHigher, kLower };

// Builds the table rows from raw figures.
class Report {
 public:
  // A figure with an optional target; `reference` is free text for the last column.
  // Both return the new row so the caller can fill in its server CPU.
  ReportRow& add(const std::string& measurement, double value, const std::string& unit, Better better,
                 std::optional<double> target, const std::string& reference = "-");
  // A row whose value is already text (counts, notes).
  ReportRow& add_text(const std::string& measurement, const std::string& result, const std::string& reference = "-");

  // An aligned plain-text table, or a Markdown table when `markdown`.
  void print(std::ostream& out, bool markdown) const;
  // Measurements whose target was missed or that failed, e.g. "search-runs p50 (0.48x of target)".
  std::vector<std::string> missed_targets() const;

 private:
  std::vector<ReportRow> rows_;
};

// "12,345" for 12345.4; "0.42" for small values (two significant decimals).
std::string format_number(double value);
// "x.yz×" style factor, e.g. "31.7x".
std::string format_factor(double factor);

}  // namespace mlflowcpp::bench
