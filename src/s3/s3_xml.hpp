#pragma once

// The few XML documents S3 answers with, read without a general XML parser:
// S3's answers are flat, machine-written documents whose elements we find by name.

#include "s3/s3_client.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlflowcpp::s3::xml {

// The text of every <tag>...</tag> directly inside `document` (in order),
// entities decoded. Nested documents: call again on an element's text.
std::vector<std::string> elements(std::string_view document, std::string_view tag);
// The first element's text, or nullopt.
std::optional<std::string> first(std::string_view document, std::string_view tag);

// &amp; &lt; &gt; &quot; &apos; and numeric references decoded.
std::string decode_entities(std::string_view text);
// The five XML special characters escaped.
std::string escape(std::string_view text);

// <Error><Code>...</Code><Message>...</Message></Error>; empty strings when absent.
struct ErrorDocument {
  std::string code;
  std::string message;
};
ErrorDocument parse_error(std::string_view document);

// One page of a ListObjectsV2 answer.
struct ListPage {
  std::vector<S3Object> objects;
  std::vector<std::string> common_prefixes;
  bool truncated = false;
  std::string next_continuation_token;
};
ListPage parse_list_objects_v2(std::string_view document);

// The UploadId of an InitiateMultipartUploadResult; throws S3Error when absent.
std::string parse_upload_id(std::string_view document);

// The body of a CompleteMultipartUpload request.
std::string complete_multipart_body(const std::vector<CompletedPart>& parts);

}  // namespace mlflowcpp::s3::xml
