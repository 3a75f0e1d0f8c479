#pragma once

// The fields of an HTML form post (application/x-www-form-urlencoded), decoded
// as browsers encode them: '&' between fields, '=' between name and value,
// '+' for a space, percent escapes for the rest.

#include <map>
#include <string>
#include <string_view>

namespace mlflowcpp::server::auth {

// Repeated names keep their first value, as Flask's request.form[name] does.
std::map<std::string, std::string> parse_form_fields(std::string_view body);

// Whether `content_type` (a Content-Type header) names `media_type`, ignoring
// parameters and case ("Application/JSON; charset=utf-8" is application/json).
bool is_media_type(std::string_view content_type, std::string_view media_type);

}  // namespace mlflowcpp::server::auth
