#pragma once

#include <filesystem>
#include <string>

namespace mlflowcpp::testing {

// A fresh directory under the system temp dir, removed with everything in it
// when the object dies. Set MLFLOWCPP_KEEP_TEST_DIRS=1 to keep it for a post-mortem.
//
// @par Thread Safety
// Distinct objects may be used from distinct threads.
class TempDir {
 public:
  // `label` becomes part of the directory name, so leftovers say who made them.
  explicit TempDir(const std::string& label = "mlflowcpp-test");
  ~TempDir();

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& child) const { return path_ / child; }

 private:
  void remove() noexcept;

  std::filesystem::path path_;
};

// Writes `content` to `path`, creating parent directories. Throws on failure.
void write_file(const std::filesystem::path& path, const std::string& content);
// Reads a whole file; an empty string if it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace mlflowcpp::testing
