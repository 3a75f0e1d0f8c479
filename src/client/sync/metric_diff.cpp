#include "client/sync/metric_diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <tuple>

namespace mlflowcpp::client::sync {
namespace {

// A strict weak order in which NaNs are equivalent to each other and greater than every number, so sorting and the
// merge below treat two NaN points as the same point (as the store does: NaN is kept as a flag, not a value).
int compare_values(double a, double b) {
  const bool a_nan = std::isnan(a);
  const bool b_nan = std::isnan(b);
  if (a_nan || b_nan) return int(a_nan) - int(b_nan);
  if (a < b) return -1;
  if (b < a) return 1;
  return 0;
}

int compare_points(const Metric& a, const Metric& b) {
  if (int c = a.key.compare(b.key); c != 0) return c < 0 ? -1 : 1;
  if (a.step != b.step) return a.step < b.step ? -1 : 1;
  if (a.timestamp != b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return compare_values(a.value, b.value);
}

bool point_less(const Metric& a, const Metric& b) { return compare_points(a, b) < 0; }

}  // namespace

std::vector<Metric> missing_points(std::vector<Metric> source, std::vector<Metric> target) {
  if (target.empty()) return source;
  // Sort the source through an index so the answer can be put back in the source's order (the server then receives
  // each key's points in the order they were logged).
  std::vector<std::size_t> order(source.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return point_less(source[a], source[b]); });
  std::sort(target.begin(), target.end(), point_less);

  std::vector<bool> missing(source.size(), false);
  std::size_t t = 0;
  for (std::size_t index : order) {
    const Metric& point = source[index];
    while (t < target.size() && compare_points(target[t], point) < 0) ++t;
    if (t < target.size() && compare_points(target[t], point) == 0) {
      ++t;  // matched: each target point pays for one source point
    } else {
      missing[index] = true;
    }
  }
  std::vector<Metric> result;
  for (std::size_t i = 0; i < source.size(); ++i) {
    if (missing[i]) result.push_back(std::move(source[i]));
  }
  return result;
}

}  // namespace mlflowcpp::client::sync
