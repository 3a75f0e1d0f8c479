#include <mlflowcpp/entities.hpp>

#include <array>
#include <utility>

namespace mlflowcpp {
namespace {

template <typename Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

constexpr NameTable<RunStatus, 5> kRunStatusNames{{
    {RunStatus::kRunning, "RUNNING"},
    {RunStatus::kScheduled, "SCHEDULED"},
    {RunStatus::kFinished, "FINISHED"},
    {RunStatus::kFailed, "FAILED"},
    {RunStatus::kKilled, "KILLED"},
}};

constexpr NameTable<ViewType, 3> kViewTypeNames{{
    {ViewType::kActiveOnly, "ACTIVE_ONLY"},
    {ViewType::kDeletedOnly, "DELETED_ONLY"},
    {ViewType::kAll, "ALL"},
}};

constexpr NameTable<LifecycleStage, 2> kLifecycleNames{{
    {LifecycleStage::kActive, "active"},
    {LifecycleStage::kDeleted, "deleted"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const NameTable<Enum, N>& table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return {};
}

// Enums travel by name; protobuf JSON also accepts their numbers.
template <typename Enum, std::size_t N>
std::optional<Enum> parse_enum(const NameTable<Enum, N>& table, std::string_view text, bool numbered) {
  for (const auto& [candidate, name] : table) {
    if (name == text) return candidate;
    if (numbered && text == std::to_string(static_cast<int>(candidate))) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(RunStatus status) { return name_of(kRunStatusNames, status); }
std::string_view to_string(ViewType view) { return name_of(kViewTypeNames, view); }
std::string_view to_string(LifecycleStage stage) { return name_of(kLifecycleNames, stage); }

std::optional<RunStatus> parse_run_status(std::string_view text) { return parse_enum(kRunStatusNames, text, true); }
std::optional<ViewType> parse_view_type(std::string_view text) { return parse_enum(kViewTypeNames, text, true); }
std::optional<LifecycleStage> parse_lifecycle_stage(std::string_view text) {
  return parse_enum(kLifecycleNames, text, false);
}

}  // namespace mlflowcpp
