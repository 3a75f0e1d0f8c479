#include "server/auth/auth_config.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>

namespace mlflowcpp::server::auth {
namespace {

// One section of an ini file: keys lower-cased (configparser's default), values
// as written (interpolation applies when they are read).
using Section = std::map<std::string, std::string>;
using Sections = std::map<std::string, Section>;

constexpr int kMaxInterpolationDepth = 10;  // configparser's limit

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\f\v");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\f\v");
  return text.substr(first, last - first + 1);
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Reads an ini file with the rules of Python's configparser that a
// basic_auth.ini relies on: [sections] (case-sensitive), `key = value` or
// `key: value` (keys case-insensitive, both sides trimmed), whole-line `#` and
// `;` comments, indented continuation lines, and duplicates refused.
class IniReader {
 public:
  explicit IniReader(std::string path) : path_(std::move(path)) {}

  Sections read(std::istream& in) {
    Sections sections;
    Section* section = nullptr;
    std::string* value = nullptr;  // the value an indented line continues
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
      const std::string stripped = trim(line);
      if (stripped.empty()) {
        value = nullptr;
        continue;
      }
      if (stripped[0] == '#' || stripped[0] == ';') continue;
      const bool indented = line[0] == ' ' || line[0] == '\t';
      if (indented && value != nullptr) {
        *value += "\n" + stripped;
        continue;
      }
      value = nullptr;
      if (stripped.front() == '[' && stripped.back() == ']' && stripped.size() > 2) {
        const std::string name = stripped.substr(1, stripped.size() - 2);
        if (sections.count(name) != 0) fail(number, "section [" + name + "] appears twice");
        section = &sections[name];
        continue;
      }
      if (section == nullptr) fail(number, "a key comes before the first [section]");
      const auto delimiter = stripped.find_first_of("=:");
      if (delimiter == std::string::npos || delimiter == 0) fail(number, "expected `key = value`");
      const std::string key = lower(trim(stripped.substr(0, delimiter)));
      if (section->count(key) != 0) fail(number, "key '" + key + "' appears twice in its section");
      value = &((*section)[key] = trim(stripped.substr(delimiter + 1)));
    }
    return sections;
  }

 private:
  [[noreturn]] void fail(int line, const std::string& problem) const {
    throw std::invalid_argument("auth config file '" + path_ + "', line " + std::to_string(line) + ": " + problem);
  }

  std::string path_;
};

// The keys of [mlflow], with configparser's [DEFAULT] values beneath them and
// its basic interpolation: `%%` is a percent sign, `%(key)s` another key's value.
class MlflowSection {
 public:
  MlflowSection(const Sections& sections, std::string path) : path_(std::move(path)) {
    const auto defaults = sections.find("DEFAULT");
    if (defaults != sections.end()) keys_ = defaults->second;
    for (const auto& [key, value] : sections.at("mlflow")) keys_[key] = value;
  }

  // The interpolated value of `key`, or `fallback` when the section has none.
  std::string get(const std::string& key, const std::string& fallback) const {
    const auto found = keys_.find(key);
    return found == keys_.end() ? fallback : interpolate(key, found->second, 1);
  }

 private:
  std::string interpolate(const std::string& key, const std::string& raw, int depth) const {
    if (depth > kMaxInterpolationDepth) fail(key, "interpolation nests too deep (a key refers to itself?)");
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] != '%') {
        value.push_back(raw[i]);
        continue;
      }
      if (i + 1 < raw.size() && raw[i + 1] == '%') {
        value.push_back('%');
        ++i;
        continue;
      }
      const auto close = raw.find(")s", i);
      if (i + 1 >= raw.size() || raw[i + 1] != '(' || close == std::string::npos) {
        fail(key, "a '%' must be written '%%' (or start a %(key)s reference)");
      }
      const std::string name = lower(raw.substr(i + 2, close - i - 2));
      const auto referred = keys_.find(name);
      if (referred == keys_.end()) fail(key, "refers to '" + name + "', which is not set");
      value += interpolate(name, referred->second, depth + 1);
      i = close + 1;
    }
    return value;
  }

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    throw std::invalid_argument("auth config file '" + path_ + "', [mlflow] " + key + ": " + problem);
  }

  Section keys_;
  std::string path_;
};

}  // namespace

AuthConfig read_auth_config(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw std::invalid_argument("the auth config file '" + path + "' is a directory");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::invalid_argument("cannot read the auth config file '" + path + "'");
  std::istringstream text(std::string{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()});
  if (file.bad()) throw std::invalid_argument("cannot read the auth config file '" + path + "'");
  const Sections sections = IniReader(path).read(text);
  if (sections.count("mlflow") == 0) {
    throw std::invalid_argument("auth config file '" + path + "' has no [mlflow] section");
  }
  const MlflowSection mlflow(sections, path);

  AuthConfig config;
  const std::string permission =
      mlflow.get("default_permission", std::string(permission_name(config.default_permission)));
  const auto default_permission = find_permission(permission);
  if (!default_permission) {
    throw std::invalid_argument("auth config file '" + path + "': default_permission '" + permission +
                                "' is no permission; use READ, EDIT, MANAGE or NO_PERMISSIONS");
  }
  config.default_permission = *default_permission;
  config.database_uri = mlflow.get("database_uri", config.database_uri);
  if (config.database_uri.empty())
    throw std::invalid_argument("auth config file '" + path + "': database_uri is empty");
  config.admin_username = mlflow.get("admin_username", config.admin_username);
  config.admin_password = mlflow.get("admin_password", config.admin_password);
  // authorization_function names a Python function; only basic auth is built in, so it is read and left aside.
  mlflow.get("authorization_function", "");
  return config;
}

}  // namespace mlflowcpp::server::auth
