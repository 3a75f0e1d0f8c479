#pragma once

// The Content-Type an artifact download is sent with, guessed from its name as
// the official server does: a fixed list of text extensions (and the
// extension-less MLmodel / MLproject) is text/plain, other known extensions get
// their usual type, the rest application/octet-stream.

#include <string>
#include <string_view>

namespace mlflowcpp::server {

std::string artifact_mime_type(std::string_view file_name);

}  // namespace mlflowcpp::server
