// Reading basic_auth.ini as MLflow's configparser does.

#include "server/auth/auth_config.hpp"
#include "unit/auth/auth_test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace mlflowcpp::server::auth::testing {
namespace {

class AuthConfigTest : public ::testing::Test {
 protected:
  std::string write(const std::string& text) {
    const std::string path = dir_.file("basic_auth.ini");
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    return path;
  }
  AuthConfig read(const std::string& text) { return read_auth_config(write(text)); }

  // The message of the std::invalid_argument reading `text` throws.
  std::string error(const std::string& text) {
    try {
      read(text);
    } catch (const std::invalid_argument& failure) {
      return failure.what();
    }
    ADD_FAILURE() << "accepted:\n" << text;
    return "";
  }

  AuthTempDir dir_;
};

TEST_F(AuthConfigTest, ReadsMlflowsOwnFile) {
  const AuthConfig config = read(
      "[mlflow]\n"
      "default_permission = READ\n"
      "database_uri = sqlite:///basic_auth.db\n"
      "admin_username = admin\n"
      "admin_password = password1234\n"
      "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n");
  EXPECT_EQ(config.default_permission, Permission::kRead);
  EXPECT_EQ(config.database_uri, "sqlite:///basic_auth.db");
  EXPECT_EQ(config.admin_username, "admin");
  EXPECT_EQ(config.admin_password, "password1234");
}

TEST_F(AuthConfigTest, FollowsConfigparsersSyntax) {
  const AuthConfig config = read(
      "\xEF\xBB\xBF# a comment\n"
      "; another\n"
      "[other]\n"
      "admin_username = not this one\n"
      "\n"
      "[mlflow]\n"
      "  # indented comment\n"
      "Default_Permission: MANAGE\n"
      "DATABASE_URI=postgresql://u:p@db:5432/auth?sslmode=require\n"
      "admin_username   =   root user  \n"
      "admin_password = a=b:c # not a comment ; either\n"
      "unknown_key = ignored\n");
  EXPECT_EQ(config.default_permission, Permission::kManage);
  EXPECT_EQ(config.database_uri, "postgresql://u:p@db:5432/auth?sslmode=require");
  EXPECT_EQ(config.admin_username, "root user");
  EXPECT_EQ(config.admin_password, "a=b:c # not a comment ; either");
}

TEST_F(AuthConfigTest, KeepsMlflowsDefaultsForWhatTheFileLeavesOut) {
  const AuthConfig config = read("[mlflow]\nadmin_password = other\n");
  EXPECT_EQ(config.default_permission, Permission::kRead);
  EXPECT_EQ(config.database_uri, "sqlite:///basic_auth.db");
  EXPECT_EQ(config.admin_username, "admin");
  EXPECT_EQ(config.admin_password, "other");
  EXPECT_EQ(read("[mlflow]\n").admin_password, "password1234");
}

TEST_F(AuthConfigTest, AppliesDefaultSectionAndInterpolationAsConfigparserDoes) {
  const AuthConfig config = read(
      "[DEFAULT]\n"
      "default_permission = EDIT\n"
      "host = db.internal\n"
      "[mlflow]\n"
      "database_uri = postgresql://auth:p%%40ss@%(host)s/auth\n"
      "admin_password = 100%%\n"
      "admin_username = %(Host)s-admin\n");
  EXPECT_EQ(config.default_permission, Permission::kEdit);
  EXPECT_EQ(config.database_uri, "postgresql://auth:p%40ss@db.internal/auth");
  EXPECT_EQ(config.admin_password, "100%");
  EXPECT_EQ(config.admin_username, "db.internal-admin");
}

TEST_F(AuthConfigTest, JoinsIndentedContinuationLines) {
  EXPECT_EQ(read("[mlflow]\nadmin_password = first\n  second\n").admin_password, "first\nsecond");
}

TEST_F(AuthConfigTest, NamesTheFileAndTheProblem) {
  try {
    read_auth_config(dir_.file("absent.ini"));
    ADD_FAILURE() << "a missing file was accepted";
  } catch (const std::invalid_argument& failure) {
    EXPECT_NE(std::string(failure.what()).find("absent.ini"), std::string::npos) << failure.what();
  }
  try {
    read_auth_config(dir_.file(""));
    ADD_FAILURE() << "a directory was accepted";
  } catch (const std::invalid_argument& failure) {
    EXPECT_NE(std::string(failure.what()).find("is a directory"), std::string::npos) << failure.what();
  }
  EXPECT_NE(error("[other]\nadmin_username = x\n").find("no [mlflow] section"), std::string::npos);
  EXPECT_NE(error("[MLflow]\nadmin_username = x\n").find("no [mlflow] section"), std::string::npos)
      << "section names are case-sensitive";
  EXPECT_NE(error("").find("no [mlflow] section"), std::string::npos);
  EXPECT_NE(error("[mlflow]\ndefault_permission = read\n").find("default_permission 'read'"), std::string::npos);
  EXPECT_NE(error("[mlflow]\ndefault_permission = ADMIN\n").find("READ, EDIT, MANAGE or NO_PERMISSIONS"),
            std::string::npos);
  EXPECT_NE(error("admin_username = x\n[mlflow]\n").find("line 1"), std::string::npos);
  EXPECT_NE(error("[mlflow]\nadmin_username\n").find("line 2"), std::string::npos);
  EXPECT_NE(error("[mlflow]\nadmin_username = a\nADMIN_USERNAME = b\n").find("appears twice"), std::string::npos);
  EXPECT_NE(error("[mlflow]\n[mlflow]\n").find("appears twice"), std::string::npos);
  EXPECT_NE(error("[mlflow]\nadmin_password = 100%\n").find("'%%'"), std::string::npos);
  EXPECT_NE(error("[mlflow]\nadmin_password = %(absent)s\n").find("'absent'"), std::string::npos);
  EXPECT_NE(error("[mlflow]\nadmin_password = %(admin_password)s\n").find("too deep"), std::string::npos);
  EXPECT_NE(error("[mlflow]\ndatabase_uri =\n").find("database_uri is empty"), std::string::npos);
  EXPECT_NE(error("[mlflow]\ndatabase_uri =\n").find(dir_.file("basic_auth.ini")), std::string::npos);
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
