#pragma once

// An AuthStore in memory with the real store's errors, for tests of what sits
// on top of the store (handlers, filters) without a database.

#include "server/auth/auth_store.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>

namespace mlflowcpp::server::auth::testing {

class FakeAuthStore : public AuthStore {
 public:
  std::optional<User> find_user(const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = users_.find(username);
    if (it == users_.end()) return std::nullopt;
    return it->second;
  }
  User create_user(const std::string& username, const std::string& password_hash, bool is_admin) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (users_.count(username)) {
      throw MlflowException(ErrorCode::kResourceAlreadyExists, "User (username=" + username + ") already exists.");
    }
    User user{next_id_++, username, password_hash, is_admin};
    users_[username] = user;
    return user;
  }
  void update_password_hash(const std::string& username, const std::string& password_hash) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    user(username).password_hash = password_hash;
  }
  void update_admin(const std::string& username, bool is_admin) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    user(username).is_admin = is_admin;
  }
  void delete_user(const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = user(username).id;
    users_.erase(username);
    erase_grants_of(experiment_grants_, id);
    erase_grants_of(model_grants_, id);
  }
  std::vector<User> list_users() override {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<User> users;
    for (const auto& [name, user] : users_) users.push_back(user);
    return users;
  }

  ExperimentGrant create_experiment_grant(const std::string& experiment_id, const std::string& username,
                                          Permission permission) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = user(username).id;
    if (experiment_grants_.count({experiment_id, id})) {
      throw MlflowException(ErrorCode::kResourceAlreadyExists, "Experiment permission (experiment_id=" + experiment_id +
                                                                   ", username=" + username + ") already exists.");
    }
    ExperimentGrant grant{experiment_id, id, std::string(permission_name(permission))};
    experiment_grants_[{experiment_id, id}] = grant;
    return grant;
  }
  ExperimentGrant get_experiment_grant(const std::string& experiment_id, const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return experiment_grant(experiment_id, username);
  }
  void update_experiment_grant(const std::string& experiment_id, const std::string& username,
                               Permission permission) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    experiment_grant(experiment_id, username).permission = std::string(permission_name(permission));
  }
  void delete_experiment_grant(const std::string& experiment_id, const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = experiment_grant(experiment_id, username).user_id;
    experiment_grants_.erase({experiment_id, id});
  }
  std::vector<ExperimentGrant> list_experiment_grants(std::int64_t user_id) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return grants_of(experiment_grants_, user_id);
  }

  RegisteredModelGrant create_registered_model_grant(const std::string& name, const std::string& username,
                                                     Permission permission) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = user(username).id;
    if (model_grants_.count({name, id})) {
      throw MlflowException(ErrorCode::kResourceAlreadyExists, "Registered model permission (name=" + name +
                                                                   ", username=" + username + ") already exists.");
    }
    RegisteredModelGrant grant{name, id, std::string(permission_name(permission))};
    model_grants_[{name, id}] = grant;
    return grant;
  }
  RegisteredModelGrant get_registered_model_grant(const std::string& name, const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return model_grant(name, username);
  }
  void update_registered_model_grant(const std::string& name, const std::string& username,
                                     Permission permission) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    model_grant(name, username).permission = std::string(permission_name(permission));
  }
  void delete_registered_model_grant(const std::string& name, const std::string& username) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::int64_t id = model_grant(name, username).user_id;
    model_grants_.erase({name, id});
  }
  std::vector<RegisteredModelGrant> list_registered_model_grants(std::int64_t user_id) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return grants_of(model_grants_, user_id);
  }
  void rename_registered_model_grants(const std::string& old_name, const std::string& new_name) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::map<Key, RegisteredModelGrant> renamed;
    for (auto& [key, grant] : model_grants_) {
      if (key.first == old_name) grant.name = new_name;
      renamed[{grant.name, key.second}] = grant;
    }
    model_grants_ = std::move(renamed);
  }
  void delete_registered_model_grants(const std::string& name) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = model_grants_.begin(); it != model_grants_.end();) {
      it = it->first.first == name ? model_grants_.erase(it) : std::next(it);
    }
  }

  std::optional<Permission> experiment_permission(std::int64_t user_id, const std::string& experiment_id) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = experiment_grants_.find({experiment_id, user_id});
    if (it == experiment_grants_.end()) return std::nullopt;
    return find_permission(it->second.permission);
  }
  std::optional<Permission> registered_model_permission(std::int64_t user_id, const std::string& name) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto it = model_grants_.find({name, user_id});
    if (it == model_grants_.end()) return std::nullopt;
    return find_permission(it->second.permission);
  }

 private:
  using Key = std::pair<std::string, std::int64_t>;

  User& user(const std::string& username) {
    const auto it = users_.find(username);
    if (it == users_.end()) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist, "User with username=" + username + " not found");
    }
    return it->second;
  }
  ExperimentGrant& experiment_grant(const std::string& experiment_id, const std::string& username) {
    const auto it = experiment_grants_.find({experiment_id, user(username).id});
    if (it == experiment_grants_.end()) {
      throw MlflowException(
          ErrorCode::kResourceDoesNotExist,
          "Experiment permission with experiment_id=" + experiment_id + " and username=" + username + " not found");
    }
    return it->second;
  }
  RegisteredModelGrant& model_grant(const std::string& name, const std::string& username) {
    const auto it = model_grants_.find({name, user(username).id});
    if (it == model_grants_.end()) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist, "Registered model permission with name=" + name +
                                                                  " and username=" + username + " not found");
    }
    return it->second;
  }
  template <typename Grant>
  static std::vector<Grant> grants_of(const std::map<Key, Grant>& grants, std::int64_t user_id) {
    std::vector<Grant> found;
    for (const auto& [key, grant] : grants) {
      if (key.second == user_id) found.push_back(grant);
    }
    return found;
  }
  template <typename Grant>
  static void erase_grants_of(std::map<Key, Grant>& grants, std::int64_t user_id) {
    for (auto it = grants.begin(); it != grants.end();)
      it = it->first.second == user_id ? grants.erase(it) : std::next(it);
  }

  std::mutex mutex_;
  std::int64_t next_id_ = 1;
  std::map<std::string, User> users_;
  std::map<Key, ExperimentGrant> experiment_grants_;
  std::map<Key, RegisteredModelGrant> model_grants_;
};

}  // namespace mlflowcpp::server::auth::testing
