#pragma once

// The permissions of MLflow's basic-auth app, as its database stores them
// ("READ", "EDIT", "MANAGE", "NO_PERMISSIONS"), and what each one allows:
// READ reads; EDIT also writes (log, tag, update, rename, create versions,
// artifact uploads); MANAGE also deletes, restores and manages permissions.

#include <optional>
#include <string_view>

namespace mlflowcpp::server::auth {

enum class Permission { kNoPermissions, kRead, kEdit, kManage };

// What a request needs of a resource.
enum class Capability { kRead, kUpdate, kDelete, kManage };

// MLflow's name of `permission`.
std::string_view permission_name(Permission permission);

// The permission named `name` (exact, upper case as MLflow writes it); nullopt for anything else.
std::optional<Permission> find_permission(std::string_view name);

// The permission named `name`; throws MlflowException INVALID_PARAMETER_VALUE
// naming the valid permissions for anything else.
Permission parse_permission(std::string_view name);

bool allows(Permission permission, Capability capability);

}  // namespace mlflowcpp::server::auth
