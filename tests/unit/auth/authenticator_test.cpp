// The authenticator over a real (SQLite) auth store: answers, the cache of
// checked passwords and what makes it forget, the cost of unknown users, and
// concurrent callers. Users get low-iteration hashes written straight into the
// store, so the tests stay fast.

#include "server/auth/authenticator.hpp"
#include "server/auth/auth_store_factory.hpp"
#include "unit/auth/auth_test_support.hpp"

#include <gtest/gtest.h>
#include <mlflowcpp/errors.hpp>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::auth::testing {
namespace {

// Slow enough that a cache hit is clearly cheaper, fast enough to run a few times per test.
constexpr int kSlowIterations = 100000;

class AuthenticatorTest : public ::testing::Test {
 protected:
  AuthenticatorTest() : store_(open_auth_store("sqlite:///" + dir_.file("auth.db"))) {}

  AuthenticatorOptions cheap_options() const {
    AuthenticatorOptions options;
    options.unknown_user_hash = pbkdf2_hash("no such password", 10);
    options.max_concurrent_slow_checks = 1000;  // the bound has a test of its own
    return options;
  }

  AuthTempDir dir_;
  std::unique_ptr<AuthStore> store_;
};

TEST_F(AuthenticatorTest, LetsInTheRightPasswordOnly) {
  const User alice = store_->create_user("alice", pbkdf2_hash("alice-pw", 10), false);
  store_->create_user("root", pbkdf2_hash("root-pw", 10), true);
  Authenticator authenticator(*store_, cheap_options());

  const auto caller = authenticator.authenticate("alice", "alice-pw");
  ASSERT_TRUE(caller.has_value());
  EXPECT_EQ(caller->user_id, alice.id);
  EXPECT_EQ(caller->username, "alice");
  EXPECT_FALSE(caller->is_admin);
  EXPECT_TRUE(authenticator.authenticate("root", "root-pw")->is_admin);

  EXPECT_FALSE(authenticator.authenticate("alice", "wrong").has_value());
  EXPECT_FALSE(authenticator.authenticate("alice", "").has_value());
  EXPECT_FALSE(authenticator.authenticate("alice", "root-pw").has_value());
  EXPECT_FALSE(authenticator.authenticate("nobody", "alice-pw").has_value());
  EXPECT_FALSE(authenticator.authenticate("", "").has_value());
  // A cached right password does not let in a wrong one afterwards.
  EXPECT_TRUE(authenticator.authenticate("alice", "alice-pw").has_value());
  EXPECT_FALSE(authenticator.authenticate("alice", "alice-pw ").has_value());
  EXPECT_TRUE(authenticator.authenticate("alice", "alice-pw").has_value());
}

TEST_F(AuthenticatorTest, AChangedPasswordCountsAtOnce) {
  store_->create_user("alice", pbkdf2_hash("old-pw", 10), false);
  Authenticator authenticator(*store_, cheap_options());
  ASSERT_TRUE(authenticator.authenticate("alice", "old-pw").has_value());

  store_->update_password_hash("alice", pbkdf2_hash("new-pw", 10));
  EXPECT_FALSE(authenticator.authenticate("alice", "old-pw").has_value());
  EXPECT_TRUE(authenticator.authenticate("alice", "new-pw").has_value());

  // The same password hashed again (another salt) is still that password.
  store_->update_password_hash("alice", pbkdf2_hash("new-pw", 10, "othersalt"));
  EXPECT_TRUE(authenticator.authenticate("alice", "new-pw").has_value());
}

TEST_F(AuthenticatorTest, AnAdminFlagChangeAndADeletionCountAtOnce) {
  store_->create_user("alice", pbkdf2_hash("pw", 10), false);
  Authenticator authenticator(*store_, cheap_options());
  EXPECT_FALSE(authenticator.authenticate("alice", "pw")->is_admin);
  store_->update_admin("alice", true);
  EXPECT_TRUE(authenticator.authenticate("alice", "pw")->is_admin);

  store_->delete_user("alice");
  EXPECT_FALSE(authenticator.authenticate("alice", "pw").has_value());
  // A new user of the same name has their own password and id.
  const User again = store_->create_user("alice", pbkdf2_hash("other-pw", 10), false);
  EXPECT_FALSE(authenticator.authenticate("alice", "pw").has_value());
  EXPECT_EQ(authenticator.authenticate("alice", "other-pw")->user_id, again.id);
}

TEST_F(AuthenticatorTest, ACacheHitSkipsTheSlowHash) {
  store_->create_user("alice", pbkdf2_hash("pw", kSlowIterations), false);
  Authenticator authenticator(*store_, cheap_options());

  double start = process_cpu_seconds();
  ASSERT_TRUE(authenticator.authenticate("alice", "pw").has_value());
  const double first = process_cpu_seconds() - start;

  constexpr int kHits = 200;
  start = process_cpu_seconds();
  for (int i = 0; i < kHits; ++i) ASSERT_TRUE(authenticator.authenticate("alice", "pw").has_value());
  const double per_hit = (process_cpu_seconds() - start) / kHits;
  std::printf("authenticate: first %.1f ms CPU, cached %.1f us CPU\n", first * 1e3, per_hit * 1e6);
  EXPECT_LT(per_hit * 20, first);
  EXPECT_LT(per_hit, 1e-3);
}

TEST_F(AuthenticatorTest, WrongPasswordsAndUnknownUsersCostTheSlowHash) {
  store_->create_user("alice", pbkdf2_hash("pw", kSlowIterations), false);
  AuthenticatorOptions options;
  options.unknown_user_hash = pbkdf2_hash("no such password", kSlowIterations);
  Authenticator authenticator(*store_, options);
  ASSERT_TRUE(authenticator.authenticate("alice", "pw").has_value());

  double start = process_cpu_seconds();
  EXPECT_FALSE(authenticator.authenticate("alice", "wrong").has_value());
  const double wrong_password = process_cpu_seconds() - start;
  start = process_cpu_seconds();
  EXPECT_FALSE(authenticator.authenticate("nobody", "wrong").has_value());
  const double unknown_user = process_cpu_seconds() - start;
  start = process_cpu_seconds();
  EXPECT_TRUE(authenticator.authenticate("alice", "pw").has_value());
  const double cached = process_cpu_seconds() - start;
  std::printf("authenticate: wrong password %.1f ms, unknown user %.1f ms, cached %.3f ms CPU\n", wrong_password * 1e3,
              unknown_user * 1e3, cached * 1e3);
  EXPECT_GT(wrong_password, cached * 20);
  EXPECT_GT(unknown_user, wrong_password / 3);
  EXPECT_LT(unknown_user, wrong_password * 3);
}

TEST_F(AuthenticatorTest, TheDefaultUnknownUserHashIsAsSlowAsANewHash) {
  store_->create_user("alice", pbkdf2_hash("pw", 600000), false);
  Authenticator authenticator(*store_);
  double start = process_cpu_seconds();
  EXPECT_FALSE(authenticator.authenticate("alice", "wrong").has_value());
  const double wrong_password = process_cpu_seconds() - start;
  start = process_cpu_seconds();
  EXPECT_FALSE(authenticator.authenticate("nobody", "wrong").has_value());
  const double unknown_user = process_cpu_seconds() - start;
  EXPECT_GT(unknown_user, wrong_password / 3);
  EXPECT_LT(unknown_user, wrong_password * 3);
}

TEST_F(AuthenticatorTest, ABoundedCacheStillAnswersRight) {
  AuthenticatorOptions options = cheap_options();
  options.max_cached_users = 2;
  for (int i = 0; i < 5; ++i) {
    store_->create_user("user" + std::to_string(i), pbkdf2_hash("pw" + std::to_string(i), 10), false);
  }
  Authenticator authenticator(*store_, options);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) {
      EXPECT_TRUE(authenticator.authenticate("user" + std::to_string(i), "pw" + std::to_string(i)).has_value());
      EXPECT_FALSE(authenticator.authenticate("user" + std::to_string(i), "pw").has_value());
    }
  }
  options.max_cached_users = 0;  // no cache at all
  Authenticator uncached(*store_, options);
  EXPECT_TRUE(uncached.authenticate("user1", "pw1").has_value());
  EXPECT_TRUE(uncached.authenticate("user1", "pw1").has_value());
}

TEST_F(AuthenticatorTest, ConcurrentCallersGetTheirOwnAnswers) {
  constexpr int kUsers = 8;
  for (int i = 0; i < kUsers; ++i) {
    store_->create_user("user" + std::to_string(i), pbkdf2_hash("pw" + std::to_string(i), 200), i % 2 == 0);
  }
  AuthenticatorOptions options = cheap_options();
  options.max_cached_users = 5;  // fewer than the users: entries come and go under the threads
  Authenticator authenticator(*store_, options);
  std::atomic<int> wrong_answers{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const int user = (t + i) % kUsers;
        const std::string name = "user" + std::to_string(user);
        const bool right = i % 3 != 0;
        const auto caller = authenticator.authenticate(name, right ? "pw" + std::to_string(user) : "pw");
        if (caller.has_value() != right) ++wrong_answers;
        if (caller && (caller->username != name || caller->is_admin != (user % 2 == 0))) ++wrong_answers;
        if (i % 50 == 0 && authenticator.authenticate("nobody" + std::to_string(t), "pw")) ++wrong_answers;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong_answers.load(), 0);
}

TEST_F(AuthenticatorTest, SlowChecksBeyondTheBoundAreRefusedAtOnceWhileRememberedPasswordsPass) {
  store_->create_user("alice", pbkdf2_hash("alice-pw", 10), false);
  AuthenticatorOptions options;
  // About a second on this machine: the two unknown users' checks overlap for sure.
  options.unknown_user_hash = pbkdf2_hash("no such password", 2000000);
  options.max_concurrent_slow_checks = 1;
  Authenticator authenticator(*store_, options);
  ASSERT_TRUE(authenticator.authenticate("alice", "alice-pw").has_value());  // remembered from now on

  std::atomic<int> refused{0};
  std::atomic<int> started{0};
  const auto try_unknown_user = [&](const std::string& username) {
    ++started;
    while (started < 2) std::this_thread::yield();
    try {
      EXPECT_FALSE(authenticator.authenticate(username, "guess").has_value());
    } catch (const MlflowException& error) {
      EXPECT_EQ(error.error_code(), "TEMPORARILY_UNAVAILABLE");
      EXPECT_EQ(error.http_status(), 503);
      ++refused;
    }
  };
  std::thread first(try_unknown_user, "ghost-1");
  std::thread second(try_unknown_user, "ghost-2");
  // A remembered password needs no slow check: it gets in whatever else runs.
  EXPECT_TRUE(authenticator.authenticate("alice", "alice-pw").has_value());
  first.join();
  second.join();
  EXPECT_EQ(refused, 1);
  // Once the slow check is over, the next one runs.
  EXPECT_FALSE(authenticator.authenticate("ghost-3", "guess").has_value());
}

}  // namespace
}  // namespace mlflowcpp::server::auth::testing
