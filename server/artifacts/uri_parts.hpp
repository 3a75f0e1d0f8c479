#pragma once

// URIs split the way Python's urllib.parse.urlparse splits them. MLflow states
// its rules on artifact roots and model version sources in those terms, so the
// same split gives the same verdicts.

#include <string>
#include <string_view>

namespace mlflowcpp::server {

struct UriParts {
  std::string scheme;  // lower case; "" when there is none
  std::string netloc;  // what follows "//" up to the path ("" when absent)
  std::string path;    // without query, fragment and (for the schemes that have them) ";params"
};

// Never throws: text without a scheme is all path.
UriParts split_uri(std::string_view uri);

// The host of a netloc in lower case, without user info and port ("[::1]" -> "::1").
std::string uri_hostname(std::string_view netloc);

// One round of percent-decoding; malformed escapes stay as they are.
std::string percent_decode(std::string_view text);

}  // namespace mlflowcpp::server
