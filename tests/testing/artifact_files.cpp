#include "testing/artifact_files.hpp"

#include <algorithm>
#include <random>

namespace mlflowcpp::testing {

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (auto& c : bytes) c = static_cast<char>(byte(engine));
  return bytes;
}

std::vector<std::string> files_below(const std::filesystem::path& root) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) files.push_back(entry.path().lexically_relative(root).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> paths_of(const std::vector<FileInfo>& files) {
  std::vector<std::string> paths;
  for (const auto& file : files) paths.push_back(file.path + (file.is_dir ? "/" : ""));
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace mlflowcpp::testing
