#pragma once

// ~/.mlflow/credentials, the file where the official client finds a tracking
// server's user name and password when the environment does not name them:
//
//     [mlflow]
//     mlflow_tracking_username = alice
//     mlflow_tracking_password = s3cret
//
// It is read the way Python's configparser reads it for the official client:
// option names in any case, `=` or `:` between name and value, whole-line
// comments (`#`, `;`), indented continuation lines, values of [DEFAULT] visible
// in [mlflow], `%%` for a percent sign and `%(name)s` for another option's value.

#include <mlflowcpp/client_options.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace mlflowcpp::client {

struct FileCredentials {
  std::optional<std::string> username;  // nullopt when absent or empty
  std::optional<std::string> password;
};

// Where the file is: "~/.mlflow/credentials" expanded as Python's
// os.path.expanduser does: $HOME when set (even empty), else the home directory
// of the password database; nullopt when neither is known.
std::optional<std::filesystem::path> credentials_file_path(const EnvironmentLookup& environment);

// The [mlflow] section's mlflow_tracking_username / mlflow_tracking_password.
// A missing or unreadable file, or one without that section, gives neither.
// Throws MlflowException (INVALID_PARAMETER_VALUE) naming the file when a value
// uses `%` wrongly, as the official client fails on such a file too.
FileCredentials read_credentials_file(const std::filesystem::path& file);

}  // namespace mlflowcpp::client
