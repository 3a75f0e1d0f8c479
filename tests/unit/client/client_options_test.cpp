#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/errors.hpp>
#include "client/credentials_file.hpp"

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace mlflowcpp {
namespace {

// A fake environment (names to values); unset names give nullopt.
EnvironmentLookup fake_environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ClientOptions, DefaultsAreTheOfficialClientsOnes) {
  auto resolved = resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", "http://localhost:5000"}}));
  EXPECT_EQ(resolved.tracking_uri, "http://localhost:5000");
  EXPECT_EQ(resolved.max_retries, 7);
  EXPECT_DOUBLE_EQ(resolved.backoff_factor, 2.0);
  EXPECT_DOUBLE_EQ(resolved.backoff_jitter, 1.0);
  EXPECT_DOUBLE_EQ(resolved.timeout_seconds, 120.0);
  EXPECT_FALSE(resolved.insecure_tls);
  EXPECT_TRUE(resolved.respect_retry_after);
  EXPECT_DOUBLE_EQ(resolved.request_deadline_seconds, 600.0);
  EXPECT_FALSE(resolved.username);
  EXPECT_FALSE(resolved.token);
}

TEST(ClientOptions, ReadsEveryEnvironmentVariable) {
  auto resolved = resolve_client_options(
      {}, fake_environment({{"MLFLOW_TRACKING_URI", "https://mlflow.example/prefix/"},
                            {"MLFLOW_TRACKING_USERNAME", "alice"},
                            {"MLFLOW_TRACKING_PASSWORD", "secret"},
                            {"MLFLOW_TRACKING_TOKEN", "tok"},
                            {"MLFLOW_TRACKING_SERVER_CERT_PATH", "/ca.pem"},
                            {"MLFLOW_TRACKING_CLIENT_CERT_PATH", "/client.pem"},
                            {"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "3"},
                            {"MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0.5"},
                            {"MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0"},
                            {"MLFLOW_HTTP_REQUEST_TIMEOUT", "10"},
                            {"MLFLOW_HTTP_RESPECT_RETRY_AFTER_HEADER", "false"},
                            {"MLFLOW_HTTP_REQUEST_DEADLINE", "30.5"}}));
  EXPECT_EQ(resolved.tracking_uri, "https://mlflow.example/prefix");  // trailing '/' dropped
  EXPECT_EQ(resolved.username, "alice");
  EXPECT_EQ(resolved.password, "secret");
  EXPECT_EQ(resolved.token, "tok");
  EXPECT_EQ(resolved.server_cert_path, "/ca.pem");
  EXPECT_EQ(resolved.client_cert_path, "/client.pem");
  EXPECT_EQ(resolved.max_retries, 3);
  EXPECT_DOUBLE_EQ(resolved.backoff_factor, 0.5);
  EXPECT_DOUBLE_EQ(resolved.backoff_jitter, 0.0);
  EXPECT_DOUBLE_EQ(resolved.timeout_seconds, 10.0);
  EXPECT_FALSE(resolved.respect_retry_after);
  EXPECT_DOUBLE_EQ(resolved.request_deadline_seconds, 30.5);
}

TEST(ClientOptions, CodeWinsOverEnvironment) {
  ClientOptions options;
  options.tracking_uri = "http://from-code:1";
  options.max_retries = 1;
  options.insecure_tls = false;
  options.token = "code-token";
  auto resolved = resolve_client_options(options, fake_environment({{"MLFLOW_TRACKING_URI", "http://from-env:2"},
                                                                    {"MLFLOW_HTTP_REQUEST_MAX_RETRIES", "5"},
                                                                    {"MLFLOW_TRACKING_INSECURE_TLS", "true"},
                                                                    {"MLFLOW_TRACKING_TOKEN", "env-token"}}));
  EXPECT_EQ(resolved.tracking_uri, "http://from-code:1");
  EXPECT_EQ(resolved.max_retries, 1);
  EXPECT_FALSE(resolved.insecure_tls);
  EXPECT_EQ(resolved.token, "code-token");
}

TEST(ClientOptions, UnsetTrackingUriIsAClearError) {
  try {
    resolve_client_options({}, fake_environment({}));
    FAIL() << "expected an error";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidParameterValue);
    EXPECT_NE(std::string(error.what()).find("MLFLOW_TRACKING_URI"), std::string::npos);
  }
  EXPECT_THROW(resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", ""}})), MlflowException);
}

TEST(ClientOptions, OnlyServersAndDatabasesAreAccepted) {
  for (const char* uri : {"file:///tmp/mlruns", "./mlruns", "databricks", "mysql://host/db", "sqlite:mlflow.db"}) {
    EXPECT_THROW(resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", uri}})), MlflowException)
        << uri;
  }
  EXPECT_NO_THROW(resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", "HTTPS://host"}})));
}

TEST(ClientOptions, DatabaseUrisAreKeptAsWritten) {
  // Offline runs: the store module serves these in-process (make_connection()).
  for (const char* uri : {"sqlite:///mlflow.db", "sqlite:////tmp/runs.db", "postgresql://u@h:5432/db",
                          "postgres://h/db", "SQLITE:///x.db"}) {
    EXPECT_EQ(resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", uri}})).tracking_uri, uri);
  }
}

TEST(ClientOptions, RejectsBadValues) {
  auto with = [](const char* name, const char* value) {
    return fake_environment({{"MLFLOW_TRACKING_URI", "http://h"}, {name, value}});
  };
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "10")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "-1")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "two")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "120")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_TIMEOUT", "0")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_DEADLINE", "0")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_HTTP_REQUEST_DEADLINE", "-5")), MlflowException);
  EXPECT_THROW(resolve_client_options({}, with("MLFLOW_TRACKING_INSECURE_TLS", "yes please")), MlflowException);
  EXPECT_NO_THROW(resolve_client_options({}, with("MLFLOW_TRACKING_INSECURE_TLS", "TRUE")));
  EXPECT_THROW(resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", "https://h"},
                                                            {"MLFLOW_TRACKING_INSECURE_TLS", "1"},
                                                            {"MLFLOW_TRACKING_SERVER_CERT_PATH", "/ca.pem"}})),
               MlflowException);
}

TEST(ClientOptions, CredentialsFileFillsWhatTheEnvironmentLeavesOpen) {
  auto home = std::filesystem::temp_directory_path() / ("mlflowcpp-home-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home / ".mlflow");
  {
    std::ofstream file(home / ".mlflow/credentials");
    file << "[other]\nmlflow_tracking_username = wrong\n\n[mlflow]\n"
            "mlflow_tracking_username = file-user\nmlflow_tracking_password=file-pass\n";
  }
  auto resolved = resolve_client_options(
      {}, fake_environment({{"MLFLOW_TRACKING_URI", "http://h"}, {"HOME", home.string()}}));
  EXPECT_EQ(resolved.username, "file-user");
  EXPECT_EQ(resolved.password, "file-pass");

  resolved = resolve_client_options({}, fake_environment({{"MLFLOW_TRACKING_URI", "http://h"},
                                                          {"HOME", home.string()},
                                                          {"MLFLOW_TRACKING_USERNAME", "env-user"}}));
  EXPECT_EQ(resolved.username, "env-user");   // the environment wins per field
  EXPECT_EQ(resolved.password, "file-pass");

  ClientOptions options;
  options.password = "code-pass";
  resolved = resolve_client_options(options, fake_environment({{"MLFLOW_TRACKING_URI", "http://h"},
                                                               {"HOME", home.string()}}));
  EXPECT_EQ(resolved.password, "code-pass");
  std::filesystem::remove_all(home);
}

// ~/.mlflow/credentials read as Python's configparser reads it for the official client.
class CredentialsFileTest : public ::testing::Test {
 protected:
  CredentialsFileTest()
      : file_(std::filesystem::temp_directory_path() / ("mlflowcpp-credentials-" + std::to_string(::getpid()))) {}
  ~CredentialsFileTest() override { std::filesystem::remove(file_); }

  client::FileCredentials read(const std::string& text) {
    std::ofstream(file_) << text;
    return client::read_credentials_file(file_);
  }

  std::filesystem::path file_;
};

TEST_F(CredentialsFileTest, ReadsTheMlflowSectionAsConfigparserDoes) {
  auto credentials = read(
      "# a comment\n[other]\nmlflow_tracking_username = wrong\n"
      "[mlflow]\n  ; an indented comment\nMLFLOW_TRACKING_USERNAME : alice  \nmlflow_tracking_password=p%%ss\n");
  EXPECT_EQ(credentials.username, "alice");  // option names in any case, ':' too, spaces trimmed
  EXPECT_EQ(credentials.password, "p%ss");   // %% is one percent sign
}

TEST_F(CredentialsFileTest, DefaultsReferencesAndContinuationLines) {
  auto credentials = read(
      "[DEFAULT]\nmlflow_tracking_username = shared-user\nprefix = team\n"
      "[mlflow]\nmlflow_tracking_password = %(prefix)s-secret\n");
  EXPECT_EQ(credentials.username, "shared-user");
  EXPECT_EQ(credentials.password, "team-secret");
  credentials = read("[mlflow]\nmlflow_tracking_password = first\n  second\n");
  EXPECT_EQ(credentials.password, "first\nsecond");
}

TEST_F(CredentialsFileTest, EmptyMissingOrSectionlessGiveNothing) {
  auto credentials = read("[mlflow]\nmlflow_tracking_username =\n");
  EXPECT_EQ(credentials.username, std::nullopt);  // the official client's `or` skips an empty value
  // [DEFAULT] alone is not read: the official client wants an [mlflow] section.
  credentials = read("[DEFAULT]\nmlflow_tracking_username = u\nmlflow_tracking_password = p\n");
  EXPECT_EQ(credentials.username, std::nullopt);
  credentials = read("[MLflow]\nmlflow_tracking_username = u\n");  // section names are case-sensitive
  EXPECT_EQ(credentials.username, std::nullopt);
  std::filesystem::remove(file_);
  credentials = client::read_credentials_file(file_);
  EXPECT_EQ(credentials.username, std::nullopt);
  EXPECT_EQ(credentials.password, std::nullopt);
}

TEST_F(CredentialsFileTest, AStrayPercentSignIsAnError) {
  try {
    read("[mlflow]\nmlflow_tracking_username = u\nmlflow_tracking_password = 50%off\n");
    FAIL() << "a lone % was accepted";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_NE(std::string(error.what()).find(file_.string()), std::string::npos) << error.what();
  }
  EXPECT_THROW(read("[mlflow]\nmlflow_tracking_password = %(nowhere)s\n"), MlflowException);
  EXPECT_THROW(read("[mlflow]\nmlflow_tracking_password = %(mlflow_tracking_password)s\n"), MlflowException);
}

TEST(CredentialsFilePath, HomeAsPythonsExpanduserFindsIt) {
  EXPECT_EQ(client::credentials_file_path(fake_environment({{"HOME", "/home/ana/"}})),
            std::filesystem::path("/home/ana/.mlflow/credentials"));
  EXPECT_EQ(client::credentials_file_path(fake_environment({{"HOME", ""}})),
            std::filesystem::path("/.mlflow/credentials"));
  // Without HOME: the home directory of the password database.
  const passwd* entry = ::getpwuid(::getuid());
  ASSERT_NE(entry, nullptr);
  std::string home = entry->pw_dir;
  while (!home.empty() && home.back() == '/') home.pop_back();
  EXPECT_EQ(client::credentials_file_path(fake_environment({})), std::filesystem::path(home + "/.mlflow/credentials"));
}

}  // namespace
}  // namespace mlflowcpp
