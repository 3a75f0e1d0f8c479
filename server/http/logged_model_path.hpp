#pragma once

// Which logged-model call a request names. The official server routes
// `logged-models/{model_id}/...` with path parameters; our router has only
// exact and prefix routes, so the path after `.../logged-models/` is taken
// apart here, as Flask would match it:
//   search                      POST   search (any other method: a model id "search")
//   {id}                        GET get, DELETE delete, PATCH finalize
//   {id}/tags                   PATCH  set tags
//   {id}/tags/{key}             DELETE delete a tag (the key is the rest of the path, so it may hold '/')
//   {id}/params                 POST   log params
//   {id}/artifacts/directories  GET    list the model's artifacts
//   {id}/artifacts/files        GET    download one artifact (the UI's ajax prefix only)
// Any other shape (an empty id or key, extra or trailing segments) names no
// endpoint; a known shape with another method is "method not allowed".

#include <string>
#include <string_view>

namespace mlflowcpp::server::http {

enum class LoggedModelCall {
  kSearch,
  kGet,
  kDelete,
  kFinalize,
  kSetTags,
  kDeleteTag,
  kLogParams,
  kListArtifacts,
  kDownloadArtifact,
};

struct LoggedModelPath {
  enum class Outcome {
    kCall,              // `call` on `model_id` (and `tag_key`)
    kNotFound,          // no endpoint has this path
    kMethodNotAllowed,  // the path is an endpoint's, with other methods: `allow` lists them
  };
  Outcome outcome = Outcome::kNotFound;
  LoggedModelCall call = LoggedModelCall::kGet;
  std::string model_id;
  std::string tag_key;
  std::string allow;  // "DELETE, GET, HEAD, OPTIONS, PATCH"
};

// `remainder`: the percent-decoded path after `.../logged-models/`; `ui_prefix`:
// whether it came under the ajax-api prefix (where artifacts/files lives).
// HEAD is taken as GET.
LoggedModelPath parse_logged_model_path(std::string_view method, std::string_view remainder, bool ui_prefix);

}  // namespace mlflowcpp::server::http
