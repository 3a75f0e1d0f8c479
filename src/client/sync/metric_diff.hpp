#pragma once

// What a target run's metric history lacks compared with the source's.

#include <mlflowcpp/entities.hpp>

#include <vector>

namespace mlflowcpp::client::sync {

// The points of `source` that `target` does not have, comparing key, step,
// timestamp and value as multisets: a point the source holds twice and the target
// once is returned once. NaN equals NaN (and +inf, -inf themselves); 0.0 equals
// -0.0. The result keeps the source's order. Both inputs are taken by value: they
// are sorted in place.
std::vector<Metric> missing_points(std::vector<Metric> source, std::vector<Metric> target);

}  // namespace mlflowcpp::client::sync
