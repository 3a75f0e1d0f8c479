#pragma once

// --backend-store-uri values that name a MySQL or MariaDB database.

#include <optional>
#include <string>

namespace mlflowcpp::server::store::mysql {

// How to reach one database: what a mysql:// URI says, plus the fallbacks
// MLflow reads from the environment (MYSQL_PWD, MLFLOW_MYSQL_SSL_*).
struct MysqlConnectOptions {
  std::string host = "localhost";
  unsigned int port = 3306;
  std::string user;
  std::optional<std::string> password;
  std::string database;
  std::string ssl_ca;
  std::string ssl_cert;
  std::string ssl_key;
  // "DISABLED", "PREFERRED", "REQUIRED", "VERIFY_CA" or "VERIFY_IDENTITY" (any case); empty: the client's default.
  std::string ssl_mode;
  std::string charset = "utf8mb4";
  unsigned int connect_timeout_seconds = 10;
};

// mysql:// and the SQLAlchemy spellings with a driver (mysql+pymysql://,
// mysql+mysqldb://, mysql+mysqlconnector://, ...). MLflow accepts no other
// scheme for MySQL or MariaDB (mariadb:// is not one of its database types).
bool is_mysql_uri(const std::string& uri);

// The parts of mysql://user:password@host:port/database?option=value&...
// The driver is ignored; user and password are percent-decoded; without a
// password in the URI, MYSQL_PWD gives it. Options: ssl_ca, ssl_cert,
// ssl_key, ssl_mode (or ssl-mode), charset, connect_timeout; MLFLOW_MYSQL_SSL_CA,
// _CERT and _KEY fill in those the URI leaves out. Throws std::invalid_argument
// for a URI that names no database or carries an unknown option.
MysqlConnectOptions parse_mysql_uri(const std::string& uri);

}  // namespace mlflowcpp::server::store::mysql
