#pragma once

// The access rule of every route the server registers with the basic-auth app
// on: who may call it, and for resource routes, which field of the request
// names the experiment or registered model it acts on and what the call needs
// of it. Rules are keyed by method and normalised pattern, so a route under
// `/ajax-api/2.0/...` (behind the static prefix) shares the rule of its
// `/api/2.0/...` twin. A route without a rule is for admins only.

#include "server/auth/permission.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::server::auth {

enum class Access {
  kOpen,             // anyone, signed in or not (health, the UI's static files)
  kSignedIn,         // any signed-in user (creations, /version, the UI's index)
  kAdmin,            // admins only (user management)
  kOwnUser,          // the user named by the `username` field, or an admin
  kResource,         // `capability` on the experiment or model `resource` names
  kSearch,           // any signed-in user; results narrowed to what they may read (`search`)
  kLoggedModelPath,  // logged-models/{id}/...: the rule depends on the call the path names
};

// Where a resource route finds the experiment or registered model.
enum class Resource {
  kNone,
  kExperimentId,         // field experiment_id
  kExperimentName,       // field experiment_name
  kRun,                  // field run_id (or its legacy name run_uuid): the run's experiment
  kRunIdList,            // repeated field run_id: every run's experiment
  kRunIdsList,           // repeated field run_ids: every run's experiment
  kRegisteredModelName,  // field name
  kArtifactPath,         // the path after the route's prefix: "<experiment_id>/..."
  kArtifactPathField,    // field path (the proxy's listing): "<experiment_id>/..."
};

// What a search is narrowed by.
enum class SearchScope { kNone, kExperiments, kRegisteredModels };

// The grants a successful (2xx) call changes.
enum class GrantUpdate {
  kNone,
  kGrantExperimentToCreator,       // experiments/create: MANAGE for the caller on the new experiment
  kGrantRegisteredModelToCreator,  // registered-models/create: MANAGE for the caller on `name`
  kRenameRegisteredModelGrants,    // registered-models/rename: grants follow `name` to `new_name`
  kDeleteRegisteredModelGrants,    // registered-models/delete: every grant on `name` goes
};

// Where a route's fields come from.
enum class FieldSource {
  kMessage,  // Request::message(): the query string for GET, the JSON body otherwise
  kQuery,    // the query string only (file routes: their body is the file, or none)
};

struct RouteRule {
  Access access = Access::kAdmin;
  Resource resource = Resource::kNone;
  Capability capability = Capability::kRead;
  SearchScope search = SearchScope::kNone;
  GrantUpdate grant_update = GrantUpdate::kNone;
  FieldSource fields = FieldSource::kMessage;
  // model-versions/create: the run (run_id) and the artifacts (source: runs:/, models:/m-...,
  // mlflow-artifacts:/) a version is made from must be readable too, or the version's artifacts
  // would hand out what the experiment's grants keep back.
  bool source_readable = false;
};

// "GET" and a normalised pattern ("/api/2.0/mlflow/runs/get", "/get-artifact").
using RouteKey = std::pair<std::string, std::string>;

// The patterns a route registered as `pattern` may have its rule filed under,
// in the order they are tried: without the static prefix ("" or "/prefix"),
// and as registered; each with `/ajax-api/` read as `/api/`.
std::vector<std::string> candidate_patterns(std::string_view pattern, std::string_view static_prefix);

class RouteRules {
 public:
  // Every route of the server and of the basic-auth app.
  static RouteRules basic_auth();

  // The key of the rule of `method` on the route registered as `pattern`; nullopt when there is none.
  std::optional<RouteKey> key_of(const std::string& method, std::string_view pattern,
                                 std::string_view static_prefix) const;
  // That rule; null when there is none.
  const RouteRule* find(const std::string& method, std::string_view pattern, std::string_view static_prefix) const;

  const std::map<RouteKey, RouteRule>& rules() const { return rules_; }

 private:
  void add(const std::string& method, const std::string& pattern, RouteRule rule);

  std::map<RouteKey, RouteRule> rules_;
};

}  // namespace mlflowcpp::server::auth
