#include "server/auth/signup_page.hpp"
#include "text/markup_escape.hpp"

namespace mlflowcpp::server::auth {
namespace {

constexpr std::string_view kStyle = R"(<style>
  body { font-family: Arial, sans-serif; font-size: 14px; line-height: 1.5; }
  main { max-width: 400px; margin: 40px auto; padding: 20px; background: #f5f5f5; border: 1px solid #ccc;
         border-radius: 4px; }
  input[type=text], input[type=password] { width: 100%; padding: 8px; margin: 4px 0 12px; box-sizing: border-box; }
  button { background: #2272b4; color: #fff; border: none; border-radius: 4px; padding: 10px 20px; cursor: pointer; }
</style>)";

std::string page(std::string_view title, std::string_view body) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>";
  html.append(title).append("</title>\n").append(kStyle).append("\n</head>\n<body>\n<main>\n");
  html.append(body).append("</main>\n</body>\n</html>\n");
  return html;
}

}  // namespace

std::string html_escape(std::string_view text) { return text::escape_markup(text); }

std::string signup_form_html(std::string_view action, std::string_view csrf_token) {
  std::string body = "<h1>Sign up a user</h1>\n<form action=\"" + html_escape(action) + "\" method=\"post\">\n";
  body += "  <input type=\"hidden\" name=\"csrf_token\" value=\"" + html_escape(csrf_token) + "\">\n";
  body +=
      "  <label for=\"username\">Username</label>\n"
      "  <input type=\"text\" id=\"username\" name=\"username\" required autocomplete=\"off\">\n"
      "  <label for=\"password\">Password (at least 12 characters)</label>\n"
      "  <input type=\"password\" id=\"password\" name=\"password\" minlength=\"12\" required "
      "autocomplete=\"new-password\">\n"
      "  <button type=\"submit\">Sign up</button>\n"
      "</form>\n";
  return page("MLflow: sign up", body);
}

std::string signup_done_html(std::string_view username, std::string_view home) {
  std::string body = "<h1>User created</h1>\n<p>Successfully signed up user: " + html_escape(username) + "</p>\n";
  body += "<p><a href=\"" + html_escape(home) + "\">Back to MLflow</a></p>\n";
  return page("MLflow: user created", body);
}

}  // namespace mlflowcpp::server::auth
