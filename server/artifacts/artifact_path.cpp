#include "server/artifacts/artifact_path.hpp"

#include "server/service/validation.hpp"

#include <mlflowcpp/errors.hpp>

namespace mlflowcpp::server {

std::string normalize_artifact_path(std::string_view raw_path) {
  // The shared rule first: '..' (after full percent-decoding), absolute paths,
  // drive letters, backslashes, '#' and NUL.
  validation::validate_artifact_path(raw_path);
  for (const char c : raw_path) {
    // Control characters have no business in a file name and would break headers.
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) throw invalid_parameter("Invalid path");
  }
  std::string normalized;
  std::size_t start = 0;
  while (start <= raw_path.size()) {
    std::size_t end = raw_path.find('/', start);
    if (end == std::string_view::npos) end = raw_path.size();
    const std::string_view segment = raw_path.substr(start, end - start);
    if (segment == "..") throw invalid_parameter("Invalid path");
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
