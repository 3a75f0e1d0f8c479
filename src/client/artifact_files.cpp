#include "client/artifact_files.hpp"

#include <mlflowcpp/errors.hpp>

#include <chrono>
#include <functional>
#include <random>
#include <sstream>
#include <system_error>
#include <thread>

namespace mlflowcpp::client {
namespace {

// A hidden name next to `local_file` that concurrent writers (threads or
// processes) do not pick at the same time: random bits, the thread and the time.
std::filesystem::path temporary_name_for(const std::filesystem::path& local_file) {
  std::random_device random;
  std::ostringstream name;
  name << "." << local_file.filename().string() << ".part-" << std::hex << random() << random() << "-"
       << std::hash<std::thread::id>{}(std::this_thread::get_id()) << "-"
       << std::chrono::steady_clock::now().time_since_epoch().count();
  return local_file.parent_path() / name.str();
}

}  // namespace

void write_file_atomically(const std::filesystem::path& local_file,
                           const std::function<void(const std::filesystem::path& temporary)>& write_to) {
  std::error_code error;
  if (local_file.has_parent_path()) {
    std::filesystem::create_directories(local_file.parent_path(), error);
    if (error) {
      throw MlflowException(ErrorCode::kInternalError,
                            "Cannot create directory " + local_file.parent_path().string() + ": " + error.message());
    }
  }
  std::filesystem::path temporary = temporary_name_for(local_file);
  try {
    write_to(temporary);
    std::filesystem::rename(temporary, local_file);
  } catch (...) {
    std::filesystem::remove(temporary, error);
    throw;
  }
}

}  // namespace mlflowcpp::client
