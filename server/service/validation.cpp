#include "server/service/validation.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

#include <optional>
#include <set>

namespace mlflowcpp::server::validation {
namespace {

constexpr std::string_view kBadCharactersMessage =
    "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) "
    "and slashes (/).";

// Decodes one UTF-8 code point at `pos`, advancing it; nullopt (and one byte
// consumed) for an invalid sequence.
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos) {
  const auto byte = static_cast<unsigned char>(text[pos]);
  int extra = 0;
  char32_t value = 0;
  if (byte < 0x80) {
    ++pos;
    return byte;
  } else if ((byte & 0xE0) == 0xC0 && byte >= 0xC2) {
    extra = 1;
    value = byte & 0x1F;
  } else if ((byte & 0xF0) == 0xE0) {
    extra = 2;
    value = byte & 0x0F;
  } else if ((byte & 0xF8) == 0xF0 && byte <= 0xF4) {
    extra = 3;
    value = byte & 0x07;
  } else {
    ++pos;
    return std::nullopt;
  }
  if (pos + extra >= text.size()) {
    ++pos;
    return std::nullopt;
  }
  for (int i = 1; i <= extra; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) {
      ++pos;
      return std::nullopt;
    }
    value = (value << 6) | (next & 0x3F);
  }
  const bool overlong = (extra == 2 && value < 0x800) || (extra == 3 && value < 0x10000);
  if (overlong || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    ++pos;
    return std::nullopt;
  }
  pos += extra + 1;
  return value;
}

// Python's `\w` on str: letters, digits and underscore of any script. Outside
// ASCII we accept every code point except the blocks of spaces, punctuation
// and symbols that a key could be confused by (an approximation of
// str.isalnum that errs on the side of accepting scripts).
bool is_word_code_point(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }
  if (c <= 0xBF) {
    return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA ||
           (c >= 0xBC && c <= 0xBE);
  }
  if (c == 0xD7 || c == 0xF7) return false;                 // multiplication, division signs
  if (c >= 0x2000 && c <= 0x206F) return false;             // general punctuation, spaces
  if (c >= 0x20A0 && c <= 0x20CF) return false;             // currency symbols
  if (c >= 0x2190 && c <= 0x23FF) return false;             // arrows, math operators, technical
  if (c >= 0x2500 && c <= 0x27BF) return false;             // box drawing, shapes, dingbats
  if (c >= 0x3000 && c <= 0x3003) return false;             // ideographic space and punctuation
  if (c >= 0xFE10 && c <= 0xFE6F) return false;             // vertical and small forms
  if (c >= 0xFF01 && c <= 0xFF0F) return false;             // fullwidth punctuation
  if (c >= 0xFFF0 && c <= 0xFFFF) return false;             // specials
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;           // emoji and pictographs
  if (c >= 0xE000 && c <= 0xF8FF) return false;             // private use
  return true;
}

bool has_valid_key_characters(std::string_view key) {
  std::size_t pos = 0;
  while (pos < key.size()) {
    const auto c = next_code_point(key, pos);
    if (!c) return false;
    const char32_t ch = *c;
    if (ch == '/' || ch == '.' || ch == '-' || ch == ' ' || ch == ':') continue;
    if (!is_word_code_point(ch)) return false;
  }
  return true;
}

// Names may be used as file names; they must not resolve to another name.
bool path_not_unique(std::string_view name) {
  const std::string normalized = posix_normpath(name);
  return normalized != name || normalized == "." || normalized.rfind("..", 0) == 0 ||
         normalized.rfind('/', 0) == 0;
}

void validate_key(std::string_view kind, std::string_view key) {
  if (!has_valid_key_characters(key)) {
    throw invalid_parameter(fmt::format("Invalid {} name: '{}'. {}", kind, key, kBadCharactersMessage));
  }
  if (path_not_unique(key)) {
    throw invalid_parameter(fmt::format(
        "Invalid {} name: '{}'. Names may be treated as files in certain cases, and must not resolve to other "
        "names when treated as such. This name would resolve to '{}'",
        kind, key, posix_normpath(key)));
  }
}

// The first 250 code points of a value, for messages.
std::string_view head(std::string_view value) {
  std::size_t pos = 0;
  for (int count = 0; pos < value.size() && count < 250; ++count) next_code_point(value, pos);
  return value.substr(0, pos);
}

void check_required_text(std::string_view what, std::string_view value) {
  if (value.empty()) throw invalid_parameter(fmt::format("{} cannot be empty.", what));
}

void check_max(std::string_view what, std::string_view value, std::size_t limit) {
  if (code_point_count(value) > limit) {
    throw invalid_parameter(fmt::format("{} exceeds the maximum length of {}", what, limit));
  }
}

}  // namespace

std::size_t code_point_count(std::string_view utf8) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    next_code_point(utf8, pos);
    ++count;
  }
  return count;
}

std::string posix_normpath(std::string_view path) {
  if (path.empty()) return ".";
  std::size_t leading = 0;
  while (leading < path.size() && path[leading] == '/') ++leading;
  // POSIX keeps exactly two leading slashes; one or three-plus become one.
  const std::string prefix = leading == 0 ? "" : (leading == 2 ? "//" : "/");
  std::vector<std::string_view> parts;
  std::size_t start = leading;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(start, end - start);
    if (part.empty() || part == ".") {
      // skipped
    } else if (part == "..") {
      if ((prefix.empty() && parts.empty()) || (!parts.empty() && parts.back() == "..")) {
        parts.push_back(part);
      } else if (!parts.empty()) {
        parts.pop_back();
      }
    } else {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string result = prefix;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) result += '/';
    result.append(parts[i]);
  }
  return result.empty() ? "." : result;
}

void check_length(std::string_view what, std::string_view value, std::size_t limit) {
  const std::size_t length = code_point_count(value);
  if (length > limit) {
    throw invalid_parameter(fmt::format("{} '{}' had length {}, which exceeded length limit of {}", what,
                                        head(value), length, limit));
  }
}

void validate_metric_name(std::string_view key) { validate_key("metric", key); }
void validate_param_name(std::string_view key) { validate_key("parameter", key); }
void validate_tag_name(std::string_view key) { validate_key("tag", key); }

namespace {
void validate_metric_key(std::string_view key) {
  validate_metric_name(key);
  check_length("Metric name", key, kMaxEntityKeyLength);
}

void validate_metric_timestamp(const Metric& metric) {
  if (metric.timestamp < 0) {
    throw invalid_parameter(fmt::format(
        "Got invalid timestamp {} for metric '{}' (value={}). Timestamp must be a nonnegative long (64-bit integer) ",
        metric.timestamp, metric.key, metric.value));
  }
}
}  // namespace

void validate_metric(const Metric& metric) {
  validate_metric_key(metric.key);
  validate_metric_timestamp(metric);
}

void validate_param(const Param& param) {
  validate_param_name(param.key);
  check_length("Param key", param.key, kMaxEntityKeyLength);
  check_length("Param value", param.value, kMaxParamValueLength);
}

void validate_tag(const RunTag& tag) {
  validate_tag_name(tag.key);
  check_length("Tag key", tag.key, kMaxEntityKeyLength);
  check_length("Tag value", tag.value, kMaxTagValueLength);
  if (tag.key == kRunNameTag) validate_run_name(tag.value);
}

void validate_experiment_tag(const ExperimentTag& tag) {
  validate_tag_name(tag.key);
  check_length("Tag key", tag.key, kMaxEntityKeyLength);
  check_length("Tag value", tag.value, kMaxExperimentTagValueLength);
}

namespace {
void check_batch_cap(std::string_view what, std::size_t limit, std::size_t count) {
  if (count > limit) {
    throw invalid_parameter(fmt::format(
        "A batch logging request can contain at most {} {}. Got {} {}. Please split up {} across multiple "
        "requests and try again.",
        limit, what, count, what, what));
  }
}
}  // namespace

void validate_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                    const std::vector<RunTag>& tags) {
  check_batch_cap("metrics", kMaxMetricsPerBatch, metrics.size());
  check_batch_cap("params", kMaxParamsPerBatch, params.size());
  check_batch_cap("tags", kMaxTagsPerBatch, tags.size());
  const std::size_t total = metrics.size() + params.size() + tags.size();
  if (total > kMaxEntitiesPerBatch) {
    throw invalid_parameter(fmt::format(
        "A batch logging request can contain at most {} metrics, params, and tags in total. Received {} in total.",
        kMaxEntitiesPerBatch, total));
  }
  // A batch repeats a few keys many times (a series of steps): a key equal to the one checked just
  // before passed already, and the key checks (character set, normalised path) are the costly part.
  const std::string* checked_key = nullptr;
  for (const auto& metric : metrics) {
    if (checked_key == nullptr || metric.key != *checked_key) validate_metric_key(metric.key);
    checked_key = &metric.key;
    validate_metric_timestamp(metric);
  }
  for (const auto& param : params) validate_param(param);
  for (const auto& tag : tags) validate_tag(tag);
  std::set<std::string_view> seen;
  std::set<std::string_view> duplicates;
  for (const auto& param : params) {
    if (!seen.insert(param.key).second) duplicates.insert(param.key);
  }
  if (!duplicates.empty()) {
    throw invalid_parameter(fmt::format(
        "Duplicate parameter keys have been submitted: [{}]. Please ensure the request contains only one param "
        "value per param key.",
        fmt::join(duplicates, ", ")));
  }
}

void validate_experiment_name(std::string_view name) {
  if (name.empty()) throw invalid_parameter(fmt::format("Invalid experiment name: '{}'", name));
  check_length("Experiment name", name, kMaxExperimentNameLength);
}

void validate_artifact_location(std::string_view location) {
  if (location.rfind("runs:", 0) == 0) {
    throw invalid_parameter(fmt::format("Artifact location cannot be a runs:/ URI. Given: '{}'", location));
  }
  check_length("Artifact location", location, kMaxArtifactLocationLength);
}

void validate_run_name(std::string_view run_name) { check_length("Run name", run_name, kMaxRunNameLength); }

void validate_user_id(std::string_view user_id) { check_length("User ID", user_id, kMaxUserIdLength); }

void validate_dataset_inputs(const std::vector<DatasetInput>& inputs) {
  if (inputs.size() > kMaxDatasetsPerRequest) {
    throw invalid_parameter(fmt::format("A request can log at most {} datasets. Got {} datasets.",
                                        kMaxDatasetsPerRequest, inputs.size()));
  }
  for (const auto& input : inputs) {
    const Dataset& dataset = input.dataset;
    check_required_text("Dataset name", dataset.name);
    check_required_text("Dataset digest", dataset.digest);
    check_required_text("Dataset source_type", dataset.source_type);
    check_max("Dataset name", dataset.name, kMaxDatasetNameLength);
    check_max("Dataset digest", dataset.digest, kMaxDatasetDigestLength);
    check_max("Dataset source_type", dataset.source_type, kMaxDatasetSourceTypeLength);
    check_max("Dataset source", dataset.source, kMaxDatasetSourceLength);
    if (dataset.schema) check_max("Dataset schema", *dataset.schema, kMaxDatasetSchemaLength);
    if (dataset.profile) check_max("Dataset profile", *dataset.profile, kMaxDatasetProfileLength);
    for (const auto& tag : input.tags) {
      check_required_text("Input tag key", tag.key);
      check_max("Input tag key", tag.key, kMaxInputTagKeyLength);
      check_max("Input tag value", tag.value, kMaxInputTagValueLength);
    }
  }
}

}  // namespace mlflowcpp::server::validation
