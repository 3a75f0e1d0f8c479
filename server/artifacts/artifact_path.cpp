#include "server/artifacts/artifact_path.hpp"

#include "server/artifacts/uri_parts.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::server {
namespace {

bool has_parent_segment(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

MlflowException invalid_path() { return invalid_parameter("Invalid path"); }

}  // namespace

std::string fully_percent_decoded(std::string_view text) {
  // Each round that changes anything makes the text shorter, so this ends.
  std::string current(text);
  for (;;) {
    std::string decoded = percent_decode(current);
    if (decoded == current) return current;
    current = std::move(decoded);
  }
}

bool has_parent_segment_when_decoded(std::string_view text) {
  return has_parent_segment(fully_percent_decoded(text));
}

void validate_artifact_path(std::string_view raw_path) {
  if (has_parent_segment_when_decoded(raw_path)) throw invalid_path();
  std::string path = fully_percent_decoded(raw_path);
  if (path.find_first_of(std::string_view("#\\\0", 3)) != std::string::npos) throw invalid_path();
  if (path.rfind("file://", 0) == 0) {
    const auto slash = path.find('/', 7);
    path = slash == std::string::npos ? std::string() : path.substr(slash);
  }
  if (!path.empty() && path.front() == '/') throw invalid_path();
  if (path.size() >= 2 && path[1] == ':') throw invalid_path();  // a Windows drive
}

std::string normalize_artifact_path(std::string_view raw_path) {
  validate_artifact_path(raw_path);
  for (const char c : raw_path) {
    // Control characters have no business in a file name and would break headers.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw invalid_path();
  }
  // No ".." is left (a raw ".." segment survives decoding), only empty and "." segments to drop.
  std::string normalized;
  std::size_t start = 0;
  while (start <= raw_path.size()) {
    std::size_t end = raw_path.find('/', start);
    if (end == std::string_view::npos) end = raw_path.size();
    const std::string_view segment = raw_path.substr(start, end - start);
    if (!segment.empty() && segment != ".") {
      if (!normalized.empty()) normalized += '/';
      normalized.append(segment);
    }
    start = end + 1;
  }
  return normalized;
}

std::string join_artifact_path(const std::string& parent, const std::string& child) {
  if (parent.empty()) return child;
  if (child.empty()) return parent;
  return parent + "/" + child;
}

std::string artifact_basename(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace mlflowcpp::server
