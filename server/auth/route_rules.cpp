#include "server/auth/route_rules.hpp"

namespace mlflowcpp::server::auth {
namespace {

constexpr std::string_view kAjaxPrefix = "/ajax-api/";
constexpr std::string_view kApiPrefix = "/api/";

constexpr std::string_view kMlflow = "/api/2.0/mlflow/";
constexpr std::string_view kArtifacts = "/api/2.0/mlflow-artifacts/";

RouteRule open() { return {Access::kOpen}; }
RouteRule signed_in() { return {Access::kSignedIn}; }
RouteRule admin() { return {Access::kAdmin}; }
RouteRule own_user() { return {Access::kOwnUser}; }

RouteRule needs(Resource resource, Capability capability, FieldSource fields = FieldSource::kMessage) {
  RouteRule rule{Access::kResource, resource, capability};
  rule.fields = fields;
  return rule;
}

RouteRule search(SearchScope scope) {
  RouteRule rule{Access::kSearch};
  rule.search = scope;
  return rule;
}

RouteRule with_grant_update(RouteRule rule, GrantUpdate update) {
  rule.grant_update = update;
  return rule;
}

std::string ajax_as_api(std::string_view pattern) {
  if (pattern.substr(0, kAjaxPrefix.size()) != kAjaxPrefix) return std::string(pattern);
  return std::string(kApiPrefix) + std::string(pattern.substr(kAjaxPrefix.size()));
}

}  // namespace

std::vector<std::string> candidate_patterns(std::string_view pattern, std::string_view static_prefix) {
  std::vector<std::string> candidates;
  const bool has_prefix = !static_prefix.empty() && pattern.substr(0, static_prefix.size()) == static_prefix &&
                          (pattern.size() == static_prefix.size() || pattern[static_prefix.size()] == '/');
  if (has_prefix) candidates.push_back(ajax_as_api(pattern.substr(static_prefix.size())));
  // API routes take no static prefix, even one that itself starts like them ("/api-ui").
  candidates.push_back(ajax_as_api(pattern));
  return candidates;
}

void RouteRules::add(const std::string& method, const std::string& pattern, RouteRule rule) {
  rules_[{method, pattern}] = rule;
}

std::optional<RouteKey> RouteRules::key_of(const std::string& method, std::string_view pattern,
                                           std::string_view static_prefix) const {
  for (auto& candidate : candidate_patterns(pattern, static_prefix)) {
    RouteKey key{method, std::move(candidate)};
    if (rules_.count(key) != 0) return key;
  }
  return std::nullopt;
}

const RouteRule* RouteRules::find(const std::string& method, std::string_view pattern,
                                  std::string_view static_prefix) const {
  const auto key = key_of(method, pattern, static_prefix);
  return key ? &rules_.at(*key) : nullptr;
}

RouteRules RouteRules::basic_auth() {
  using C = Capability;
  using R = Resource;
  RouteRules table;
  const auto api = [&table](const std::string& method, const std::string& path, RouteRule rule) {
    table.add(method, std::string(kMlflow) + path, rule);
  };

  // The server's own routes: health and the UI's files answer everyone, as without authentication.
  table.add("GET", "/health", open());
  table.add("GET", "/static-files/", open());
  table.add("GET", "/version", signed_in());
  // --expose-prometheus: MLflow's auth app checks only that the caller signed in.
  table.add("GET", "/metrics", signed_in());
  table.add("GET", "/", signed_in());
  table.add("GET", "", signed_in());  // the static prefix itself
  api("GET", "gateway-proxy", signed_in());
  api("POST", "gateway-proxy", signed_in());

  // Experiments.
  api("POST", "experiments/create", with_grant_update(signed_in(), GrantUpdate::kGrantExperimentToCreator));
  api("GET", "experiments/search", search(SearchScope::kExperiments));
  api("POST", "experiments/search", search(SearchScope::kExperiments));
  api("GET", "experiments/get", needs(R::kExperimentId, C::kRead));
  api("GET", "experiments/get-by-name", needs(R::kExperimentName, C::kRead));
  api("POST", "experiments/delete", needs(R::kExperimentId, C::kDelete));
  api("POST", "experiments/restore", needs(R::kExperimentId, C::kDelete));
  api("POST", "experiments/update", needs(R::kExperimentId, C::kUpdate));
  api("POST", "experiments/set-experiment-tag", needs(R::kExperimentId, C::kUpdate));
  api("POST", "experiments/delete-experiment-tag", needs(R::kExperimentId, C::kUpdate));
  api("POST", "experiments/search-datasets", search(SearchScope::kExperiments));

  // Runs, their metrics and artifacts: the run's experiment decides.
  api("POST", "runs/create", needs(R::kExperimentId, C::kUpdate));
  api("POST", "runs/search", search(SearchScope::kExperiments));
  api("GET", "runs/get", needs(R::kRun, C::kRead));
  api("POST", "runs/delete", needs(R::kRun, C::kDelete));
  api("POST", "runs/restore", needs(R::kRun, C::kDelete));
  for (const char* write : {"runs/update", "runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag",
                            "runs/log-batch", "runs/log-inputs", "runs/outputs", "runs/log-model"}) {
    api("POST", write, needs(R::kRun, C::kUpdate));
  }
  api("GET", "metrics/get-history", needs(R::kRun, C::kRead));
  api("GET", "metrics/get-history-bulk", needs(R::kRunIdList, C::kRead));
  api("GET", "metrics/get-history-bulk-interval", needs(R::kRunIdsList, C::kRead));
  api("GET", "artifacts/list", needs(R::kRun, C::kRead));
  table.add("GET", "/get-artifact", needs(R::kRun, C::kRead, FieldSource::kQuery));
  api("POST", "upload-artifact", needs(R::kRun, C::kUpdate, FieldSource::kQuery));

  // Logged models: creation needs to write to the experiment; the rest by the id in the path.
  api("POST", "logged-models", needs(R::kExperimentId, C::kUpdate));
  for (const char* method : {"GET", "POST", "PATCH", "DELETE"})
    api(method, "logged-models/", {Access::kLoggedModelPath});

  // Registered models and their versions, by model name.
  api("POST", "registered-models/create", with_grant_update(signed_in(), GrantUpdate::kGrantRegisteredModelToCreator));
  api("GET", "registered-models/search", search(SearchScope::kRegisteredModels));
  api("GET", "model-versions/search", search(SearchScope::kRegisteredModels));
  api("POST", "registered-models/rename",
      with_grant_update(needs(R::kRegisteredModelName, C::kUpdate), GrantUpdate::kRenameRegisteredModelGrants));
  api("DELETE", "registered-models/delete",
      with_grant_update(needs(R::kRegisteredModelName, C::kDelete), GrantUpdate::kDeleteRegisteredModelGrants));
  for (const auto& [method, path] : std::vector<RouteKey>{{"GET", "registered-models/get"},
                                                          {"GET", "registered-models/get-latest-versions"},
                                                          {"POST", "registered-models/get-latest-versions"},
                                                          {"GET", "registered-models/alias"},
                                                          {"GET", "model-versions/get"},
                                                          {"GET", "model-versions/get-download-uri"}}) {
    api(method, path, needs(R::kRegisteredModelName, C::kRead));
  }
  for (const auto& [method, path] : std::vector<RouteKey>{{"PATCH", "registered-models/update"},
                                                          {"POST", "registered-models/set-tag"},
                                                          {"DELETE", "registered-models/delete-tag"},
                                                          {"POST", "registered-models/alias"},
                                                          {"PATCH", "model-versions/update"},
                                                          {"POST", "model-versions/transition-stage"},
                                                          {"POST", "model-versions/set-tag"}}) {
    api(method, path, needs(R::kRegisteredModelName, C::kUpdate));
  }
  RouteRule create_version = needs(R::kRegisteredModelName, C::kUpdate);
  create_version.source_readable = true;
  api("POST", "model-versions/create", create_version);
  // As MLflow: removing a version's tag or an alias counts as a deletion.
  for (const auto& [method, path] : std::vector<RouteKey>{{"DELETE", "registered-models/alias"},
                                                          {"DELETE", "model-versions/delete"},
                                                          {"DELETE", "model-versions/delete-tag"}}) {
    api(method, path, needs(R::kRegisteredModelName, C::kDelete));
  }
  table.add("GET", "/model-versions/get-artifact", needs(R::kRegisteredModelName, C::kRead, FieldSource::kQuery));

  // The artifact proxy: files live under "<experiment_id>/...". Anything else (the root, other
  // top-level directories) belongs to no experiment: admins only.
  const std::string proxy_files = std::string(kArtifacts) + "artifacts/";
  table.add("GET", std::string(kArtifacts) + "artifacts", needs(R::kArtifactPathField, C::kRead, FieldSource::kQuery));
  table.add("GET", proxy_files, needs(R::kArtifactPath, C::kRead));
  table.add("PUT", proxy_files, needs(R::kArtifactPath, C::kUpdate));
  table.add("DELETE", proxy_files, needs(R::kArtifactPath, C::kDelete));
  for (const char* call : {"mpu/create/", "mpu/complete/", "mpu/abort/"}) {
    table.add("POST", std::string(kArtifacts) + call, needs(R::kArtifactPath, C::kUpdate));
  }

  // The basic-auth app's own routes.
  table.add("GET", "/signup", admin());
  api("POST", "users/create", admin());
  api("POST", "users/create-ui", admin());
  api("GET", "users/get", own_user());
  api("PATCH", "users/update-password", own_user());
  api("PATCH", "users/update-admin", admin());
  api("DELETE", "users/delete", admin());
  const std::pair<const char*, const char*> permission_calls[] = {
      {"POST", "create"}, {"GET", "get"}, {"PATCH", "update"}, {"DELETE", "delete"}};
  for (const auto& [method, call] : permission_calls) {
    api(method, std::string("experiments/permissions/") + call, needs(R::kExperimentId, C::kManage));
    api(method, std::string("registered-models/permissions/") + call, needs(R::kRegisteredModelName, C::kManage));
  }
  return table;
}

}  // namespace mlflowcpp::server::auth
