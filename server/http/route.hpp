#pragma once

// One route of the server: which requests it takes (methods and an exact path
// or a path prefix), how its body arrives (read whole, within a cap, before
// the handler; or streamed to the handler as it arrives), which part of the
// API it belongs to (for the serving-mode gates), and its handler.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace mlflowcpp::server::http {

class Request;
class Reply;

using Handler = std::function<void(Request& request, Reply& reply)>;

enum class PathMatch {
  kExact,   // the path is `pattern`
  kPrefix,  // the path starts with `pattern` and goes on (the rest is the route remainder)
};

enum class BodyHandling {
  kBuffered,  // read whole before the handler, within max_body_bytes
  kStreamed,  // the handler reads it (Request::read_body) as it arrives
};

// The part of the API a route serves; --artifacts-only and --no-serve-artifacts switch parts off.
enum class ApiFamily {
  kServer,         // health, version, the UI
  kTracking,       // experiments, runs, metrics
  kRegistry,       // registered models and model versions
  kArtifactProxy,  // mlflow-artifacts: the proxy's files and multipart calls
  kArtifactFiles,  // the UI's run artifact downloads and uploads
};

struct Route {
  std::vector<std::string> methods;  // upper case; a GET route answers HEAD too
  std::string pattern;               // the exact path, or the prefix (ending in '/')
  PathMatch match = PathMatch::kExact;
  BodyHandling body = BodyHandling::kBuffered;
  // Body cap in bytes, checked against Content-Length before any byte is read;
  // kDefaultBodyLimit = the server's cap for bodies read into memory, 0 = none.
  std::size_t max_body_bytes = kDefaultBodyLimit;
  ApiFamily family = ApiFamily::kServer;
  Handler handler;

  static constexpr std::size_t kDefaultBodyLimit = static_cast<std::size_t>(-1);
};

}  // namespace mlflowcpp::server::http
