#include "server/artifacts/artifact_mime_type.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

namespace mlflowcpp::server {

std::string artifact_mime_type(std::string_view file_name) {
  // Served as text/plain so the UI can preview them; matched case-sensitively.
  static const std::unordered_set<std::string_view> kTextExtensions = {
      "txt",  "log",        "err",  "cfg",   "conf", "cnf", "cf",   "ini", "properties",
      "prop", "hocon",      "toml", "yaml",  "yml",  "xml", "json", "js",  "py",
      "py3",  "csv",        "tsv",  "md",    "rst",  "MLmodel", "MLproject"};
  static const std::unordered_map<std::string, std::string> kKnownTypes = {
      {"html", "text/html"},          {"htm", "text/html"},         {"css", "text/css"},
      {"png", "image/png"},           {"jpg", "image/jpeg"},        {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},           {"bmp", "image/bmp"},         {"svg", "image/svg+xml"},
      {"webp", "image/webp"},         {"tif", "image/tiff"},        {"tiff", "image/tiff"},
      {"ico", "image/vnd.microsoft.icon"}, {"pdf", "application/pdf"}, {"zip", "application/zip"},
      {"gz", "application/gzip"},     {"tar", "application/x-tar"}, {"pkl", "application/octet-stream"},
      {"wav", "audio/x-wav"},         {"mp3", "audio/mpeg"},        {"mp4", "video/mp4"},
      {"parquet", "application/octet-stream"}, {"h5", "application/x-hdf5"},
  };
  const auto slash = file_name.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? file_name : file_name.substr(slash + 1);
  const auto dot = name.rfind('.');
  // Python's splitext: a leading dot does not start an extension (".bashrc").
  const bool has_extension = dot != std::string_view::npos && dot != 0 &&
                             name.find_first_not_of('.') < dot;
  const std::string_view extension = has_extension ? name.substr(dot + 1) : name;
  if (kTextExtensions.count(extension)) return "text/plain";
  if (!has_extension) return "application/octet-stream";
  const std::string lower = to_lower_ascii(extension);
  const auto known = kKnownTypes.find(lower);
  return known == kKnownTypes.end() ? "application/octet-stream" : known->second;
}

}  // namespace mlflowcpp::server
