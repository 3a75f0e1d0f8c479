#include "server/auth/permission.hpp"

#include <mlflowcpp/errors.hpp>

#include <array>
#include <string>

namespace mlflowcpp::server::auth {
namespace {

struct NamedPermission {
  Permission permission;
  std::string_view name;
};

// In MLflow's order, which its error message lists.
constexpr std::array<NamedPermission, 4> kPermissions{{
    {Permission::kRead, "READ"},
    {Permission::kEdit, "EDIT"},
    {Permission::kManage, "MANAGE"},
    {Permission::kNoPermissions, "NO_PERMISSIONS"},
}};

}  // namespace

std::string_view permission_name(Permission permission) {
  for (const auto& named : kPermissions) {
    if (named.permission == permission) return named.name;
  }
  return "NO_PERMISSIONS";
}

std::optional<Permission> find_permission(std::string_view name) {
  for (const auto& named : kPermissions) {
    if (named.name == name) return named.permission;
  }
  return std::nullopt;
}

Permission parse_permission(std::string_view name) {
  if (const auto permission = find_permission(name)) return *permission;
  throw MlflowException(ErrorCode::kInvalidParameterValue,
                        "Invalid permission '" + std::string(name) +
                            "'. Valid permissions are: ('READ', 'EDIT', 'MANAGE', 'NO_PERMISSIONS')");
}

bool allows(Permission permission, Capability capability) {
  switch (permission) {
    case Permission::kManage:
      return true;
    case Permission::kEdit:
      return capability == Capability::kRead || capability == Capability::kUpdate;
    case Permission::kRead:
      return capability == Capability::kRead;
    case Permission::kNoPermissions:
      return false;
  }
  return false;
}

}  // namespace mlflowcpp::server::auth
