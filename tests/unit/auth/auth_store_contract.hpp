#pragma once

// What every AuthStore does, whatever database is behind it: the cases run on
// SQLite (sql_auth_store_test), PostgreSQL (postgres_auth_store_test) and
// MySQL / MariaDB (mysql_auth_store_test).
// A program including this header instantiates AuthStoreContract with its backend.

#include "server/auth/auth_store.hpp"
#include "server/auth/auth_store_factory.hpp"
#include "testing/expect_mlflow_error.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::auth::testing {

// The message of the std::runtime_error opening the auth store at `uri` throws (a test failure when none).
inline std::string open_error(const std::string& uri) {
  try {
    open_auth_store(uri);
  } catch (const std::runtime_error& error) {
    return error.what();
  }
  ADD_FAILURE() << "opening " << uri << " did not fail";
  return "";
}

// Rows as MLflow's server writes them at revision 0965eb92f5f0 (MLflow 3.6): alice (an admin, id 1) and bob (id 2),
// alice's EDIT grant on experiment 1, and a scorer grant for each.
inline constexpr const char* kMlflowWrittenRows =
    "INSERT INTO users (username, password_hash, is_admin) VALUES ('alice', 'h', true), ('bob', 'h', false);"
    "INSERT INTO experiment_permissions (experiment_id, user_id, permission) VALUES ('1', 1, 'EDIT');"
    "INSERT INTO scorer_permissions (experiment_id, scorer_name, user_id, permission) "
    "VALUES ('1', 's', 1, 'EDIT'), ('1', 's', 2, 'READ');";

// A store over a database holding kMlflowWrittenRows reads them, numbers new users after MLflow's, and deletes a
// user's grants (scorer grants too) with the user. `sql` runs a query on that database and returns its output.
inline void expect_serves_mlflow_written_rows(AuthStore& store,
                                              const std::function<std::string(const std::string&)>& sql) {
  const auto alice = store.find_user("alice");
  ASSERT_TRUE(alice.has_value());
  EXPECT_TRUE(alice->is_admin);
  EXPECT_FALSE(store.find_user("bob")->is_admin);
  EXPECT_EQ(store.experiment_permission(alice->id, "1"), Permission::kEdit);
  EXPECT_EQ(store.create_user("carol", "h", false).id, 3) << "ids continue from MLflow's";
  store.delete_user("alice");
  EXPECT_EQ(sql("SELECT user_id FROM scorer_permissions"), "2\n");
  EXPECT_EQ(sql("SELECT count(*) FROM experiment_permissions"), "0\n");
}

// Opens the auth store at `uri` from four threads at once, as replicas starting together do; each must succeed.
inline void open_as_four_replicas_at_once(const std::string& uri) {
  std::vector<std::thread> replicas;
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&] {
      try {
        open_auth_store(uri);
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
      }
    });
  }
  for (auto& replica : replicas) replica.join();
}

struct AuthStoreBackend {
  std::string name;
  // A store on a new, empty database; null when the database server is not installed (the cases skip).
  std::function<std::unique_ptr<AuthStore>()> open_empty;
  // Usernames and model names compare without regard to case, as MLflow's on
  // MySQL do (the database's default collation, utf8mb4_general_ci).
  bool names_ignore_case = false;
};

// How GoogleTest names the parameter in test listings (instead of its bytes).
inline void PrintTo(const AuthStoreBackend& backend, std::ostream* out) { *out << backend.name; }

inline std::string backend_name(const ::testing::TestParamInfo<AuthStoreBackend>& info) { return info.param.name; }

class AuthStoreContract : public ::testing::TestWithParam<AuthStoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open_empty();
    if (!store_) GTEST_SKIP() << "no " << GetParam().name << " database server here";
  }

  // The message of the MlflowException `call` throws with `code`.
  static std::string error_message(const std::function<void()>& call, const std::string& code) {
    try {
      call();
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.error_code(), code) << error.what();
      return error.what();
    }
    ADD_FAILURE() << "expected " << code;
    return "";
  }

  std::unique_ptr<AuthStore> store_;
};

TEST_P(AuthStoreContract, CreatesFindsAndListsUsers) {
  EXPECT_FALSE(store_->find_user("alice").has_value());
  const User alice = store_->create_user("alice", "pbkdf2:sha256:1$s$h1", false);
  const User admin = store_->create_user("admin", "pbkdf2:sha256:1$s$h2", true);
  EXPECT_GT(alice.id, 0);
  EXPECT_NE(alice.id, admin.id);
  EXPECT_EQ(alice.username, "alice");
  EXPECT_EQ(alice.password_hash, "pbkdf2:sha256:1$s$h1");
  EXPECT_FALSE(alice.is_admin);

  const auto found = store_->find_user("admin");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, admin.id);
  EXPECT_EQ(found->password_hash, "pbkdf2:sha256:1$s$h2");
  EXPECT_TRUE(found->is_admin);
  if (GetParam().names_ignore_case) {
    EXPECT_EQ(store_->find_user("Alice")->id, alice.id) << "the collation ignores case";
  } else {
    EXPECT_FALSE(store_->find_user("Alice").has_value()) << "usernames are case-sensitive";
  }

  const auto users = store_->list_users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].username, "alice");
  EXPECT_EQ(users[1].username, "admin");
  EXPECT_TRUE(users[1].is_admin);
}

TEST_P(AuthStoreContract, RefusesATakenUsernameAsMlflowDoes) {
  store_->create_user("alice", "h", false);
  EXPECT_EQ(error_message([&] { store_->create_user("alice", "other", true); }, "RESOURCE_ALREADY_EXISTS"),
            "User (username=alice) already exists.");
  EXPECT_EQ(store_->list_users().size(), 1u);
  EXPECT_EQ(store_->find_user("alice")->password_hash, "h");
}

TEST_P(AuthStoreContract, UpdatesPasswordHashAndAdminFlag) {
  store_->create_user("alice", "old", false);
  store_->update_password_hash("alice", "new");
  store_->update_admin("alice", true);
  auto alice = store_->find_user("alice");
  EXPECT_EQ(alice->password_hash, "new");
  EXPECT_TRUE(alice->is_admin);
  store_->update_admin("alice", true);  // unchanged is no error
  store_->update_admin("alice", false);
  EXPECT_FALSE(store_->find_user("alice")->is_admin);

  EXPECT_EQ(error_message([&] { store_->update_password_hash("bob", "x"); }, "RESOURCE_DOES_NOT_EXIST"),
            "User with username=bob not found");
  EXPECT_MLFLOW_ERROR(store_->update_admin("bob", true), "RESOURCE_DOES_NOT_EXIST");
}

TEST_P(AuthStoreContract, DeletingAUserDeletesItsGrants) {
  const User alice = store_->create_user("alice", "h", false);
  const User bob = store_->create_user("bob", "h", false);
  store_->create_experiment_grant("1", "alice", Permission::kEdit);
  store_->create_registered_model_grant("model", "alice", Permission::kManage);
  store_->create_experiment_grant("1", "bob", Permission::kRead);

  store_->delete_user("alice");
  EXPECT_FALSE(store_->find_user("alice").has_value());
  EXPECT_TRUE(store_->list_experiment_grants(alice.id).empty());
  EXPECT_TRUE(store_->list_registered_model_grants(alice.id).empty());
  EXPECT_FALSE(store_->experiment_permission(alice.id, "1").has_value());
  EXPECT_EQ(store_->experiment_permission(bob.id, "1"), Permission::kRead);

  EXPECT_EQ(error_message([&] { store_->delete_user("alice"); }, "RESOURCE_DOES_NOT_EXIST"),
            "User with username=alice not found");
  // The name is free again, and the new user starts without the old one's grants.
  const User again = store_->create_user("alice", "h", false);
  EXPECT_TRUE(store_->list_experiment_grants(again.id).empty());
}

TEST_P(AuthStoreContract, ExperimentGrants) {
  const User alice = store_->create_user("alice", "h", false);
  const ExperimentGrant created = store_->create_experiment_grant("7", "alice", Permission::kRead);
  EXPECT_EQ(created.experiment_id, "7");
  EXPECT_EQ(created.user_id, alice.id);
  EXPECT_EQ(created.permission, "READ");
  EXPECT_EQ(error_message([&] { store_->create_experiment_grant("7", "alice", Permission::kEdit); },
                          "RESOURCE_ALREADY_EXISTS"),
            "Experiment permission (experiment_id=7, username=alice) already exists.");
  EXPECT_EQ(
      error_message([&] { store_->create_experiment_grant("7", "bob", Permission::kEdit); }, "RESOURCE_DOES_NOT_EXIST"),
      "User with username=bob not found");

  EXPECT_EQ(store_->experiment_permission(alice.id, "7"), Permission::kRead);
  store_->update_experiment_grant("7", "alice", Permission::kManage);
  EXPECT_EQ(store_->get_experiment_grant("7", "alice").permission, "MANAGE");
  EXPECT_EQ(store_->experiment_permission(alice.id, "7"), Permission::kManage);
  EXPECT_FALSE(store_->experiment_permission(alice.id, "8").has_value());
  EXPECT_FALSE(store_->experiment_permission(alice.id + 100, "7").has_value());

  store_->create_experiment_grant("8", "alice", Permission::kNoPermissions);
  EXPECT_EQ(store_->experiment_permission(alice.id, "8"), Permission::kNoPermissions);
  const auto grants = store_->list_experiment_grants(alice.id);
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].experiment_id, "7");
  EXPECT_EQ(grants[1].experiment_id, "8");
  EXPECT_EQ(grants[1].permission, "NO_PERMISSIONS");

  store_->delete_experiment_grant("7", "alice");
  EXPECT_FALSE(store_->experiment_permission(alice.id, "7").has_value());
  const std::string missing = "Experiment permission with experiment_id=7 and username=alice not found";
  EXPECT_EQ(error_message([&] { store_->get_experiment_grant("7", "alice"); }, "RESOURCE_DOES_NOT_EXIST"), missing);
  EXPECT_EQ(error_message([&] { store_->update_experiment_grant("7", "alice", Permission::kRead); },
                          "RESOURCE_DOES_NOT_EXIST"),
            missing);
  EXPECT_EQ(error_message([&] { store_->delete_experiment_grant("7", "alice"); }, "RESOURCE_DOES_NOT_EXIST"), missing);
  EXPECT_EQ(error_message([&] { store_->get_experiment_grant("7", "nobody"); }, "RESOURCE_DOES_NOT_EXIST"),
            "User with username=nobody not found");
}

TEST_P(AuthStoreContract, RegisteredModelGrants) {
  const User alice = store_->create_user("alice", "h", false);
  const User bob = store_->create_user("bob", "h", false);
  const RegisteredModelGrant created = store_->create_registered_model_grant("m", "alice", Permission::kEdit);
  EXPECT_EQ(created.name, "m");
  EXPECT_EQ(created.user_id, alice.id);
  EXPECT_EQ(created.permission, "EDIT");
  EXPECT_EQ(error_message([&] { store_->create_registered_model_grant("m", "alice", Permission::kRead); },
                          "RESOURCE_ALREADY_EXISTS"),
            "Registered model permission (name=m, username=alice) already exists.");
  store_->create_registered_model_grant("m", "bob", Permission::kRead);

  EXPECT_EQ(store_->registered_model_permission(alice.id, "m"), Permission::kEdit);
  if (GetParam().names_ignore_case) {
    EXPECT_EQ(store_->registered_model_permission(alice.id, "M"), Permission::kEdit) << "the collation ignores case";
  } else {
    EXPECT_FALSE(store_->registered_model_permission(alice.id, "M").has_value()) << "names are case-sensitive";
  }
  store_->update_registered_model_grant("m", "alice", Permission::kManage);
  EXPECT_EQ(store_->get_registered_model_grant("m", "alice").permission, "MANAGE");
  ASSERT_EQ(store_->list_registered_model_grants(bob.id).size(), 1u);

  store_->delete_registered_model_grant("m", "bob");
  const std::string missing = "Registered model permission with name=m and username=bob not found";
  EXPECT_EQ(error_message([&] { store_->get_registered_model_grant("m", "bob"); }, "RESOURCE_DOES_NOT_EXIST"), missing);
  EXPECT_EQ(error_message([&] { store_->update_registered_model_grant("m", "bob", Permission::kRead); },
                          "RESOURCE_DOES_NOT_EXIST"),
            missing);
  EXPECT_EQ(error_message([&] { store_->delete_registered_model_grant("m", "bob"); }, "RESOURCE_DOES_NOT_EXIST"),
            missing);
}

TEST_P(AuthStoreContract, RenamedModelsKeepTheirGrantsAndDeletedOnesLoseThem) {
  const User alice = store_->create_user("alice", "h", false);
  const User bob = store_->create_user("bob", "h", false);
  store_->create_registered_model_grant("old", "alice", Permission::kManage);
  store_->create_registered_model_grant("old", "bob", Permission::kRead);
  // Left behind under the new name (by a model deleted before grants went with it): not passed on.
  store_->create_registered_model_grant("new", "alice", Permission::kNoPermissions);

  store_->rename_registered_model_grants("old", "new");
  EXPECT_FALSE(store_->registered_model_permission(alice.id, "old").has_value());
  EXPECT_EQ(store_->registered_model_permission(alice.id, "new"), Permission::kManage);
  EXPECT_EQ(store_->registered_model_permission(bob.id, "new"), Permission::kRead);
  store_->rename_registered_model_grants("new", "new");
  store_->rename_registered_model_grants("absent", "other");
  EXPECT_EQ(store_->registered_model_permission(bob.id, "new"), Permission::kRead);

  store_->create_registered_model_grant("kept", "alice", Permission::kRead);
  store_->delete_registered_model_grants("new");
  EXPECT_FALSE(store_->registered_model_permission(alice.id, "new").has_value());
  EXPECT_FALSE(store_->registered_model_permission(bob.id, "new").has_value());
  EXPECT_EQ(store_->registered_model_permission(alice.id, "kept"), Permission::kRead);
  store_->delete_registered_model_grants("new");  // nothing left: no error
}

TEST_P(AuthStoreContract, KeepsTextAsGiven) {
  const std::string name = "ünïcode 'quoted' \"name\" % _ \\";
  const User user = store_->create_user(name, "scrypt:32768:8:1$salt$hex", true);
  EXPECT_EQ(store_->find_user(name)->username, name);
  store_->create_experiment_grant(name, name, Permission::kEdit);
  store_->create_registered_model_grant(name, name, Permission::kEdit);
  EXPECT_EQ(store_->experiment_permission(user.id, name), Permission::kEdit);
  EXPECT_EQ(store_->registered_model_permission(user.id, name), Permission::kEdit);
  EXPECT_FALSE(store_->find_user("%").has_value());
}

TEST_P(AuthStoreContract, ConcurrentCallsAreSafe) {
  constexpr int kThreads = 6;
  constexpr int kUsersPerThread = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kUsersPerThread; ++i) {
          const std::string name = "user-" + std::to_string(t) + "-" + std::to_string(i);
          const User user = store_->create_user(name, "h", false);
          store_->create_experiment_grant("e" + std::to_string(i), name, Permission::kEdit);
          if (store_->experiment_permission(user.id, "e" + std::to_string(i)) != Permission::kEdit) ++failures;
          if (!store_->find_user(name)) ++failures;
          // Everyone races for one name: exactly one wins.
          try {
            store_->create_user("shared", "h", false);
          } catch (const MlflowException& error) {
            if (error.error_code() != "RESOURCE_ALREADY_EXISTS") ++failures;
          }
        }
      } catch (const std::exception& error) {
        ADD_FAILURE() << error.what();
        ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->list_users().size(), static_cast<std::size_t>(kThreads * kUsersPerThread + 1));
}

}  // namespace mlflowcpp::server::auth::testing
