#include "client/model_uri.hpp"
#include "text/ascii.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cctype>

namespace mlflowcpp::client {
namespace {

constexpr const char* kScheme = "models:";

MlflowException improper(const std::string& uri) {
  return invalid_parameter("Not a proper models:/ URI: " + uri +
                           ". Models URIs must be of the form 'models:/<model_name>/<suffix>' or "
                           "'models:/<model_name>@<alias>', where the suffix is a model version, a stage "
                           "or the string 'latest', or 'models:/<model_id>' for a logged model.");
}

bool is_blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

bool all_digits(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

std::string lower(std::string text) {
  text = to_lower_ascii(text);
  return text;
}

}  // namespace

bool is_logged_model_id(const std::string& text) {
  constexpr std::size_t kHexDigits = 32;
  return text.size() == 2 + kHexDigits && text.compare(0, 2, "m-") == 0 &&
         std::all_of(text.begin() + 2, text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

ModelUri parse_model_uri(const std::string& uri) {
  // URI schemes are case-insensitive (RFC 3986), as the official client reads them too.
  if (lower(uri.substr(0, std::char_traits<char>::length(kScheme))) != kScheme) throw improper(uri);
  std::string path = uri.substr(std::char_traits<char>::length(kScheme));
  // "models://host/..." names a registry elsewhere (Databricks profiles); only
  // the registry of this client's tracking server is reachable from here.
  if (path.size() > 2 && path.compare(0, 2, "//") == 0 && path[2] != '/') {
    throw invalid_parameter("models:/ URIs naming a registry host are not supported: " + uri);
  }
  // A query or fragment has no meaning in a models:/ URI.
  if (path.find_first_of("?#") != std::string::npos) throw improper(uri);
  if (path.empty() || path[0] != '/') throw improper(uri);
  path.erase(0, path.find_first_not_of('/'));
  if (path.empty()) throw improper(uri);

  const std::size_t slash = path.find('/');
  ModelUri parsed;
  if (slash == std::string::npos && is_logged_model_id(path)) {
    // MLflow's client reads any lone segment as a model id; only the id's form
    // is read as one here, so a mistyped "models:/<name>" stays a clear
    // INVALID_PARAMETER_VALUE rather than a lookup of a model that cannot exist.
    parsed.kind = ModelUri::Kind::kModelId;
    parsed.reference = path;
    return parsed;
  }
  if (slash == std::string::npos) {
    // No suffix: only the alias form is left, split at the last '@'.
    const std::size_t at = path.rfind('@');
    if (at == std::string::npos) throw improper(uri);
    parsed.name = path.substr(0, at);
    parsed.reference = path.substr(at + 1);
    parsed.kind = ModelUri::Kind::kAlias;
    if (is_blank(parsed.name) || is_blank(parsed.reference)) throw improper(uri);
    return parsed;
  }
  parsed.name = path.substr(0, slash);
  const std::string suffix = path.substr(slash + 1);
  if (is_blank(parsed.name) || is_blank(suffix) || suffix.find('/') != std::string::npos) throw improper(uri);
  if (all_digits(suffix)) {
    parsed.kind = ModelUri::Kind::kVersion;
    parsed.reference = suffix;
  } else if (lower(suffix) == "latest") {
    parsed.kind = ModelUri::Kind::kLatest;
  } else {
    parsed.kind = ModelUri::Kind::kStage;
    parsed.reference = suffix;
  }
  return parsed;
}

}  // namespace mlflowcpp::client
