#include "client/store_module_loader.hpp"

#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/store_module.hpp>
#include <mlflowcpp/version.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#ifndef MLFLOWCPP_STORE_MODULE_SONAME
#error "MLFLOWCPP_STORE_MODULE_SONAME must name the store module's soname (set by src/CMakeLists.txt)"
#endif

namespace mlflowcpp::client {
namespace {

constexpr const char* kModuleVariable = "MLFLOWCPP_STORE_MODULE";
constexpr const char* kSoname = MLFLOWCPP_STORE_MODULE_SONAME;

using VersionFunction = decltype(&mlflowcpp_store_module_version);
using OpenFunction = decltype(&mlflowcpp_store_open_v1);
using CloseFunction = decltype(&mlflowcpp_store_close_v1);

// A dlopen() handle, closed last of all that use it.
class ModuleHandle {
 public:
  explicit ModuleHandle(void* handle) : handle_(handle) {}
  ~ModuleHandle() { dlclose(handle_); }
  ModuleHandle(const ModuleHandle&) = delete;
  ModuleHandle& operator=(const ModuleHandle&) = delete;

  void* symbol(const char* name) const { return dlsym(handle_, name); }

 private:
  void* handle_;
};

// The module's connection, with the module kept loaded until that connection is gone.
class StoreModuleConnection : public Connection {
 public:
  StoreModuleConnection(std::shared_ptr<ModuleHandle> module, Connection* inner, CloseFunction close,
                        ResolvedClientOptions options)
      : module_(std::move(module)), inner_(inner), close_(close), options_(std::move(options)) {}
  ~StoreModuleConnection() override { close_(inner_); }
  StoreModuleConnection(const StoreModuleConnection&) = delete;
  StoreModuleConnection& operator=(const StoreModuleConnection&) = delete;

  HttpResponse send(const HttpRequest& request) override { return inner_->send(request); }
  HttpResponse send_with_files(const HttpRequest& request, const FileTransfer& files) override {
    return inner_->send_with_files(request, files);
  }
  // The settings the client was made with: they carry its switches (asynchronous logging, ...).
  const ResolvedClientOptions* resolved_options() const override { return &options_; }

 private:
  std::shared_ptr<ModuleHandle> module_;  // declared first: destroyed after the connection
  Connection* inner_;
  CloseFunction close_;
  ResolvedClientOptions options_;
};

std::string lower(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  return lowered;
}

// The directory of the shared object (or program) this code is in, with a trailing '/'; "" when unknown.
std::string own_directory() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&is_database_uri), &info) == 0 || info.dli_fname == nullptr) return "";
  const std::string file = info.dli_fname;
  const auto slash = file.rfind('/');
  return slash == std::string::npos ? "" : file.substr(0, slash + 1);
}

struct LoadedModule {
  std::shared_ptr<ModuleHandle> handle;
  std::string location;
};

LoadedModule load_module(const EnvironmentLookup& environment) {
  std::vector<std::string> candidates;
  const auto explicit_path = environment(kModuleVariable);
  if (explicit_path && !explicit_path->empty()) {
    candidates.push_back(*explicit_path);
  } else {
    if (const std::string directory = own_directory(); !directory.empty()) candidates.push_back(directory + kSoname);
    candidates.push_back(kSoname);
  }
  std::string attempts;
  for (const auto& candidate : candidates) {
    dlerror();
    // RTLD_LOCAL: the module's own copies of shared code stay apart from the program's.
    if (void* handle = dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      return {std::make_shared<ModuleHandle>(handle), candidate};
    }
    const char* reason = dlerror();
    attempts += "\n  " + candidate + ": " + (reason != nullptr ? reason : "not loadable");
  }
  throw invalid_parameter(
      std::string("Tracking into a database with no server needs the mlflowcpp store module ") + kSoname +
      ", which could not be loaded. Looked for it at:" + attempts +
      "\nInstall it with mlflowcpp (it is built with the server, MLFLOWCPP_BUILD_SERVER=ON, and installed next to "
      "libmlflowcpp), or set " + kModuleVariable + " to its path.");
}

}  // namespace

bool is_database_uri(std::string_view uri) {
  const auto separator = uri.find(':');
  if (separator == std::string_view::npos) return false;
  const std::string scheme = lower(uri.substr(0, separator));
  return scheme == "sqlite" || scheme == "postgresql" || scheme == "postgres" ||
         scheme.rfind("postgresql+", 0) == 0;
}

std::shared_ptr<Connection> open_store_module_connection(const ResolvedClientOptions& options,
                                                         const EnvironmentLookup& environment) {
  LoadedModule module = load_module(environment);
  const auto version = reinterpret_cast<VersionFunction>(module.handle->symbol("mlflowcpp_store_module_version"));
  const auto open = reinterpret_cast<OpenFunction>(module.handle->symbol("mlflowcpp_store_open_v1"));
  const auto close = reinterpret_cast<CloseFunction>(module.handle->symbol("mlflowcpp_store_close_v1"));
  if (version == nullptr || open == nullptr || close == nullptr) {
    throw invalid_parameter(module.location + " is not an mlflowcpp store module of this version (it lacks "
                            "mlflowcpp_store_open_v1); install the one of mlflowcpp " + std::string(kVersion) + ".");
  }
  // The connection is a C++ object shared across the boundary: only the same version lays it out the same way.
  if (std::string(version()) != kVersion) {
    throw invalid_parameter(module.location + " is the store module of mlflowcpp " + version() +
                            "; this library is mlflowcpp " + kVersion + ": install the matching module.");
  }
  std::array<char, 2048> error{};
  const auto root = environment("MLFLOW_DEFAULT_ARTIFACT_ROOT");
  Connection* inner = open(options.tracking_uri.c_str(), root ? root->c_str() : nullptr, error.data(), error.size());
  if (inner == nullptr) throw invalid_parameter(error.data());
  return std::make_shared<StoreModuleConnection>(std::move(module.handle), inner, close, options);
}

}  // namespace mlflowcpp::client
