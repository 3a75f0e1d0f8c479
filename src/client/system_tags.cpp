#include "client/system_tags.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

namespace mlflowcpp::client {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> first_line_of(const fs::path& file) {
  std::ifstream stream(file);
  std::string line;
  if (!stream || !std::getline(stream, line)) return std::nullopt;
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line;
}

bool is_commit_id(const std::string& text) {
  return (text.size() == 40 || text.size() == 64) &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c); });
}

// The repository directory of the work tree holding `directory`: ".git" itself,
// or where a ".git" file ("gitdir: <path>", linked work trees and submodules) points.
std::optional<fs::path> find_git_dir(fs::path directory) {
  std::error_code error;
  directory = fs::absolute(directory, error);
  if (error) return std::nullopt;
  for (fs::path current = directory;; current = current.parent_path()) {
    fs::path dot_git = current / ".git";
    if (fs::is_directory(dot_git, error)) return dot_git;
    if (fs::is_regular_file(dot_git, error)) {
      auto line = first_line_of(dot_git);
      const std::string prefix = "gitdir: ";
      if (!line || line->rfind(prefix, 0) != 0) return std::nullopt;
      fs::path target = line->substr(prefix.size());
      return target.is_absolute() ? target : current / target;
    }
    if (current == current.parent_path()) return std::nullopt;
  }
}

std::optional<std::string> resolve_ref(const fs::path& git_dir, const std::string& ref) {
  // Linked work trees keep shared refs in the common directory.
  fs::path common_dir = git_dir;
  if (auto common = first_line_of(git_dir / "commondir")) {
    fs::path path(*common);
    common_dir = path.is_absolute() ? path : git_dir / path;
  }
  for (const fs::path& dir : {git_dir, common_dir}) {
    if (auto loose = first_line_of(dir / ref); loose && is_commit_id(*loose)) return loose;
  }
  std::ifstream packed(common_dir / "packed-refs");
  std::string line;
  while (std::getline(packed, line)) {
    // "<commit> <ref>"; comments start with '#', peeled tags with '^'.
    auto space = line.find(' ');
    if (space == std::string::npos || line[0] == '#' || line[0] == '^') continue;
    if (line.substr(space + 1) == ref && is_commit_id(line.substr(0, space))) return line.substr(0, space);
  }
  return std::nullopt;
}

}  // namespace

std::string current_user(const EnvironmentLookup& environment) {
  for (const char* variable : {"LOGNAME", "USER", "LNAME", "USERNAME"}) {
    if (auto value = environment(variable); value && !value->empty()) return *value;
  }
  passwd entry{};
  passwd* found = nullptr;
  std::string buffer(16384, '\0');
  if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return found->pw_name;
  }
  return "unknown";
}

std::string program_path() {
  std::error_code error;
  fs::path path = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

std::optional<std::string> git_commit_of(const fs::path& directory) {
  auto git_dir = find_git_dir(directory);
  if (!git_dir) return std::nullopt;
  auto head = first_line_of(*git_dir / "HEAD");
  if (!head) return std::nullopt;
  if (is_commit_id(*head)) return head;  // detached HEAD
  const std::string prefix = "ref: ";
  if (head->rfind(prefix, 0) != 0) return std::nullopt;
  return resolve_ref(*git_dir, head->substr(prefix.size()));
}

std::vector<RunTag> system_tags(const EnvironmentLookup& environment) {
  std::vector<RunTag> tags;
  tags.push_back({"mlflow.user", current_user(environment)});
  std::string program = program_path();
  if (!program.empty()) tags.push_back({"mlflow.source.name", program});
  tags.push_back({"mlflow.source.type", "LOCAL"});

  // The official client looks next to the source it runs; a compiled program's
  // nearest equivalent is its own location, then the directory it runs in.
  std::optional<std::string> commit;
  if (!program.empty()) commit = git_commit_of(fs::path(program).parent_path());
  std::error_code error;
  if (!commit) {
    fs::path working_directory = fs::current_path(error);
    if (!error) commit = git_commit_of(working_directory);
  }
  if (commit) tags.push_back({"mlflow.source.git.commit", *commit});
  return tags;
}

}  // namespace mlflowcpp::client
