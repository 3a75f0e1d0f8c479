#include "client/credentials_file.hpp"

#include <mlflowcpp/errors.hpp>
#include "text/ascii.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace mlflowcpp::client {
namespace {

namespace fs = std::filesystem;

// Option names to values, of one section.
using Section = std::map<std::string, std::string>;

// configparser follows `%(name)s` references this deep before giving up.
constexpr int kMaxInterpolationDepth = 10;

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\f\v");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\f\v");
  return text.substr(first, last - first + 1);
}

MlflowException bad_file(const fs::path& file, const std::string& problem) {
  return invalid_parameter("Cannot read the credentials file " + file.string() + ": " + problem);
}

// The raw values of [mlflow] and [DEFAULT]; other sections are skipped.
struct RawSections {
  bool has_mlflow = false;
  Section mlflow;
  Section defaults;

  // An option of [mlflow], else of [DEFAULT]; nullptr when neither has it.
  const std::string* find(const std::string& name) const {
    for (const Section* section : {&mlflow, &defaults}) {
      if (auto found = section->find(name); found != section->end()) return &found->second;
    }
    return nullptr;
  }
};

RawSections read_sections(std::ifstream& stream) {
  RawSections sections;
  Section* current = nullptr;         // nullptr: before any section, or in one we do not read
  std::string* last_value = nullptr;  // what an indented line continues
  std::string line;
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string content = trimmed(line);
    if (content.empty()) {
      last_value = nullptr;
      continue;
    }
    if (content[0] == '#' || content[0] == ';') continue;  // a comment, even between continuation lines
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (indented && last_value != nullptr) {
      *last_value += "\n" + content;
      continue;
    }
    last_value = nullptr;
    if (content[0] == '[' && content.find(']') != std::string::npos) {
      const std::string name = content.substr(1, content.rfind(']') - 1);
      if (name == "mlflow") sections.has_mlflow = true;
      current = name == "mlflow" ? &sections.mlflow : name == "DEFAULT" ? &sections.defaults : nullptr;
      continue;
    }
    const auto separator = content.find_first_of("=:");
    if (current == nullptr || separator == std::string::npos) continue;
    const std::string key = to_lower_ascii(trimmed(content.substr(0, separator)));
    std::string& value = (*current)[key];
    value = trimmed(content.substr(separator + 1));
    last_value = &value;
  }
  return sections;
}

// configparser's BasicInterpolation: `%%` is a percent sign, `%(name)s` the
// value of option `name` of the section (or of [DEFAULT]), itself interpolated.
std::string interpolate(const std::string& value, const RawSections& sections, const fs::path& file, int depth) {
  if (depth > kMaxInterpolationDepth) throw bad_file(file, "'%(...)s' references nest too deep");
  std::string result;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') {
      result += value[i];
      continue;
    }
    if (i + 1 < value.size() && value[i + 1] == '%') {
      result += '%';
      ++i;
      continue;
    }
    const auto close = value.find(")s", i);
    if (i + 1 >= value.size() || value[i + 1] != '(' || close == std::string::npos) {
      throw bad_file(file, "'%' must be followed by '%' or '(name)s' (write %% for a percent sign)");
    }
    const std::string name = to_lower_ascii(value.substr(i + 2, close - i - 2));
    const std::string* referenced = sections.find(name);
    if (referenced == nullptr) throw bad_file(file, "'%(" + name + ")s' names no option of [mlflow]");
    result += interpolate(*referenced, sections, file, depth + 1);
    i = close + 1;
  }
  return result;
}

std::optional<std::string> option(const RawSections& sections, const std::string& name, const fs::path& file) {
  // Without an [mlflow] section the official client reads nothing, [DEFAULT] included.
  const std::string* raw = sections.has_mlflow ? sections.find(name) : nullptr;
  if (raw == nullptr) return std::nullopt;
  std::string value = interpolate(*raw, sections, file, 0);
  // The official client combines with `or`: an empty value counts as none.
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<std::string> password_database_home() {
  passwd entry{};
  passwd* found = nullptr;
  std::string buffer(16384, '\0');
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr ||
      found->pw_dir == nullptr) {
    return std::nullopt;
  }
  return std::string(found->pw_dir);
}

}  // namespace

std::optional<fs::path> credentials_file_path(const EnvironmentLookup& environment) {
  std::optional<std::string> home = environment("HOME");
  if (!home) home = password_database_home();
  if (!home) return std::nullopt;
  // expanduser drops the home's trailing slashes, so an empty or "/" home gives "/.mlflow/credentials".
  while (!home->empty() && home->back() == '/') home->pop_back();
  return fs::path(*home + "/.mlflow/credentials");
}

FileCredentials read_credentials_file(const fs::path& file) {
  std::ifstream stream(file);
  if (!stream) return {};
  const RawSections sections = read_sections(stream);
  FileCredentials credentials;
  credentials.username = option(sections, "mlflow_tracking_username", file);
  credentials.password = option(sections, "mlflow_tracking_password", file);
  return credentials;
}

}  // namespace mlflowcpp::client
