#pragma once

// Where the web UI's files come from: the UI root (index.html) and the files under /static-files/. A static build
// of the official MLflow UI in a directory (--static-dir) or the server's own UI built into the binary; the
// server's routes do not care which.

#include <string_view>

namespace mlflowcpp::server::http {

class Reply;
class Request;

class UiFiles {
 public:
  virtual ~UiFiles() = default;

  // Answers the UI's index.html.
  virtual void serve_index(const Request& request, Reply& reply) const = 0;
  // `relative_path` as taken from the URL (already percent-decoded); 404 JSON when it names no file of the UI.
  virtual void serve_file(std::string_view relative_path, const Request& request, Reply& reply) const = 0;
};

}  // namespace mlflowcpp::server::http
