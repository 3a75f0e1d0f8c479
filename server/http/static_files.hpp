#pragma once

// Serves a static build of the MLflow web UI from a directory: index.html for
// the UI root and the build's files under /static-files/. Paths are confined to
// the directory (no traversal, no escaping symlinks).

#include <optional>
#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

class Reply;

// The Content-Type for a file name by its extension ("application/octet-stream" if unknown).
std::string content_type_for(std::string_view file_name);

class StaticFiles {
 public:
  // `directory` empty = no UI build: the UI root explains how to get one.
  explicit StaticFiles(std::string directory);

  void serve_index(Reply& reply) const;
  // `relative_path` as taken from the URL (already percent-decoded); 404 JSON when
  // it is not a file inside the directory.
  void serve_file(std::string_view relative_path, Reply& reply) const;

 private:
  // The canonical path of a file inside the directory, or nullopt.
  std::optional<std::string> resolve(std::string_view relative_path) const;

  std::string directory_;
};

}  // namespace mlflowcpp::server::http
