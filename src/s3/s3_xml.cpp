#include "s3/s3_xml.hpp"
#include "text/markup_escape.hpp"

#include <cstdlib>

namespace mlflowcpp::s3::xml {
namespace {

void append_utf8(std::string& out, unsigned long code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

std::vector<std::string> elements(std::string_view document, std::string_view tag) {
  const std::string open = "<" + std::string(tag);
  const std::string close = "</" + std::string(tag) + ">";
  std::vector<std::string> found;
  std::size_t position = 0;
  while ((position = document.find(open, position)) != std::string_view::npos) {
    std::size_t after_name = position + open.size();
    // "<Key>" or "<Key attr=...>", not "<KeyCount>".
    if (after_name >= document.size() ||
        (document[after_name] != '>' && document[after_name] != ' ' && document[after_name] != '/')) {
      position = after_name;
      continue;
    }
    std::size_t tag_end = document.find('>', after_name);
    if (tag_end == std::string_view::npos) break;
    if (document[tag_end - 1] == '/') {  // <Tag/>
      found.emplace_back();
      position = tag_end + 1;
      continue;
    }
    std::size_t end = document.find(close, tag_end + 1);
    if (end == std::string_view::npos) break;
    found.push_back(decode_entities(document.substr(tag_end + 1, end - tag_end - 1)));
    position = end + close.size();
  }
  return found;
}

std::optional<std::string> first(std::string_view document, std::string_view tag) {
  auto found = elements(document, tag);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::string decode_entities(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '&') {
      decoded += text[i++];
      continue;
    }
    std::size_t semicolon = text.find(';', i);
    if (semicolon == std::string_view::npos) {
      decoded += text.substr(i);
      break;
    }
    std::string_view entity = text.substr(i + 1, semicolon - i - 1);
    if (entity == "amp") {
      decoded += '&';
    } else if (entity == "lt") {
      decoded += '<';
    } else if (entity == "gt") {
      decoded += '>';
    } else if (entity == "quot") {
      decoded += '"';
    } else if (entity == "apos") {
      decoded += '\'';
    } else if (entity.size() > 1 && entity[0] == '#') {
      std::string number(entity.substr(1));
      bool hex = !number.empty() && (number[0] == 'x' || number[0] == 'X');
      unsigned long code_point = std::strtoul(number.c_str() + (hex ? 1 : 0), nullptr, hex ? 16 : 10);
      append_utf8(decoded, code_point);
    } else {
      decoded += text.substr(i, semicolon - i + 1);  // unknown: kept as written
    }
    i = semicolon + 1;
  }
  return decoded;
}

std::string escape(std::string_view text) { return text::escape_markup(text); }

ErrorDocument parse_error(std::string_view document) {
  ErrorDocument error;
  error.code = first(document, "Code").value_or("");
  error.message = first(document, "Message").value_or("");
  return error;
}

ListPage parse_list_objects_v2(std::string_view document) {
  ListPage page;
  for (const std::string& contents : elements(document, "Contents")) {
    S3Object object;
    object.key = first(contents, "Key").value_or("");
    object.size = std::strtoull(first(contents, "Size").value_or("0").c_str(), nullptr, 10);
    page.objects.push_back(std::move(object));
  }
  for (const std::string& prefix : elements(document, "CommonPrefixes")) {
    page.common_prefixes.push_back(first(prefix, "Prefix").value_or(""));
  }
  page.truncated = first(document, "IsTruncated").value_or("false") == "true";
  page.next_continuation_token = first(document, "NextContinuationToken").value_or("");
  return page;
}

std::string parse_upload_id(std::string_view document) {
  auto upload_id = first(document, "UploadId");
  if (!upload_id || upload_id->empty()) {
    throw S3Error(S3Error::Kind::kOther, 200, "", "S3 answered CreateMultipartUpload without an UploadId");
  }
  return *upload_id;
}

std::string complete_multipart_body(const std::vector<CompletedPart>& parts) {
  std::string body = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const CompletedPart& part : parts) {
    body += "<Part><PartNumber>" + std::to_string(part.part_number) + "</PartNumber><ETag>" + escape(part.etag) +
            "</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  return body;
}

}  // namespace mlflowcpp::s3::xml
