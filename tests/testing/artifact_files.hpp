#pragma once

// Files for artifact tests: content to upload, and what a tree or a listing holds.

#include <mlflowcpp/entities.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace mlflowcpp::testing {

// `size` bytes of every value, the same for the same seed.
std::string random_bytes(std::size_t size, unsigned seed = 12345);

// Every regular file below `root`, as sorted POSIX relative paths.
std::vector<std::string> files_below(const std::filesystem::path& root);

// The paths of a listing, sorted, directories with a trailing '/'.
std::vector<std::string> paths_of(const std::vector<FileInfo>& files);

}  // namespace mlflowcpp::testing
