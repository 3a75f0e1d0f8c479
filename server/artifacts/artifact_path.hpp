#pragma once

// Artifact paths as clients send them ("dir/model.pkl"), checked and put in one
// canonical form before anything touches the disk.

#include <string>
#include <string_view>

namespace mlflowcpp::server {

// The path in canonical relative form: no empty or "." segments, no leading or
// trailing '/' ("" = the artifact root). Throws INVALID_PARAMETER_VALUE
// ("Invalid path") for anything that could leave the root: '..' segments (also
// percent-encoded, once or several times), absolute paths, drive letters,
// backslashes, '#', NUL and other control characters.
std::string normalize_artifact_path(std::string_view raw_path);

// "a/b" + "c" -> "a/b/c"; either side may be "".
std::string join_artifact_path(const std::string& parent, const std::string& child);

// The last segment ("c" for "a/b/c").
std::string artifact_basename(const std::string& path);

}  // namespace mlflowcpp::server
