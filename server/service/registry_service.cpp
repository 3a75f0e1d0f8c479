#include "server/service/registry_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <mlflowcpp/errors.hpp>
#include <system_error>
#include <utility>

#include "server/artifacts/artifact_path.hpp"
#include "server/artifacts/uri_parts.hpp"
#include "server/search/page_size.hpp"
#include "server/service/validation.hpp"
#include "text/ascii.hpp"

namespace mlflowcpp::server {
namespace {

// Column sizes of MLflow 2.9's registry tables: longer values are a 400 here
// rather than a database error (or silent acceptance by SQLite).
constexpr std::size_t kMaxModelNameLength = 256;          // registered_models.name
constexpr std::size_t kMaxDescriptionLength = 5000;       // *.description
constexpr std::size_t kMaxSourceLength = 500;             // model_versions.source
constexpr std::size_t kMaxRunIdLength = 32;               // model_versions.run_id
constexpr std::size_t kMaxRunLinkLength = 500;            // model_versions.run_link
constexpr std::size_t kMaxRegistryTagKeyLength = 250;     // *_tags.key
constexpr std::size_t kMaxRegistryTagValueLength = 5000;  // *_tags.value
constexpr std::size_t kMaxAliasLength = 255;              // MLflow's rule (column holds 256)

constexpr std::string_view kApiDocsHint = "See the API docs for more information about request parameters.";

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

void require_value(const std::string& value, std::string_view field) {
  if (value.empty()) {
    throw invalid_parameter(fmt::format("Missing value for required parameter '{}'. {}", field, kApiDocsHint));
  }
}

void validate_model_name(const std::string& name, std::string_view field = "name") {
  require_value(name, field);
  validation::check_length("Registered model name", name, kMaxModelNameLength);
}

void validate_description(const std::string& description) {
  validation::check_length("Description", description, kMaxDescriptionLength);
}

void validate_registry_tag(const std::string& key, const std::string& value) {
  validation::validate_tag_name(key);
  validation::check_length("Tag key", key, kMaxRegistryTagKeyLength);
  validation::check_length("Tag value", value, kMaxRegistryTagValueLength);
}

bool is_local_host(const std::string& host) {
  return host.empty() || host == "." || host.rfind("localhost", 0) == 0 || host.rfind("127.0.0.1", 0) == 0;
}

// MLflow's is_local_uri for a registry source: no scheme, or file: on this host.
bool is_local_uri(const UriParts& parsed) {
  return parsed.scheme.empty() || (parsed.scheme == "file" && is_local_host(uri_hostname(parsed.netloc)));
}

// MLflow's local_file_uri_to_path: the path of a file: URI, else the text itself.
std::string local_path_of(const std::string& uri) {
  if (uri.rfind("file:", 0) == 0) return percent_decode(split_uri(uri).path);
  return uri;
}

// pathlib's resolve(): absolute against the working directory, normalised,
// symbolic links followed where they exist.
std::filesystem::path resolved_path(const std::string& path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) absolute = std::filesystem::path(path);
  std::filesystem::path canonical = std::filesystem::weakly_canonical(absolute, error);
  if (error) canonical = absolute.lexically_normal();
  return canonical.lexically_normal();
}

bool is_within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto outer_it = outer.begin();
  auto inner_it = inner.begin();
  for (; outer_it != outer.end(); ++outer_it, ++inner_it) {
    if (outer_it->empty()) continue;  // a trailing separator
    if (inner_it == inner.end() || *inner_it != *outer_it) return false;
  }
  return true;
}

// Whether a source is a local path (or a file: URI on this host), which must
// then lie in the artifacts of the run or logged model it comes from. A file:
// URI on another host is refused.
bool is_local_source(const std::string& source) {
  const UriParts parsed = split_uri(source);
  if (parsed.scheme == "file" && !is_local_uri(parsed)) {
    throw invalid_parameter(fmt::format(
        "Invalid model version source: '{}'. A file URI on another host cannot be a model version source.", source));
  }
  return is_local_uri(parsed);
}

// Whether local `source` lies in `artifact_root`, itself a local location.
bool lies_within_local_root(const std::string& source, const std::string& artifact_root) {
  if (!is_local_uri(split_uri(artifact_root))) return false;
  return is_within(resolved_path(local_path_of(source)), resolved_path(local_path_of(artifact_root)));
}

// The "absolute path without relative references" rule for non-local sources.
void validate_non_local_source(const std::string& source) {
  const auto invalid = [&] {
    return invalid_parameter(fmt::format(
        "Invalid model version source: '{}'. If supplying a source as an http, https, local file path, ftp, "
        "objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path "
        "references present. Please provide an absolute path.",
        source));
  };
  if (has_parent_segment_when_decoded(source)) throw invalid();
  const std::string decoded = fully_percent_decoded(source);
  std::string path = split_uri(decoded).path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string collapsed;
  for (char c : path) {
    if (c == '/' && !collapsed.empty() && collapsed.back() == '/') continue;
    collapsed += c;
  }
  if (collapsed.find('\0') != std::string::npos) throw invalid();
  // Python compares the path with Path(path).resolve(): only an absolute path
  // without `.`/`..` segments (and with no trailing or doubled slash, removed
  // above) comes back unchanged. An empty path resolves to the working directory.
  // (A ".." segment was refused above.)
  if (collapsed.empty() || collapsed.front() != '/') throw invalid();
  size_t start = 1;
  for (;;) {
    const size_t slash = collapsed.find('/', start);
    const std::string segment = collapsed.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment == ".") throw invalid();
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
}

SearchRegistryRequest search_request(const SearchRegistryParams& params, search::SearchedEntity entity) {
  SearchRegistryRequest request;
  request.max_results = params.max_results.value_or(search::page_size_limits(entity).default_size);
  search::validate_page_size(entity, request.max_results);
  request.model_scope = params.model_scope;
  request.filter = params.filter;
  request.order_by = params.order_by;
  request.page_token = params.page_token;
  return request;
}

}  // namespace

namespace registry_rules {

int64_t parse_version(const std::string& version) {
  // Python's int(): surrounding white space and a sign are allowed, and
  // underscores between digits.
  const auto not_integer = [&] {
    return invalid_parameter(fmt::format("Parameter 'version' must be an integer, got '{}'.", version));
  };
  size_t begin = 0;
  size_t end = version.size();
  while (begin < end && is_space(version[begin])) ++begin;
  while (end > begin && is_space(version[end - 1])) --end;
  bool negative = false;
  if (begin < end && (version[begin] == '+' || version[begin] == '-')) {
    negative = version[begin] == '-';
    ++begin;
  }
  if (begin == end) throw not_integer();
  int64_t value = 0;
  bool previous_was_digit = false;
  for (size_t i = begin; i < end; ++i) {
    const char c = version[i];
    if (c == '_' && previous_was_digit && i + 1 < end && std::isdigit(static_cast<unsigned char>(version[i + 1]))) {
      previous_was_digit = false;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) throw not_integer();
    previous_was_digit = true;
    if (value > (std::numeric_limits<int64_t>::max() - (c - '0')) / 10) {
      throw invalid_parameter(fmt::format("Parameter 'version' is out of range, got '{}'.", version));
    }
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::string canonical_stage(const std::string& stage) {
  for (const char* known : {kModelStageNone, kModelStageStaging, kModelStageProduction, kModelStageArchived}) {
    const std::string_view name(known);
    if (equals_ignoring_case(name, stage)) return std::string(name);
  }
  throw invalid_parameter(
      fmt::format("Invalid Model Version stage: {}. Value must be one of None, Staging, Production, Archived.", stage));
}

void validate_alias(const std::string& alias) {
  if (alias.empty()) throw invalid_parameter("Registered model alias name cannot be empty.");
  // ^[\w\-]*$ with Python's Unicode \w: every non-ASCII byte is taken as part of a word character.
  const bool valid_characters = std::all_of(alias.begin(), alias.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return std::isalnum(byte) != 0 || c == '_' || c == '-' || byte >= 0x80;
  });
  if (!valid_characters) {
    throw invalid_parameter(fmt::format(
        "Invalid alias name: '{}'. Names may only contain alphanumerics, underscores (_), and dashes (-).", alias));
  }
  validation::check_length("Registered model alias name", alias, kMaxAliasLength);
  if (equals_ignoring_case(alias, "latest")) throw invalid_parameter("'latest' alias name (case insensitive) is reserved.");
  if (alias.size() > 1 && (alias[0] == 'v' || alias[0] == 'V') &&
      std::all_of(alias.begin() + 1, alias.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    throw invalid_parameter(fmt::format("Version alias name '{}' is reserved.", alias));
  }
}

}  // namespace registry_rules

RegistryService::RegistryService(RegistryStore& store, ArtifactRoots roots) : store_(store), roots_(std::move(roots)) {}

// ---------------------------------------------------------------------------
// Registered models

RegisteredModel RegistryService::create_registered_model(const std::string& name,
                                                         const std::vector<RegisteredModelTag>& tags,
                                                         const std::string& description) {
  validate_model_name(name);
  for (const auto& tag : tags) validate_registry_tag(tag.key, tag.value);
  validate_description(description);
  return store_.create_registered_model(name, tags, description);
}

RegisteredModel RegistryService::get_registered_model(const std::string& name) {
  validate_model_name(name);
  return store_.get_registered_model(name);
}

RegisteredModel RegistryService::rename_registered_model(const std::string& name, const std::string& new_name) {
  validate_model_name(name);
  validate_model_name(new_name, "new_name");
  return store_.rename_registered_model(name, new_name);
}

RegisteredModel RegistryService::update_registered_model(const std::string& name, const std::string& description) {
  validate_model_name(name);
  validate_description(description);
  return store_.update_registered_model(name, description);
}

void RegistryService::delete_registered_model(const std::string& name) {
  validate_model_name(name);
  store_.delete_registered_model(name);
}

Page<RegisteredModel> RegistryService::search_registered_models(const SearchRegistryParams& params) {
  return store_.search_registered_models(search_request(params, search::SearchedEntity::kRegisteredModels));
}

std::vector<ModelVersion> RegistryService::get_latest_versions(const std::string& name,
                                                               const std::vector<std::string>& stages) {
  validate_model_name(name);
  std::vector<std::string> canonical;
  for (const auto& stage : stages) canonical.push_back(registry_rules::canonical_stage(stage));
  return store_.get_latest_versions(name, canonical);
}

void RegistryService::set_registered_model_tag(const std::string& name, const RegisteredModelTag& tag) {
  validate_model_name(name);
  validate_registry_tag(tag.key, tag.value);
  store_.set_registered_model_tag(name, tag);
}

void RegistryService::delete_registered_model_tag(const std::string& name, const std::string& key) {
  validate_model_name(name);
  validation::validate_tag_name(key);
  store_.delete_registered_model_tag(name, key);
}

// ---------------------------------------------------------------------------
// Aliases

void RegistryService::set_registered_model_alias(const std::string& name, const std::string& alias,
                                                 const std::string& version) {
  validate_model_name(name);
  registry_rules::validate_alias(alias);
  store_.set_registered_model_alias(name, alias, registry_rules::parse_version(version));
}

void RegistryService::delete_registered_model_alias(const std::string& name, const std::string& alias) {
  validate_model_name(name);
  registry_rules::validate_alias(alias);
  store_.delete_registered_model_alias(name, alias);
}

ModelVersion RegistryService::get_model_version_by_alias(const std::string& name, const std::string& alias) {
  validate_model_name(name);
  registry_rules::validate_alias(alias);
  return store_.get_model_version_by_alias(name, alias);
}

// ---------------------------------------------------------------------------
// Model versions

void RegistryService::validate_source(const std::string& source, const std::string& run_id) {
  if (!is_local_source(source)) {
    validate_non_local_source(source);
    return;
  }
  if (!run_id.empty()) {
    const auto artifact_uri = store_.run_artifact_uri(run_id);
    if (!artifact_uri) throw not_found(fmt::format("Run with id={} not found", run_id));
    if (lies_within_local_root(source, *artifact_uri)) {
      // A run created before the roots were set (or changed) may lie outside them.
      roots_.require_allowed(source, ErrorCode::kInvalidParameterValue, "Model version source");
      return;
    }
  }
  throw invalid_parameter(fmt::format(
      "Invalid model version source: '{}'. To use a local path as a model version source, the run_id request "
      "parameter has to be specified and the local path has to be contained within the artifact directory of the "
      "run specified by the run_id.",
      source));
}

void RegistryService::validate_source_of_logged_model(const std::string& source, const std::string& model_id) {
  if (!is_local_source(source)) {
    validate_non_local_source(source);
    return;
  }
  const auto artifact_location = store_.logged_model_artifact_location(model_id);
  if (!artifact_location) throw not_found(fmt::format("Logged model with ID '{}' not found.", model_id));
  if (lies_within_local_root(source, *artifact_location)) {
    roots_.require_allowed(source, ErrorCode::kInvalidParameterValue, "Model version source");
    return;
  }
  throw invalid_parameter(fmt::format(
      "Invalid model version source: '{}'. To use a local path as a model version source, the model_id request "
      "parameter has to be specified and the local path has to be contained within the artifact directory of the "
      "model specified by the model_id.",
      source));
}

ModelVersion RegistryService::create_model_version(const CreateModelVersionParams& params) {
  require_value(params.name, "name");
  require_value(params.source, "source");
  // The source first: the official server rejects a bad source before it
  // looks for the model. With a model_id the source is checked against that
  // logged model instead of the run.
  if (params.model_id.empty()) {
    validate_source(params.source, params.run_id);
  } else {
    validate_source_of_logged_model(params.source, params.model_id);
  }
  validate_model_name(params.name);
  validation::check_length("Model version source", params.source, kMaxSourceLength);
  validation::check_length("Run ID", params.run_id, kMaxRunIdLength);
  validation::check_length("Run link", params.run_link, kMaxRunLinkLength);
  validate_description(params.description);
  for (const auto& tag : params.tags) validate_registry_tag(tag.key, tag.value);

  CreateModelVersionRequest request;
  request.name = params.name;
  request.source = params.source;
  request.run_id = params.run_id;
  request.tags = params.tags;
  request.run_link = params.run_link;
  request.description = params.description;
  request.model_id = params.model_id;
  return store_.create_model_version(request);
}

ModelVersion RegistryService::get_model_version(const std::string& name, const std::string& version) {
  validate_model_name(name);
  return store_.get_model_version(name, registry_rules::parse_version(version));
}

ModelVersion RegistryService::update_model_version(const std::string& name, const std::string& version,
                                                   const std::optional<std::string>& description) {
  validate_model_name(name);
  const int64_t number = registry_rules::parse_version(version);
  if (description) validate_description(*description);
  return store_.update_model_version(name, number, description);
}

ModelVersion RegistryService::transition_model_version_stage(const std::string& name, const std::string& version,
                                                             const std::string& stage, bool archive_existing_versions) {
  require_value(stage, "stage");
  const std::string canonical = registry_rules::canonical_stage(stage);
  const bool is_active_stage = canonical == kModelStageStaging || canonical == kModelStageProduction;
  if (archive_existing_versions && !is_active_stage) {
    // The official server answers this with a 500; it is the caller's mistake.
    throw invalid_parameter(fmt::format(
        "Model version transition cannot archive existing model versions because '{}' is not an Active stage. "
        "Valid stages are ['Staging', 'Production']",
        stage));
  }
  validate_model_name(name);
  return store_.transition_model_version_stage(name, registry_rules::parse_version(version), canonical,
                                               archive_existing_versions);
}

void RegistryService::delete_model_version(const std::string& name, const std::string& version) {
  validate_model_name(name);
  store_.delete_model_version(name, registry_rules::parse_version(version));
}

Page<ModelVersion> RegistryService::search_model_versions(const SearchRegistryParams& params) {
  return store_.search_model_versions(search_request(params, search::SearchedEntity::kModelVersions));
}

std::string RegistryService::get_model_version_download_uri(const std::string& name, const std::string& version) {
  validate_model_name(name);
  return store_.get_model_version_download_uri(name, registry_rules::parse_version(version));
}

void RegistryService::set_model_version_tag(const std::string& name, const std::string& version,
                                            const ModelVersionTag& tag) {
  validate_model_name(name);
  const int64_t number = registry_rules::parse_version(version);
  validate_registry_tag(tag.key, tag.value);
  store_.set_model_version_tag(name, number, tag);
}

void RegistryService::delete_model_version_tag(const std::string& name, const std::string& version,
                                               const std::string& key) {
  validate_model_name(name);
  const int64_t number = registry_rules::parse_version(version);
  validation::validate_tag_name(key);
  store_.delete_model_version_tag(name, number, key);
}

}  // namespace mlflowcpp::server
