#include "server/store/postgres_uri.hpp"

#include <libpq-fe.h>

#include <stdexcept>

namespace mlflowcpp::server::store::postgres {

namespace {

// "postgresql", "postgres", "postgresql+psycopg2": the scheme with its driver; "" when there is none.
std::string scheme_of(const std::string& uri) {
  const auto end = uri.find("://");
  return end == std::string::npos ? std::string() : uri.substr(0, end);
}

std::string scheme_without_driver(const std::string& scheme) { return scheme.substr(0, scheme.find('+')); }

}  // namespace

bool is_postgres_uri(const std::string& uri) {
  const std::string database = scheme_without_driver(scheme_of(uri));
  return database == "postgresql" || database == "postgres";
}

std::string libpq_uri(const std::string& uri) {
  if (!is_postgres_uri(uri)) throw std::invalid_argument("not a PostgreSQL URI: '" + redact_password(uri) + "'");
  std::string converted = "postgresql" + uri.substr(scheme_of(uri).size());
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(converted.c_str(), &error);
  if (options == nullptr) {
    std::string message = error == nullptr ? "out of memory" : error;
    PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw std::invalid_argument("invalid PostgreSQL URI '" + redact_password(uri) + "': " + message);
  }
  PQconninfoFree(options);
  return converted;
}

std::string redact_password(const std::string& uri) {
  const auto authority = uri.find("://");
  if (authority == std::string::npos) return uri;
  const auto start = authority + 3;
  const auto at = uri.find('@', start);
  const auto path = uri.find_first_of("/?", start);
  if (at == std::string::npos || (path != std::string::npos && path < at)) return uri;
  const auto colon = uri.find(':', start);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

}  // namespace mlflowcpp::server::store::postgres
