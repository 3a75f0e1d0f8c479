#pragma once

// experiments/search's answer written straight into one buffer: the same bytes
// as the DOM {"experiments": [to_json(...)...], "next_page_token": ...} dumped
// by protocol::dump (keys in the DOM's sorted order, empty lists and an empty
// token left out), without building a DOM of some twenty nodes an experiment.

#include "protocol/json_codec.hpp"

#include <mlflowcpp/entities.hpp>

#include <string>
#include <vector>

namespace mlflowcpp::protocol {

JsonText experiments_response(const std::vector<Experiment>& experiments, const std::string& next_page_token);

}  // namespace mlflowcpp::protocol
