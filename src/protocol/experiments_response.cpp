#include "protocol/experiments_response.hpp"

#include "protocol/json_string.hpp"

#include <charconv>
#include <cstddef>

namespace mlflowcpp::protocol {
namespace {

void append_integer(std::string& out, int64_t value) {
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, written.ptr);
}

void append_tags(std::string& out, const std::vector<ExperimentTag>& tags) {
  out += ",\"tags\":[";
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"key\":";
    append_json_string(out, tags[i].key);
    out += ",\"value\":";
    append_json_string(out, tags[i].value);
    out += '}';
  }
  out += ']';
}

// The fields in the order the DOM's sorted keys put them.
void append_experiment(std::string& out, const Experiment& experiment) {
  out += "{\"artifact_location\":";
  append_json_string(out, experiment.artifact_location);
  out += ",\"creation_time\":";
  append_integer(out, experiment.creation_time);
  out += ",\"experiment_id\":";
  append_json_string(out, experiment.experiment_id);
  out += ",\"last_update_time\":";
  append_integer(out, experiment.last_update_time);
  out += ",\"lifecycle_stage\":";
  append_json_string(out, to_string(experiment.lifecycle_stage));
  out += ",\"name\":";
  append_json_string(out, experiment.name);
  if (!experiment.tags.empty()) append_tags(out, experiment.tags);
  out += '}';
}

// Enough for a typical experiment and its few tags, so the buffer seldom grows.
constexpr std::size_t kBytesPerExperiment = 512;

}  // namespace

JsonText experiments_response(const std::vector<Experiment>& experiments, const std::string& next_page_token) {
  JsonText body;
  std::string& out = body.text;
  out.reserve(64 + next_page_token.size() + experiments.size() * kBytesPerExperiment);
  out += '{';
  if (!experiments.empty()) {
    out += "\"experiments\":[";
    for (std::size_t i = 0; i < experiments.size(); ++i) {
      if (i > 0) out += ',';
      append_experiment(out, experiments[i]);
    }
    out += ']';
  }
  if (!next_page_token.empty()) {
    if (!experiments.empty()) out += ',';
    out += "\"next_page_token\":";
    append_json_string(out, next_page_token);
  }
  out += '}';
  return body;
}

}  // namespace mlflowcpp::protocol
