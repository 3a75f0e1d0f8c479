#include "testing/data_dir_template.hpp"

#include <unistd.h>

#include <system_error>

#include "testing/temp_dir.hpp"

namespace mlflowcpp::testing {

std::filesystem::path data_dir_template(const std::string& prefix, const std::string& key,
                                        const std::function<void(const std::filesystem::path& staging)>& make) {
  const auto final_dir = std::filesystem::temp_directory_path() / (prefix + "-template-" + std::to_string(::geteuid()) +
                                                                   "-" + std::to_string(std::hash<std::string>{}(key)));
  if (std::filesystem::exists(final_dir / "data")) return final_dir / "data";

  TempDir staging(prefix + "-template-staging");
  make(staging.path());
  // After the rename the staging directory is gone and its TempDir removes nothing; when another test won the
  // race, the rename fails and ours is removed.
  std::error_code lost_race;
  std::filesystem::rename(staging.path(), final_dir, lost_race);
  return final_dir / "data";
}

std::string program_identity(const std::filesystem::path& program) {
  return std::to_string(std::filesystem::file_size(program)) + ":" +
         std::to_string(std::filesystem::last_write_time(program).time_since_epoch().count());
}

}  // namespace mlflowcpp::testing
