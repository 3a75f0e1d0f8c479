// The MLmodel document: MLflow's YAML format (yaml.safe_dump of Model.to_dict():
// block style, keys sorted) and its JSON twin.

#include "client/mlmodel.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <random>

namespace mlflowcpp::client {

using protocol::Json;

namespace {

bool is_plain_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-' || c == '/';
}

// Words a YAML 1.1 reader turns into booleans or null when unquoted.
bool is_reserved_word(const std::string& text) {
  static constexpr std::array<const char*, 10> kWords{"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"};
  const std::string lower = to_lower_ascii(text);
  return std::any_of(kWords.begin(), kWords.end(), [&](const char* word) { return lower == word; });
}

bool has_control_char(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

// A string as a YAML scalar that reads back as that same string. Plain when it
// is unambiguous (starts with a letter or '_', only word characters, not a
// reserved word); otherwise quoted, so "1.14" stays text and is not a number.
std::string yaml_scalar(const std::string& text) {
  const bool plain = !text.empty() &&
                     (std::isalpha(static_cast<unsigned char>(text.front())) != 0 || text.front() == '_') &&
                     std::all_of(text.begin(), text.end(), is_plain_char) && !is_reserved_word(text);
  if (plain) return text;
  std::string quoted;
  if (!has_control_char(text)) {
    quoted = "'";
    for (char c : text) {
      quoted += c;
      if (c == '\'') quoted += '\'';  // '' is a quote inside single quotes
    }
    return quoted + "'";
  }
  // Single-quoted scalars fold line breaks; double quotes keep every character.
  quoted = "\"";
  for (char c : text) {
    switch (c) {
      case '"': quoted += "\\\""; break;
      case '\\': quoted += "\\\\"; break;
      case '\n': quoted += "\\n"; break;
      case '\t': quoted += "\\t"; break;
      case '\r': quoted += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          quoted += escape;
        } else {
          quoted += c;
        }
    }
  }
  return quoted + "\"";
}

// Block-style YAML of a JSON object whose leaves are strings (nlohmann's
// objects iterate in sorted key order, as safe_dump writes them).
void append_yaml_object(const Json& object, int indent, std::string& out) {
  for (const auto& [key, value] : object.items()) {
    out.append(static_cast<size_t>(indent), ' ');
    out += yaml_scalar(key) + ":";
    if (value.is_object()) {
      if (value.empty()) {
        out += " {}\n";
      } else {
        out += "\n";
        append_yaml_object(value, indent + 2, out);
      }
    } else if (value.is_string()) {
      out += " " + yaml_scalar(value.get<std::string>()) + "\n";
    } else {
      out += " " + protocol::dump(value) + "\n";  // null, numbers, booleans: JSON is valid YAML for them
    }
  }
}

}  // namespace

Json mlmodel_to_json(const MlmodelDocument& document) {
  Json flavors = Json::object();
  for (const auto& [flavor, settings] : document.info.flavors) {
    Json flavor_settings = Json::object();
    for (const auto& [key, value] : settings) flavor_settings[key] = value;
    flavors[flavor] = std::move(flavor_settings);
  }
  Json dict{{"artifact_path", document.artifact_path},
            {"flavors", std::move(flavors)},
            {"model_uuid", document.model_uuid},
            {"run_id", document.run_id},
            {"utc_time_created", document.utc_time_created}};
  if (document.info.signature) {
    dict["signature"] = Json{{"inputs", document.info.signature->inputs},
                             {"outputs", document.info.signature->outputs}};
  }
  if (!document.info.mlflow_version.empty()) dict["mlflow_version"] = document.info.mlflow_version;
  if (!document.model_id.empty()) dict["model_id"] = document.model_id;
  return dict;
}

std::string mlmodel_to_yaml(const MlmodelDocument& document) {
  std::string out;
  append_yaml_object(mlmodel_to_json(document), 0, out);
  return out;
}

std::string new_model_uuid() {
  std::random_device entropy;
  std::mt19937_64 generator((static_cast<uint64_t>(entropy()) << 32) ^ entropy());
  std::array<uint8_t, 16> bytes{};
  for (auto& byte : bytes) byte = static_cast<uint8_t>(generator());
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string hex;
  static constexpr char kDigits[] = "0123456789abcdef";
  for (uint8_t byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

std::string utc_time_created_now() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const auto micros = duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000;
  const std::time_t seconds = system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[128];  // room for any int the compiler assumes, so no truncation warning
  std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d:%02d.%06lld", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(micros));
  return text;
}

}  // namespace mlflowcpp::client
