#pragma once

// Serves a static build of the MLflow web UI from a directory: index.html for
// the UI root and the build's files under /static-files/. Paths are confined to
// the directory (no traversal, no escaping symlinks).

#include "server/http/ui_files.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

// The Content-Type for a file name by its extension ("application/octet-stream" if unknown).
std::string content_type_for(std::string_view file_name);

class DirectoryUiFiles : public UiFiles {
 public:
  // `directory` empty = no UI build: the UI root explains how to get one.
  explicit DirectoryUiFiles(std::string directory);

  void serve_index(const Request& request, Reply& reply) const override;
  // 404 JSON when `relative_path` is not a file inside the directory.
  void serve_file(std::string_view relative_path, const Request& request, Reply& reply) const override;

 private:
  // The canonical path of a file inside the directory, or nullopt.
  std::optional<std::string> resolve(std::string_view relative_path) const;

  std::string directory_;
};

}  // namespace mlflowcpp::server::http
