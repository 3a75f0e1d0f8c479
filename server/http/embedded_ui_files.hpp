#pragma once

// Serves the server's own web UI from files built into the binary (server/ui, embedded by
// cmake/EmbedUiFiles.cmake): index.html for the UI root, the rest under /static-files/. Nothing is read from
// disk, so no path can lead outside the UI. Every answer carries the file's ETag (a conditional request that
// still matches gets 304) and asks browsers to revalidate, since the file names carry no content hash; the
// Content-Security-Policy lets the page run only its own scripts.

#include "server/http/ui_files.hpp"

#include <cstddef>
#include <string_view>
#include <unordered_map>

namespace mlflowcpp::server::http {

// One file of the UI as the build embedded it.
struct EmbeddedUiFile {
  std::string_view path;  // relative to the UI's folder, '/'-separated: "lib/api.js"
  std::string_view content;
  std::string_view content_type;
  std::string_view etag;  // quoted, as sent: "\"9f33...\""
};

struct EmbeddedUiFileList {
  const EmbeddedUiFile* files = nullptr;
  std::size_t count = 0;
};

class EmbeddedUiFiles : public UiFiles {
 public:
  // `files` must outlive this object (the built-in list is static data).
  explicit EmbeddedUiFiles(EmbeddedUiFileList files);

  void serve_index(const Request& request, Reply& reply) const override;
  void serve_file(std::string_view relative_path, const Request& request, Reply& reply) const override;

 private:
  const EmbeddedUiFile* find(std::string_view path) const;
  void serve(const EmbeddedUiFile& file, const Request& request, Reply& reply) const;

  std::unordered_map<std::string_view, const EmbeddedUiFile*> by_path_;
};

}  // namespace mlflowcpp::server::http
