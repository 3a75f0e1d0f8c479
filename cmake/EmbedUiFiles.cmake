# Turns the web UI's files into one C++ source: each file's bytes as a string literal, its size, its Content-Type
# and an ETag computed here from its content. Run as a script at build time:
#   cmake -DUI_DIR=<server/ui> -DOUTPUT=<generated .cpp> -P EmbedUiFiles.cmake
# It walks UI_DIR itself, so the generated source names exactly the files present when it runs; the caller's file
# list only tells the build when to run it again.
cmake_minimum_required(VERSION 3.25)

if(NOT UI_DIR OR NOT OUTPUT)
  message(FATAL_ERROR "EmbedUiFiles.cmake needs -DUI_DIR=<dir> -DOUTPUT=<file>")
endif()

# The types a browser needs to run the files (it refuses a module script served with another type, and
# X-Content-Type-Options: nosniff makes it trust this header alone).
function(ui_content_type file_name out)
  string(TOLOWER "${file_name}" lower)
  set(type "application/octet-stream")
  if(lower MATCHES "\\.html?$")
    set(type "text/html; charset=utf-8")
  elseif(lower MATCHES "\\.m?js$")
    set(type "application/javascript")
  elseif(lower MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(lower MATCHES "\\.(json|map)$")
    set(type "application/json")
  elseif(lower MATCHES "\\.svg$")
    set(type "image/svg+xml")
  elseif(lower MATCHES "\\.png$")
    set(type "image/png")
  elseif(lower MATCHES "\\.jpe?g$")
    set(type "image/jpeg")
  elseif(lower MATCHES "\\.ico$")
    set(type "image/vnd.microsoft.icon")
  elseif(lower MATCHES "\\.woff2$")
    set(type "font/woff2")
  elseif(lower MATCHES "\\.txt$")
    set(type "text/plain; charset=utf-8")
  endif()
  set(${out} "${type}" PARENT_SCOPE)
endfunction()

# The bytes of `path` as C string literal lines of 64 bytes each, every byte as an escape (so no byte needs
# quoting and no escape runs into the next character).
function(ui_string_literal path out)
  file(READ "${path}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  set(lines "")
  set(offset 0)
  while(offset LESS hex_length)
    string(SUBSTRING "${hex}" ${offset} 128 chunk)
    string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" chunk "${chunk}")
    string(APPEND lines "\n    \"${chunk}\"")
    math(EXPR offset "${offset} + 128")
  endwhile()
  if(lines STREQUAL "")
    set(lines "\"\"")
  endif()
  set(${out} "${lines}" PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE files RELATIVE "${UI_DIR}" LIST_DIRECTORIES false "${UI_DIR}/*")
list(SORT files)

set(literals "")
set(entries "")
set(index 0)
foreach(relative IN LISTS files)
  # Editor leftovers and hidden files are not part of the UI.
  if(relative MATCHES "(^|/)\\." OR relative MATCHES "~$")
    continue()
  endif()
  set(path "${UI_DIR}/${relative}")
  file(SIZE "${path}" size)
  file(SHA256 "${path}" digest)
  string(SUBSTRING "${digest}" 0 32 digest)
  ui_content_type("${relative}" type)
  ui_string_literal("${path}" literal)
  string(APPEND literals "constexpr char kFile${index}[] =${literal};\n")
  string(APPEND entries "    {\"${relative}\", {kFile${index}, ${size}}, \"${type}\", \"\\\"${digest}\\\"\"},\n")
  math(EXPR index "${index} + 1")
endforeach()

set(content "// Generated at build time by cmake/EmbedUiFiles.cmake from server/ui: do not edit.
#include \"server/http/built_in_ui.hpp\"

namespace mlflowcpp::server::http {
namespace {

${literals}
constexpr EmbeddedUiFile kFiles[] = {
${entries}};

}  // namespace

EmbeddedUiFileList built_in_ui_files() { return {kFiles, sizeof(kFiles) / sizeof(kFiles[0])}; }

}  // namespace mlflowcpp::server::http
")

# Rewriting an unchanged source would recompile it for nothing.
file(WRITE "${OUTPUT}.tmp" "${content}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUTPUT}.tmp" "${OUTPUT}")
file(REMOVE "${OUTPUT}.tmp")
