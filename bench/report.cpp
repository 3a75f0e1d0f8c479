#include "report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace mlflowcpp::bench {

std::string format_number(double value) {
  if (std::fabs(value) < 100) return fmt::format("{:.{}f}", value, std::fabs(value) < 10 ? 2 : 1);
  const auto rounded = static_cast<long long>(std::llround(value));
  std::string digits = std::to_string(rounded < 0 ? -rounded : rounded);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return rounded < 0 ? "-" + grouped : grouped;
}

std::string format_factor(double factor) {
  return fmt::format(factor >= 10 ? "{:.0f}x" : "{:.2f}x", factor);
}

ReportRow& Report::add(const std::string& measurement, double value, const std::string& unit, Better better,
                 std::optional<double> target, const std::string& reference) {
  ReportRow row{measurement, format_number(value) + " " + unit, "-", "-", "-", reference};
  if (target) {
    row.target = fmt::format("{} {} {}", better == Better::kHigher ? ">=" : "<", format_number(*target), unit);
    const double headroom = better == Better::kHigher ? value / *target : (value > 0 ? *target / value : 1e9);
    row.vs_target = format_factor(headroom);
    const bool met = better == Better::kHigher ? value >= *target : value < *target;
    row.verdict = met ? "met" : "MISSED";
  }
  rows_.push_back(std::move(row));
  return rows_.back();
}

ReportRow& Report::add_text(const std::string& measurement, const std::string& result,
                            const std::string& reference) {
  rows_.push_back(ReportRow{measurement, result, "-", "-", "-", reference});
  return rows_.back();
}

std::vector<std::string> Report::missed_targets() const {
  std::vector<std::string> missed;
  for (const auto& row : rows_) {
    if (row.verdict == "MISSED") missed.push_back(row.measurement + " (" + row.vs_target + " of target)");
    if (row.verdict == "FAILED") missed.push_back(row.measurement + ": " + row.result);
  }
  return missed;
}

void Report::print(std::ostream& out, bool markdown) const {
  using Cells = std::array<std::string, 7>;
  const Cells header = {"Measurement", "Result", "Target", "vs target", "Verdict", "Server CPU", "Reference"};
  auto cells_of = [](const ReportRow& row) {
    return Cells{row.measurement, row.result, row.target, row.vs_target, row.verdict, row.server_cpu,
                 row.reference};
  };
  if (markdown) {
    out << "| " << fmt::format("{}", fmt::join(header, " | ")) << " |\n";
    out << "|---|--:|--:|--:|---|--:|---|\n";
    for (const auto& row : rows_) out << "| " << fmt::format("{}", fmt::join(cells_of(row), " | ")) << " |\n";
    return;
  }
  std::array<std::size_t, 7> widths{};
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows_) {
    const auto cells = cells_of(row);
    for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], cells[i].size());
  }
  auto print_line = [&](const Cells& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      // Numbers right-aligned, words left-aligned.
      const bool numeric_column = (i >= 1 && i <= 3) || i == 5;
      out << (numeric_column ? fmt::format("{:>{}}", cells[i], widths[i]) : fmt::format("{:<{}}", cells[i], widths[i]))
          << (i + 1 < cells.size() ? "  " : "\n");
    }
  };
  print_line(header);
  std::size_t total_width = 0;
  for (auto width : widths) total_width += width + 2;
  out << std::string(total_width - 2, '-') << "\n";
  for (const auto& row : rows_) print_line(cells_of(row));
}

}  // namespace mlflowcpp::bench
