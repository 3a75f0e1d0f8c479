#include "client/sync/sync_uris.hpp"

#include <mlflowcpp/sync.hpp>

#include <cstdint>
#include <string_view>

#include <fmt/format.h>

namespace mlflowcpp {
namespace client::sync {
namespace {

std::string_view without_trailing_slashes(std::string_view text) {
  while (text.size() > 1 && text.back() == '/') text.remove_suffix(1);
  return text;
}

// `rest` when `text` is `prefix` or `prefix` + "/" + rest (the "/" kept in the answer); nothing otherwise.
bool strip_path_prefix(std::string_view text, std::string_view prefix, std::string_view& rest) {
  if (prefix.empty() || text.substr(0, prefix.size()) != prefix) return false;
  rest = text.substr(prefix.size());
  return rest.empty() || rest.front() == '/';
}

}  // namespace

std::string rewrite_model_source(const std::string& source, const RunArtifactLocations& runs) {
  std::string_view rest;
  const std::string_view source_root = without_trailing_slashes(runs.source_artifact_uri);
  if (strip_path_prefix(source, source_root, rest)) {
    return std::string(without_trailing_slashes(runs.target_artifact_uri)) + std::string(rest);
  }
  const std::string runs_prefix = "runs:/" + runs.source_run_id;
  if (!runs.source_run_id.empty() && strip_path_prefix(source, runs_prefix, rest)) {
    return "runs:/" + runs.target_run_id + std::string(rest);
  }
  return source;
}

}  // namespace client::sync

std::string sync_store_identity(const std::string& tracking_uri) {
  std::string_view uri = tracking_uri;
  // Query and fragment may carry secrets (a PostgreSQL password, a token) and name no other store.
  if (auto end = uri.find_first_of("?#"); end != std::string_view::npos) uri = uri.substr(0, end);
  std::string identity;
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) {
    identity = std::string(uri);
  } else {
    const std::string_view scheme = uri.substr(0, scheme_end + 3);
    std::string_view after = uri.substr(scheme_end + 3);
    const auto authority_end = after.find('/');
    std::string_view authority = after.substr(0, authority_end);
    const std::string_view path = authority_end == std::string_view::npos ? "" : after.substr(authority_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
    identity = std::string(scheme) + std::string(authority) + std::string(path);
  }
  // A trailing slash names the same store; an empty path ("file:///") stays as it is.
  while (!identity.empty() && identity.back() == '/' && identity.find("://") + 3 < identity.size() - 1) {
    identity.pop_back();
  }
  return identity;
}

std::string sync_target_key(const std::string& target_identity) {
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : target_identity) {
    hash ^= c;
    hash *= 16777619u;
  }
  return fmt::format("{:08x}", hash);
}

}  // namespace mlflowcpp
