#include "server/auth/authentication_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/search/base64.hpp"
#include "text/ascii.hpp"

#include <string_view>
#include <utility>

namespace mlflowcpp::server::auth {
namespace {

constexpr std::string_view kNotAuthenticated =
    "You are not authenticated. Please see "
    "https://www.mlflow.org/docs/latest/auth/index.html#authenticating-to-mlflow on how to authenticate.";

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

AuthenticationFilter::AuthenticationFilter(CredentialCheck check, std::string static_prefix)
    : check_(std::move(check)),
      health_path_(static_prefix + "/health"),
      static_files_prefix_(static_prefix + "/static-files/") {}

bool AuthenticationFilter::is_open(const http::Request& request) const {
  const std::string& path = request.path();
  // OPTIONS reaches no handler: the dispatcher answers it with the methods of the path, the same for everyone.
  if (request.method() == "OPTIONS" && request.route() == nullptr) return true;
  return path == health_path_ || path == "/favicon.ico" || path.rfind(static_files_prefix_, 0) == 0;
}

std::optional<http::Caller> AuthenticationFilter::caller_of(const http::Request& request) const {
  const auto header = request.header("Authorization");
  if (!header) return std::nullopt;
  std::string_view value = trim_spaces(*header);
  constexpr std::string_view kScheme = "basic ";
  if (!starts_with_ignoring_case(value, kScheme)) return std::nullopt;
  value = trim_spaces(value.substr(kScheme.size()));
  const auto decoded = search::detail::base64_decode(value);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return check_(decoded->substr(0, colon), decoded->substr(colon + 1));
}

http::FilterAction AuthenticationFilter::before(http::Request& request, http::Reply& reply) {
  if (is_open(request)) return http::FilterAction::kContinue;
  if (auto caller = caller_of(request)) {
    request.set_caller(std::move(*caller));
    return http::FilterAction::kContinue;
  }
  reply.set_header("WWW-Authenticate", "Basic realm=\"mlflow\"");
  reply.error(401, "UNAUTHENTICATED", kNotAuthenticated);
  return http::FilterAction::kStop;
}

}  // namespace mlflowcpp::server::auth
