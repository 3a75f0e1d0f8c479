#pragma once

// A directory the sync owns for files between download and upload, removed with
// everything in it when the object goes (either way the copy ends).

#include <mlflowcpp/errors.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

namespace mlflowcpp::client::sync {

class ScratchDirectory {
 public:
  // A new private directory under the system's temporary directory (mlflowcpp-sync-XXXXXX).
  static ScratchDirectory in_temp_directory() {
    const std::filesystem::path temp = std::filesystem::temp_directory_path();
    std::string pattern = (temp / "mlflowcpp-sync-XXXXXX").string();
    if (!mkdtemp(pattern.data())) {
      throw MlflowException("INTERNAL_ERROR", 500, "sync: cannot create a temporary directory in " + temp.string());
    }
    return ScratchDirectory(pattern);
  }
  // `path`, created (with its parents) when missing.
  explicit ScratchDirectory(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDirectory(ScratchDirectory&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  ScratchDirectory& operator=(ScratchDirectory&&) = delete;
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace mlflowcpp::client::sync
