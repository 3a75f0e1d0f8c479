#include <mlflowcpp/logged_model.hpp>

#include <array>
#include <string>
#include <utility>

namespace mlflowcpp {
namespace {

constexpr std::array<std::pair<LoggedModelStatus, std::string_view>, 4> kStatusNames{{
    {LoggedModelStatus::kUnspecified, "LOGGED_MODEL_STATUS_UNSPECIFIED"},
    {LoggedModelStatus::kPending, "LOGGED_MODEL_PENDING"},
    {LoggedModelStatus::kReady, "LOGGED_MODEL_READY"},
    {LoggedModelStatus::kUploadFailed, "LOGGED_MODEL_UPLOAD_FAILED"},
}};

}  // namespace

std::string_view to_string(LoggedModelStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "LOGGED_MODEL_STATUS_UNSPECIFIED";
}

std::optional<LoggedModelStatus> parse_logged_model_status(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    // Protobuf JSON accepts an enum's number as well as its name.
    if (text == name || text == std::to_string(static_cast<int>(value))) return value;
  }
  return std::nullopt;
}

}  // namespace mlflowcpp
