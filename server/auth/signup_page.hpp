#pragma once

// The HTML of the basic-auth app's browser pages: the sign-up form (GET
// /signup) and the page a successful form post answers with. Self-contained:
// no scripts, no external resources; every value is HTML-escaped.

#include <string>
#include <string_view>

namespace mlflowcpp::server::auth {

// `action`: the path the form posts to; `csrf_token`: the form's token (signup_form_token.hpp).
std::string signup_form_html(std::string_view action, std::string_view csrf_token);

// Says `username` was created and links to the UI's home page `home`.
std::string signup_done_html(std::string_view username, std::string_view home);

std::string html_escape(std::string_view text);

}  // namespace mlflowcpp::server::auth
