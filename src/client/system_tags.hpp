#pragma once

// The context tags the official client puts on every run it starts.

#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/entities.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mlflowcpp::client {

// The login name as Python's getpass.getuser() finds it: LOGNAME, USER, LNAME,
// USERNAME, then the password database; "unknown" when all fail.
std::string current_user(const EnvironmentLookup& environment);

// The running program's absolute path (/proc/self/exe); empty when unknown.
std::string program_path();

// The commit checked out in the git work tree containing `directory`, read from
// the repository files (HEAD, loose and packed refs, linked work trees); nullopt
// outside a work tree or when the files cannot be read.
std::optional<std::string> git_commit_of(const std::filesystem::path& directory);

// mlflow.user, mlflow.source.name, mlflow.source.type (LOCAL) and, when the
// program or the working directory lies in a git work tree,
// mlflow.source.git.commit.
std::vector<RunTag> system_tags(const EnvironmentLookup& environment);

}  // namespace mlflowcpp::client
