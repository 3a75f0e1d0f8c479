#pragma once

// glibc malloc settings for a long-running server with many threads.
//
// By default glibc gives threads up to 8 arenas per core and lets its mmap
// threshold rise each time a large block is freed. With a pool of serving
// threads that means many arenas each keeping its own freed memory resident
// (the resident size of a loaded server creeps up and stays there), and large
// answers (a long metric history, a big search) that, once served, are
// carved out of the heap and kept rather than given back.

namespace mlflowcpp::cli {

// Caps the arenas and fixes the mmap and trim thresholds. Call before any
// thread starts. A setting the user made (MALLOC_ARENA_MAX, GLIBC_TUNABLES,
// ...) is left alone.
void tune_heap_for_serving();

}  // namespace mlflowcpp::cli
