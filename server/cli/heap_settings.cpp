#include "server/cli/heap_settings.hpp"

#include <malloc.h>

#include <cstdlib>

namespace mlflowcpp::cli {
namespace {

// Few arenas: the server runs on a couple of cores, and threads that find
// their arena busy move to another rather than wait long.
constexpr int kArenas = 2;
// Blocks from this size on are mapped on their own and unmapped when freed,
// so a large answer leaves nothing resident behind it.
constexpr int kMmapThresholdBytes = 512 * 1024;
// Free memory at the top of an arena beyond this goes back at once.
constexpr int kTrimThresholdBytes = 1024 * 1024;

bool set_by_user(const char* variable) {
  const char* value = std::getenv(variable);
  return value != nullptr && *value != '\0';
}

}  // namespace

void tune_heap_for_serving() {
  if (set_by_user("GLIBC_TUNABLES")) return;
  if (!set_by_user("MALLOC_ARENA_MAX")) mallopt(M_ARENA_MAX, kArenas);
  if (!set_by_user("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
  if (!set_by_user("MALLOC_TRIM_THRESHOLD_")) mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

}  // namespace mlflowcpp::cli
