#pragma once

// File-system steps shared by the artifact repositories.

#include <filesystem>
#include <functional>

namespace mlflowcpp::client {

// Writes `local_file` through `write_to`, which fills the temporary file it is
// given (next to `local_file`, in the same directory); renames it to
// `local_file` on success and removes it on failure, so an interrupted transfer
// never leaves a partial file under the final name. Creates parent directories.
void write_file_atomically(const std::filesystem::path& local_file,
                           const std::function<void(const std::filesystem::path& temporary)>& write_to);

}  // namespace mlflowcpp::client
