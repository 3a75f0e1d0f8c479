#pragma once

// The server's own web UI (server/ui), built into the program: the definition is generated at build time by
// cmake/EmbedUiFiles.cmake, in the library mlflowcpp_built_in_ui, which only the server program links.

#include "server/http/embedded_ui_files.hpp"

namespace mlflowcpp::server::http {

EmbeddedUiFileList built_in_ui_files();

}  // namespace mlflowcpp::server::http
