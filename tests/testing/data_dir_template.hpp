#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace mlflowcpp::testing {

// A database server's freshly initialized data directory (initdb,
// mariadb-install-db), made once per `key` and kept in the temporary
// directory, for the test helpers to copy (`cp -a`, which keeps the owner the
// server needs) for every server they start: initializing takes seconds,
// copying a fraction of one, and the tests start a server per test case.
//
// `make(staging)` must create `staging`/data; it runs only when no template
// for `key` exists yet. The template is made under a private name and then
// renamed into place, so concurrent tests never see a half-made one (the loser
// of the race drops its own). Returns the template's data directory.
// `prefix` names the kind of server in the directory's name.
std::filesystem::path data_dir_template(const std::string& prefix, const std::string& key,
                                        const std::function<void(const std::filesystem::path& staging)>& make);

// What tells one build of a server program from another, for a template key:
// its size and modification time.
std::string program_identity(const std::filesystem::path& program);

}  // namespace mlflowcpp::testing
