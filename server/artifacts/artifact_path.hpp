#pragma once

// Artifact paths as clients send them ("dir/model.pkl"), checked and put in one
// canonical form before anything touches the disk.

#include <string>
#include <string_view>

namespace mlflowcpp::server {

// `text` percent-decoded until it no longer changes, so "%252e%252e" reads "..".
std::string fully_percent_decoded(std::string_view text);

// True when `text`, percent-decoded as often as it takes, has a ".." segment
// between slashes: the one test of "does this climb out" for every path or URI
// a client sends (artifact paths, model version sources).
bool has_parent_segment_when_decoded(std::string_view text);

// Throws INVALID_PARAMETER_VALUE ("Invalid path") unless `path` is relative and
// free of ".." segments, '#', backslashes, NUL and drive letters, also after
// percent-decoding.
void validate_artifact_path(std::string_view path);

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
