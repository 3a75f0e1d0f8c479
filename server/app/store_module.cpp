// The store module's entry points (see include/mlflowcpp/store_module.hpp): the in-process connection behind a
// C boundary that no exception crosses.

#include <mlflowcpp/store_module.hpp>
#include <mlflowcpp/version.hpp>

#include "server/app/in_process_connection.hpp"
#include "server/store/postgres_uri.hpp"

#include <cstring>
#include <exception>
#include <memory>
#include <string>

namespace {

void write_error(const std::string& message, char* buffer, std::size_t size) {
  if (buffer == nullptr || size == 0) return;
  const std::size_t length = std::min(message.size(), size - 1);
  std::memcpy(buffer, message.data(), length);
  buffer[length] = '\0';
}

// Owns the shared connection so the client may hold it by a plain pointer.
class ModuleConnection : public mlflowcpp::Connection {
 public:
  explicit ModuleConnection(std::shared_ptr<mlflowcpp::Connection> inner) : inner_(std::move(inner)) {}
  mlflowcpp::HttpResponse send(const mlflowcpp::HttpRequest& request) override { return inner_->send(request); }

 private:
  std::shared_ptr<mlflowcpp::Connection> inner_;
};

}  // namespace

extern "C" {

const char* mlflowcpp_store_module_version() { return mlflowcpp::kVersion; }

mlflowcpp::Connection* mlflowcpp_store_open_v1(const char* database_uri, const char* default_artifact_root,
                                               char* error_buffer, std::size_t error_buffer_size) {
  const std::string uri = database_uri != nullptr ? database_uri : "";
  try {
    mlflowcpp::server::InProcessOptions options;
    if (default_artifact_root != nullptr) options.default_artifact_root = default_artifact_root;
    return new ModuleConnection(mlflowcpp::server::open_in_process_connection(uri, options));
  } catch (const std::exception& error) {
    write_error("Cannot open the tracking store '" + mlflowcpp::server::store::postgres::redact_password(uri) +
                    "': " + error.what(),
                error_buffer, error_buffer_size);
  } catch (...) {
    write_error("Cannot open the tracking store '" + mlflowcpp::server::store::postgres::redact_password(uri) + "'",
                error_buffer, error_buffer_size);
  }
  return nullptr;
}

void mlflowcpp_store_close_v1(mlflowcpp::Connection* connection) {
  try {
    delete connection;
  } catch (...) {
    // A destructor that throws would end the program at the boundary; the connection is gone either way.
  }
}
}
