#include "server/store/mysql_uri.hpp"

#include "server/store/postgres_uri.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace mlflowcpp::server::store::mysql {

namespace {

std::string scheme_of(const std::string& uri) {
  const auto end = uri.find("://");
  return end == std::string::npos ? std::string() : uri.substr(0, end);
}

[[noreturn]] void invalid(const std::string& uri, const std::string& why) {
  // The password-redacting helper is scheme-agnostic (user:password@ in the authority).
  throw std::invalid_argument("invalid MySQL URI '" + postgres::redact_password(uri) + "': " + why);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decoded(const std::string& uri, const std::string& text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hex_digit(text[i + 2]) : -1;
    if (high < 0 || low < 0) invalid(uri, "a '%' not followed by two hexadecimal digits");
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return decoded;
}

unsigned int parse_number(const std::string& uri, const std::string& text, const std::string& what) {
  unsigned int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    invalid(uri, what + " '" + text + "' is not a number");
  }
  return value;
}

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : value;
}

void apply_option(const std::string& uri, const std::string& name, const std::string& value,
                  MysqlConnectOptions& options) {
  if (name == "ssl_ca") {
    options.ssl_ca = value;
  } else if (name == "ssl_cert") {
    options.ssl_cert = value;
  } else if (name == "ssl_key") {
    options.ssl_key = value;
  } else if (name == "ssl_mode" || name == "ssl-mode") {
    std::string mode = value;
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::toupper(c); });
    static const char* const kModes[] = {"DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA", "VERIFY_IDENTITY"};
    if (std::find(std::begin(kModes), std::end(kModes), mode) == std::end(kModes)) {
      invalid(uri, "ssl_mode '" + value + "' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
    }
    options.ssl_mode = mode;
  } else if (name == "charset") {
    if (value.empty()) invalid(uri, "charset is empty");
    options.charset = value;
  } else if (name == "connect_timeout") {
    options.connect_timeout_seconds = parse_number(uri, value, "connect_timeout");
  } else {
    invalid(uri,
            "unknown option '" + name + "' (known: ssl_ca, ssl_cert, ssl_key, ssl_mode, charset, connect_timeout)");
  }
}

}  // namespace

bool is_mysql_uri(const std::string& uri) {
  const std::string scheme = scheme_of(uri);
  return scheme.substr(0, scheme.find('+')) == "mysql";
}

MysqlConnectOptions parse_mysql_uri(const std::string& uri) {
  if (!is_mysql_uri(uri)) invalid(uri, "not a mysql:// URI");
  MysqlConnectOptions options;
  std::string rest = uri.substr(scheme_of(uri).size() + 3);
  std::string query;
  if (const auto question = rest.find('?'); question != std::string::npos) {
    query = rest.substr(question + 1);
    rest.resize(question);
  }
  const auto slash = rest.find('/');
  if (slash == std::string::npos || slash + 1 == rest.size())
    invalid(uri, "no database name (mysql://host/<database>)");
  options.database = percent_decoded(uri, rest.substr(slash + 1));
  if (options.database.find('/') != std::string::npos) invalid(uri, "the database name contains '/'");
  std::string authority = rest.substr(0, slash);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const std::string credentials = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = credentials.find(':');
    options.user = percent_decoded(uri, credentials.substr(0, colon));
    if (colon != std::string::npos) options.password = percent_decoded(uri, credentials.substr(colon + 1));
  }
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    const auto close = authority.find(']');
    if (close == std::string::npos) invalid(uri, "an IPv6 host without ']'");
    options.host = authority.substr(1, close - 1);
    authority = authority.substr(close + 1);
    if (!authority.empty() && authority.front() != ':') invalid(uri, "text after the IPv6 host");
    if (!authority.empty()) options.port = parse_number(uri, authority.substr(1), "the port");
  } else {
    const auto colon = authority.find(':');
    if (colon != std::string::npos) options.port = parse_number(uri, authority.substr(colon + 1), "the port");
    if (colon != 0 && !authority.empty()) options.host = authority.substr(0, colon);
  }
  if (options.port == 0 || options.port > 65535) invalid(uri, "the port is out of range");
  size_t start = 0;
  while (start < query.size()) {
    auto end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string pair = query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    const std::string name = percent_decoded(uri, pair.substr(0, equals));
    const std::string value =
        equals == std::string::npos ? std::string() : percent_decoded(uri, pair.substr(equals + 1));
    apply_option(uri, name, value, options);
  }
  if (!options.password) {
    if (const char* password = std::getenv("MYSQL_PWD")) options.password = password;
  }
  if (options.ssl_ca.empty()) options.ssl_ca = environment("MLFLOW_MYSQL_SSL_CA");
  if (options.ssl_cert.empty()) options.ssl_cert = environment("MLFLOW_MYSQL_SSL_CERT");
  if (options.ssl_key.empty()) options.ssl_key = environment("MLFLOW_MYSQL_SSL_KEY");
  return options;
}

}  // namespace mlflowcpp::server::store::mysql
