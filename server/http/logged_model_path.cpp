#include "server/http/logged_model_path.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using Outcome = LoggedModelPath::Outcome;
// The calls one path shape takes, by method.
using MethodCalls = std::initializer_list<std::pair<std::string_view, LoggedModelCall>>;

std::string allow_header(const MethodCalls& calls) {
  std::vector<std::string> methods{"OPTIONS"};
  for (const auto& [method, call] : calls) {
    methods.emplace_back(method);
    if (method == "GET") methods.emplace_back("HEAD");
  }
  std::sort(methods.begin(), methods.end());
  std::string allow;
  for (const auto& method : methods) allow += (allow.empty() ? "" : ", ") + method;
  return allow;
}

LoggedModelPath resolve(std::string_view method, const MethodCalls& calls, std::string model_id,
                        std::string tag_key = {}) {
  LoggedModelPath path;
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : method;
  for (const auto& [name, call] : calls) {
    if (name == wanted) {
      path.outcome = Outcome::kCall;
      path.call = call;
      path.model_id = std::move(model_id);
      path.tag_key = std::move(tag_key);
      return path;
    }
  }
  path.outcome = Outcome::kMethodNotAllowed;
  path.allow = allow_header(calls);
  return path;
}

}  // namespace

LoggedModelPath parse_logged_model_path(std::string_view method, std::string_view remainder, bool ui_prefix) {
  const MethodCalls model_calls{
      {"GET", LoggedModelCall::kGet}, {"DELETE", LoggedModelCall::kDelete}, {"PATCH", LoggedModelCall::kFinalize}};
  if (remainder == "search") {
    // Flask tries the search rule and the {model_id} rule alike: another method reads "search" as an id.
    return resolve(method,
                   {{"POST", LoggedModelCall::kSearch},
                    {"GET", LoggedModelCall::kGet},
                    {"DELETE", LoggedModelCall::kDelete},
                    {"PATCH", LoggedModelCall::kFinalize}},
                   std::string(remainder));
  }
  const auto slash = remainder.find('/');
  const std::string model_id(remainder.substr(0, slash));
  if (model_id.empty()) return {};
  if (slash == std::string_view::npos) return resolve(method, model_calls, model_id);

  const std::string_view rest = remainder.substr(slash + 1);
  constexpr std::string_view kTagsPrefix = "tags/";
  if (rest == "tags") return resolve(method, {{"PATCH", LoggedModelCall::kSetTags}}, model_id);
  if (rest.size() > kTagsPrefix.size() && rest.substr(0, kTagsPrefix.size()) == kTagsPrefix) {
    return resolve(method, {{"DELETE", LoggedModelCall::kDeleteTag}}, model_id,
                   std::string(rest.substr(kTagsPrefix.size())));
  }
  if (rest == "params") return resolve(method, {{"POST", LoggedModelCall::kLogParams}}, model_id);
  if (rest == "artifacts/directories") {
    return resolve(method, {{"GET", LoggedModelCall::kListArtifacts}}, model_id);
  }
  if (rest == "artifacts/files" && ui_prefix) {
    return resolve(method, {{"GET", LoggedModelCall::kDownloadArtifact}}, model_id);
  }
  return {};
}

}  // namespace mlflowcpp::server::http
