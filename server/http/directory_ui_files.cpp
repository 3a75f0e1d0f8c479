#include "server/http/directory_ui_files.hpp"

#include "server/http/reply.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <unordered_map>

namespace mlflowcpp::server::http {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

}  // namespace

std::string content_type_for(std::string_view file_name) {
  static const std::unordered_map<std::string, std::string> kTypes = {
      {"html", "text/html; charset=utf-8"},  {"htm", "text/html; charset=utf-8"},
      {"js", "application/javascript"},      {"mjs", "application/javascript"},
      {"css", "text/css; charset=utf-8"},    {"json", "application/json"},
      {"map", "application/json"},           {"svg", "image/svg+xml"},
      {"png", "image/png"},                  {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},                {"gif", "image/gif"},
      {"webp", "image/webp"},                {"ico", "image/vnd.microsoft.icon"},
      {"woff", "font/woff"},                 {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},                   {"otf", "font/otf"},
      {"eot", "application/vnd.ms-fontobject"}, {"txt", "text/plain; charset=utf-8"},
      {"wasm", "application/wasm"},
  };
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string extension = to_lower_ascii(file_name.substr(dot + 1));
  const auto it = kTypes.find(extension);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

DirectoryUiFiles::DirectoryUiFiles(std::string directory) : directory_(std::move(directory)) {
  std::error_code error;
  if (!directory_.empty()) {
    const fs::path canonical = fs::weakly_canonical(directory_, error);
    if (!error) directory_ = canonical.string();
  }
}

std::optional<std::string> DirectoryUiFiles::resolve(std::string_view relative_path) const {
  if (directory_.empty() || relative_path.empty()) return std::nullopt;
  if (relative_path.front() == '/' || relative_path.find('\\') != std::string_view::npos ||
      relative_path.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  for (const auto& part : fs::path(std::string(relative_path))) {
    if (part == "..") return std::nullopt;
  }
  std::error_code error;
  const fs::path candidate = fs::weakly_canonical(fs::path(directory_) / std::string(relative_path), error);
  if (error) return std::nullopt;
  // A symlink inside the build must not lead out of it.
  const std::string text = candidate.string();
  if (text.compare(0, directory_.size(), directory_) != 0 ||
      (text.size() > directory_.size() && text[directory_.size()] != '/')) {
    return std::nullopt;
  }
  if (!fs::is_regular_file(candidate, error)) return std::nullopt;
  return text;
}

void DirectoryUiFiles::serve_index(const Request&, Reply& reply) const {
  const auto index = resolve("index.html");
  auto content = index ? read_file(*index) : std::nullopt;
  if (!content) {
    reply.text(200,
              "Unable to display the MLflow UI: no UI build was given. Start the server with "
              "--static-dir pointing at a static build of the MLflow 2.9 web UI (the folder holding index.html).\n");
    return;
  }
  reply.set_header("Cache-Control", "no-cache");
  reply.send(200, std::move(*content), "text/html; charset=utf-8");
}

void DirectoryUiFiles::serve_file(std::string_view relative_path, const Request&, Reply& reply) const {
  const auto path = resolve(relative_path);
  auto content = path ? read_file(*path) : std::nullopt;
  if (!content) {
    reply.error(404, "ENDPOINT_NOT_FOUND", "The requested file was not found on the server.");
    return;
  }
  // Build files are content-hashed, so they may be cached for long (as the official server does).
  reply.set_header("Cache-Control", "public, max-age=2419200");
  reply.send(200, std::move(*content), content_type_for(*path));
}

}  // namespace mlflowcpp::server::http
