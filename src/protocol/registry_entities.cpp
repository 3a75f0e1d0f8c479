#include <mlflowcpp/registry_entities.hpp>

#include <array>
#include <utility>

namespace mlflowcpp {
namespace {

constexpr std::array<std::pair<ModelVersionStatus, std::string_view>, 3> kStatusNames{{
    {ModelVersionStatus::kPendingRegistration, "PENDING_REGISTRATION"},
    {ModelVersionStatus::kFailedRegistration, "FAILED_REGISTRATION"},
    {ModelVersionStatus::kReady, "READY"},
}};

}  // namespace

std::string_view to_string(ModelVersionStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "READY";
}

std::optional<ModelVersionStatus> parse_model_version_status(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    // Protobuf JSON accepts an enum's number as well as its name.
    if (text == name || text == std::to_string(static_cast<int>(value))) return value;
  }
  return std::nullopt;
}

}  // namespace mlflowcpp
