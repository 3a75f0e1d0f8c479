#include "server/auth/route_protection.hpp"

#include "server/artifacts/artifact_path.hpp"
#include "server/auth/route_rules.hpp"
#include "server/http/logged_model_path.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/router.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cctype>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

namespace mlflowcpp::server::auth {
namespace {

using http::Caller;
using http::Reply;
using http::Request;
using http::RequestMessage;
using search::IdScope;

MlflowException permission_denied() { return MlflowException(ErrorCode::kPermissionDenied, "Permission denied"); }

bool is_decimal(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// The experiment an artifact proxy path belongs to ("12/runid/artifacts/f" -> "12"); nullopt for a
// path outside every experiment's directory (the root, or a top-level name that is no experiment id).
// Read from the canonical form, as the handler will read it, so ".." or "./" cannot point elsewhere.
std::optional<std::string> experiment_of_artifact_path(std::string_view raw_path) {
  const std::string path = normalize_artifact_path(raw_path);
  std::string first = path.substr(0, path.find('/'));
  if (!is_decimal(first)) return std::nullopt;
  return first;
}

// What a route is, as far as its checks go, and its rules by method.
struct GuardedRoute {
  std::string pattern;
  bool prefix = false;
  bool streamed = false;
  bool under_ajax_prefix = false;  // logged-model paths: artifacts/files lives there alone
  std::map<std::string, RouteRule> rules;

  // A method without a rule is for admins only.
  RouteRule rule_for(const std::string& method) const {
    const auto found = rules.find(method == "HEAD" ? std::string("GET") : method);
    return found == rules.end() ? RouteRule{} : found->second;
  }
};

// The checks, shared by every wrapped route. Stateless between requests.
class RouteGuard {
 public:
  RouteGuard(AuthStore& store, ResourceResolver& resolver, ProtectionOptions options)
      : store_(store), resolver_(resolver), options_(std::move(options)) {}

  void serve(const GuardedRoute& route, const http::Handler& handler, Request& request, Reply& reply) {
    const RouteRule rule = route.rule_for(request.method());
    if (rule.access == Access::kOpen) {
      handler(request, reply);
      return;
    }
    // Authentication sets the caller on every route that is not open; without one (authentication
    // left out by mistake) nothing gets through.
    if (!request.caller()) throw MlflowException(ErrorCode::kUnauthenticated, "Authentication required");
    const Caller& caller = *request.caller();
    if (!caller.is_admin) authorize(route, rule, caller, request);
    handler(request, reply);
    if (rule.grant_update != GrantUpdate::kNone && reply.status() >= 200 && reply.status() < 300) {
      update_grants(rule.grant_update, caller, request);
    }
  }

 private:
  // Throws PERMISSION_DENIED when `caller` (no admin) may not make the call; narrows searches.
  void authorize(const GuardedRoute& route, const RouteRule& rule, const Caller& caller, Request& request) {
    switch (rule.access) {
      case Access::kOpen:
      case Access::kSignedIn:
        return;
      case Access::kAdmin:
        throw permission_denied();
      case Access::kOwnUser:
        if (fields_of(route, rule, request).string_or_empty("username") != caller.username) throw permission_denied();
        return;
      case Access::kResource:
        check_resource(route, rule, caller, request);
        return;
      case Access::kSearch:
        request.set_read_scope(read_scope(caller, rule.search));
        return;
      case Access::kLoggedModelPath:
        check_logged_model_path(route, caller, request);
        return;
    }
    throw permission_denied();
  }

  // The fields of the request as the rule reads them. Streamed routes never have their body read here.
  static RequestMessage fields_of(const GuardedRoute& route, const RouteRule& rule, const Request& request) {
    if (route.streamed || rule.fields == FieldSource::kQuery) return RequestMessage::from_query(request.query());
    return request.message();
  }

  static std::string remainder_of(const GuardedRoute& route, const Request& request) {
    if (!route.prefix || request.path().size() < route.pattern.size()) return "";
    return request.path().substr(route.pattern.size());
  }

  void check_resource(const GuardedRoute& route, const RouteRule& rule, const Caller& caller, const Request& request) {
    const Capability capability = rule.capability;
    switch (rule.resource) {
      case Resource::kNone:
        throw permission_denied();
      case Resource::kExperimentId:
        require_on_experiment(caller, fields_of(route, rule, request).string_or_empty("experiment_id"), capability);
        return;
      case Resource::kExperimentName: {
        const std::string name = fields_of(route, rule, request).required_string("experiment_name");
        require_on_experiment(caller, resolver_.experiment_id_by_name(name), capability);
        return;
      }
      case Resource::kRun:
        require_on_experiment(caller, resolver_.experiment_of_run(run_id_of(fields_of(route, rule, request))),
                              capability);
        return;
      case Resource::kRunIdList:
      case Resource::kRunIdsList: {
        const char* field = rule.resource == Resource::kRunIdList ? "run_id" : "run_ids";
        std::set<std::string> experiments;
        for (const auto& run_id : fields_of(route, rule, request).string_list(field)) {
          experiments.insert(resolver_.experiment_of_run(run_id));
        }
        for (const auto& experiment_id : experiments) require_on_experiment(caller, experiment_id, capability);
        return;
      }
      case Resource::kRegisteredModelName:
        require(allows(registered_model_permission(caller, fields_of(route, rule, request).string_or_empty("name")),
                       capability));
        if (rule.source_readable) require_source_readable(caller, fields_of(route, rule, request));
        return;
      case Resource::kArtifactPath:
      case Resource::kArtifactPathField: {
        const std::string path = rule.resource == Resource::kArtifactPath
                                     ? remainder_of(route, request)
                                     : fields_of(route, rule, request).string_or_empty("path");
        const auto experiment_id = experiment_of_artifact_path(path);
        if (!experiment_id) throw permission_denied();  // outside every experiment: admins only
        require_on_experiment(caller, *experiment_id, capability);
        return;
      }
    }
    throw permission_denied();
  }

  void require_source_readable(const Caller& caller, const RequestMessage& fields) {
    const std::string run_id = fields.string_or_empty("run_id");
    if (!run_id.empty()) require_on_experiment(caller, resolver_.experiment_of_run(run_id), Capability::kRead);
    const std::string source = fields.string_or_empty("source");
    const auto after = [&source](std::string_view scheme) -> std::optional<std::string> {
      if (source.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
      std::string rest = source.substr(scheme.size());
      if (rest.compare(0, 2, "//") == 0) {  // an authority ("mlflow-artifacts://host/...") names no experiment
        const auto slash = rest.find('/', 2);
        rest = slash == std::string::npos ? "" : rest.substr(slash);
      }
      while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
      return rest;
    };
    std::optional<std::string> experiment_id;
    if (const auto rest = after("runs:")) {
      experiment_id = resolver_.experiment_of_run(rest->substr(0, rest->find('/')));
    } else if (const auto model = after("models:"); model && model->compare(0, 2, "m-") == 0) {
      experiment_id = resolver_.experiment_of_logged_model(model->substr(0, model->find('/')));
    } else if (const auto path = after("mlflow-artifacts:")) {
      experiment_id = experiment_of_artifact_path(*path);
      if (!experiment_id) throw permission_denied();  // outside every experiment: admins only
    }
    if (experiment_id) require_on_experiment(caller, *experiment_id, Capability::kRead);
  }

  static std::string run_id_of(const RequestMessage& fields) {
    std::string run_id = fields.string_or_empty("run_id");
    if (run_id.empty()) run_id = fields.string_or_empty("run_uuid");
    if (run_id.empty()) throw invalid_parameter("Missing value for required parameter 'run_id'.");
    return run_id;
  }

  void check_logged_model_path(const GuardedRoute& route, const Caller& caller, Request& request) {
    const http::LoggedModelPath path =
        http::parse_logged_model_path(request.method(), remainder_of(route, request), route.under_ajax_prefix);
    // A path that names no call gets its 404 or 405 from the handler, which reads nothing.
    if (path.outcome != http::LoggedModelPath::Outcome::kCall) return;
    Capability capability = Capability::kRead;
    switch (path.call) {
      case http::LoggedModelCall::kSearch:
        request.set_read_scope(read_scope(caller, SearchScope::kExperiments));
        return;
      case http::LoggedModelCall::kGet:
      case http::LoggedModelCall::kListArtifacts:
      case http::LoggedModelCall::kDownloadArtifact:
        capability = Capability::kRead;
        break;
      case http::LoggedModelCall::kFinalize:
      case http::LoggedModelCall::kSetTags:
      case http::LoggedModelCall::kLogParams:
        capability = Capability::kUpdate;
        break;
      case http::LoggedModelCall::kDelete:
      case http::LoggedModelCall::kDeleteTag:  // as MLflow: removing a tag counts as a deletion
        capability = Capability::kDelete;
        break;
    }
    require_on_experiment(caller, resolver_.experiment_of_logged_model(path.model_id), capability);
  }

  static void require(bool allowed) {
    if (!allowed) throw permission_denied();
  }

  void require_on_experiment(const Caller& caller, const std::string& experiment_id, Capability capability) {
    require(allows(store_.experiment_permission(caller.user_id, experiment_id).value_or(options_.default_permission),
                   capability));
  }

  Permission registered_model_permission(const Caller& caller, const std::string& name) {
    return store_.registered_model_permission(caller.user_id, name).value_or(options_.default_permission);
  }

  // The ids a search may return: with a readable default, all but those whose grant does not allow
  // reading; otherwise only those whose grant does. A stored permission of unknown name allows nothing.
  template <typename Grant, typename IdOf>
  IdScope scope_of(const std::vector<Grant>& grants, IdOf id_of) const {
    const bool default_readable = allows(options_.default_permission, Capability::kRead);
    std::vector<std::string> listed;
    for (const Grant& grant : grants) {
      const std::optional<Permission> permission = find_permission(grant.permission);
      const bool readable = permission && allows(*permission, Capability::kRead);
      if (readable != default_readable) listed.push_back(id_of(grant));
    }
    return default_readable ? IdScope::all_except(std::move(listed)) : IdScope::only(std::move(listed));
  }

  http::ReadScope read_scope(const Caller& caller, SearchScope search) {
    http::ReadScope scope;
    if (search == SearchScope::kExperiments) {
      scope.experiments = scope_of(store_.list_experiment_grants(caller.user_id),
                                   [](const ExperimentGrant& grant) { return grant.experiment_id; });
    } else if (search == SearchScope::kRegisteredModels) {
      scope.registered_models = scope_of(store_.list_registered_model_grants(caller.user_id),
                                         [](const RegisteredModelGrant& grant) { return grant.name; });
    }
    return scope;
  }

  // After a successful call. The resource exists by now: a grant that cannot be written is reported
  // and the call's answer stands (an admin can grant it by hand), rather than answering an error for
  // a creation that happened.
  void update_grants(GrantUpdate update, const Caller& caller, const Request& request) {
    try {
      const RequestMessage& fields = request.message();
      switch (update) {
        case GrantUpdate::kNone:
          return;
        case GrantUpdate::kGrantExperimentToCreator:
          store_.create_experiment_grant(resolver_.experiment_id_by_name(fields.required_string("name")),
                                         caller.username, Permission::kManage);
          return;
        case GrantUpdate::kGrantRegisteredModelToCreator:
          store_.create_registered_model_grant(fields.required_string("name"), caller.username, Permission::kManage);
          return;
        case GrantUpdate::kRenameRegisteredModelGrants:
          store_.rename_registered_model_grants(fields.required_string("name"), fields.required_string("new_name"));
          return;
        case GrantUpdate::kDeleteRegisteredModelGrants:
          store_.delete_registered_model_grants(fields.required_string("name"));
          return;
      }
    } catch (const std::exception& error) {
      warn("mlflowcpp server: " + request.method() + " " + request.path() + " succeeded, but its grants for user '" +
           caller.username + "' could not be updated: " + error.what());
    }
  }

  void warn(const std::string& message) const {
    if (options_.warn) {
      options_.warn(message);
    } else {
      std::cerr << message << "\n";
    }
  }

  AuthStore& store_;
  ResourceResolver& resolver_;
  const ProtectionOptions options_;
};

}  // namespace

void protect_routes(http::Router& router, AuthStore& store, ResourceResolver& resolver,
                    const ProtectionOptions& options) {
  const auto guard = std::make_shared<RouteGuard>(store, resolver, options);
  const RouteRules rules = RouteRules::basic_auth();
  router.for_each_route([&](http::Route& route) {
    auto guarded = std::make_shared<GuardedRoute>();
    guarded->pattern = route.pattern;
    guarded->prefix = route.match == http::PathMatch::kPrefix;
    guarded->streamed = route.body == http::BodyHandling::kStreamed;
    guarded->under_ajax_prefix = route.pattern.find("/ajax-api/") != std::string::npos;
    for (const auto& method : route.methods) {
      if (const RouteRule* rule = rules.find(method, route.pattern, options.static_prefix)) {
        guarded->rules.emplace(method, *rule);
      }
    }
    route.handler = [guard, guarded = std::move(guarded), handler = std::move(route.handler)](
                        Request& request, Reply& reply) { guard->serve(*guarded, handler, request, reply); };
  });
}

}  // namespace mlflowcpp::server::auth
