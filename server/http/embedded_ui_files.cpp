#include "server/http/embedded_ui_files.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"

#include <string>

namespace mlflowcpp::server::http {
namespace {

// Scripts only from the server itself, never inline; inline styles and data:/blob: images (charts, artifact
// previews) are allowed; the UI may be framed only by pages of its own origin.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'self'";

// Whether an If-None-Match header value names `etag` (a list of entity tags, possibly weak, or "*").
bool matches_etag(std::string_view header, std::string_view etag) {
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view tag = header.substr(start, end - start);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

EmbeddedUiFiles::EmbeddedUiFiles(EmbeddedUiFileList files) {
  for (std::size_t i = 0; i < files.count; ++i) by_path_.emplace(files.files[i].path, &files.files[i]);
}

const EmbeddedUiFile* EmbeddedUiFiles::find(std::string_view path) const {
  const auto it = by_path_.find(path);
  return it == by_path_.end() ? nullptr : it->second;
}

void EmbeddedUiFiles::serve_index(const Request& request, Reply& reply) const {
  if (const EmbeddedUiFile* index = find("index.html")) {
    serve(*index, request, reply);
    return;
  }
  reply.text(200, "Unable to display the MLflow UI: this build of the server holds no UI.\n");
}

void EmbeddedUiFiles::serve_file(std::string_view relative_path, const Request& request, Reply& reply) const {
  if (const EmbeddedUiFile* file = find(relative_path)) {
    serve(*file, request, reply);
    return;
  }
  reply.error(404, "ENDPOINT_NOT_FOUND", "The requested file was not found on the server.");
}

void EmbeddedUiFiles::serve(const EmbeddedUiFile& file, const Request& request, Reply& reply) const {
  reply.set_header("ETag", std::string(file.etag));
  // The names carry no content hash, so a browser must ask again each time; the ETag makes that a 304.
  reply.set_header("Cache-Control", "no-cache");
  reply.set_header("X-Content-Type-Options", "nosniff");
  reply.set_header("Content-Security-Policy", kContentSecurityPolicy);
  const auto if_none_match = request.header("If-None-Match");
  if (if_none_match && matches_etag(*if_none_match, file.etag)) {
    reply.send_status(304);
    return;
  }
  reply.send(200, std::string(file.content), std::string(file.content_type));
}

}  // namespace mlflowcpp::server::http
