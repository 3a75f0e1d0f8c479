#pragma once

// Stand-ins for the route protection tests: an in-memory AuthStore, a
// ResourceResolver over fixed maps, and requests served through the real
// RequestDispatcher (with the server's error answers) without sockets.

#include "server/auth/auth_store.hpp"
#include "server/auth/route_protection.hpp"
#include "server/http/error_answer_filter.hpp"
#include "server/http/filter_chain.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/request_dispatcher.hpp"
#include "server/http/router.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::server::auth::testing {

class FakeAuthStore : public AuthStore {
 public:
  User add_user(const std::string& username, bool is_admin = false) {
    return create_user(username, "unused-hash", is_admin);
  }
  // Writes the stored text as is, including names that are no permission.
  void put_experiment_grant(const std::string& experiment_id, std::int64_t user_id, const std::string& permission) {
    experiment_grants_[{experiment_id, user_id}] = permission;
  }
  void put_model_grant(const std::string& name, std::int64_t user_id, const std::string& permission) {
    model_grants_[{name, user_id}] = permission;
  }
  std::optional<std::string> experiment_grant_text(const std::string& experiment_id, std::int64_t user_id) const {
    const auto found = experiment_grants_.find({experiment_id, user_id});
    return found == experiment_grants_.end() ? std::nullopt : std::optional<std::string>(found->second);
  }
  std::optional<std::string> model_grant_text(const std::string& name, std::int64_t user_id) const {
    const auto found = model_grants_.find({name, user_id});
    return found == model_grants_.end() ? std::nullopt : std::optional<std::string>(found->second);
  }
  void clear_grants() {
    experiment_grants_.clear();
    model_grants_.clear();
  }
  // Makes every grant write throw, as a database gone away would.
  bool fail_writes = false;

  std::optional<User> find_user(const std::string& username) override {
    for (const auto& user : users_) {
      if (user.username == username) return user;
    }
    return std::nullopt;
  }
  User create_user(const std::string& username, const std::string& password_hash, bool is_admin) override {
    users_.push_back(User{static_cast<std::int64_t>(users_.size()) + 1, username, password_hash, is_admin});
    return users_.back();
  }
  void update_password_hash(const std::string&, const std::string&) override {}
  void update_admin(const std::string&, bool) override {}
  void delete_user(const std::string&) override {}
  std::vector<User> list_users() override { return users_; }

  ExperimentGrant create_experiment_grant(const std::string& experiment_id, const std::string& username,
                                          Permission permission) override {
    check_writable();
    const User user = require_user(username);
    put_experiment_grant(experiment_id, user.id, std::string(permission_name(permission)));
    return {experiment_id, user.id, std::string(permission_name(permission))};
  }
  ExperimentGrant get_experiment_grant(const std::string& experiment_id, const std::string& username) override {
    const User user = require_user(username);
    return {experiment_id, user.id, experiment_grant_text(experiment_id, user.id).value_or("")};
  }
  void update_experiment_grant(const std::string& experiment_id, const std::string& username,
                               Permission permission) override {
    create_experiment_grant(experiment_id, username, permission);
  }
  void delete_experiment_grant(const std::string& experiment_id, const std::string& username) override {
    experiment_grants_.erase({experiment_id, require_user(username).id});
  }
  std::vector<ExperimentGrant> list_experiment_grants(std::int64_t user_id) override {
    std::vector<ExperimentGrant> grants;
    for (const auto& [key, permission] : experiment_grants_) {
      if (key.second == user_id) grants.push_back({key.first, user_id, permission});
    }
    return grants;
  }

  RegisteredModelGrant create_registered_model_grant(const std::string& name, const std::string& username,
                                                     Permission permission) override {
    check_writable();
    const User user = require_user(username);
    put_model_grant(name, user.id, std::string(permission_name(permission)));
    return {name, user.id, std::string(permission_name(permission))};
  }
  RegisteredModelGrant get_registered_model_grant(const std::string& name, const std::string& username) override {
    const User user = require_user(username);
    return {name, user.id, model_grant_text(name, user.id).value_or("")};
  }
  void update_registered_model_grant(const std::string& name, const std::string& username,
                                     Permission permission) override {
    create_registered_model_grant(name, username, permission);
  }
  void delete_registered_model_grant(const std::string& name, const std::string& username) override {
    model_grants_.erase({name, require_user(username).id});
  }
  std::vector<RegisteredModelGrant> list_registered_model_grants(std::int64_t user_id) override {
    std::vector<RegisteredModelGrant> grants;
    for (const auto& [key, permission] : model_grants_) {
      if (key.second == user_id) grants.push_back({key.first, user_id, permission});
    }
    return grants;
  }
  void rename_registered_model_grants(const std::string& old_name, const std::string& new_name) override {
    check_writable();
    std::map<std::pair<std::string, std::int64_t>, std::string> renamed;
    for (const auto& [key, permission] : model_grants_) {
      renamed[{key.first == old_name ? new_name : key.first, key.second}] = permission;
    }
    model_grants_ = std::move(renamed);
  }
  void delete_registered_model_grants(const std::string& name) override {
    check_writable();
    for (auto it = model_grants_.begin(); it != model_grants_.end();) {
      it = it->first.first == name ? model_grants_.erase(it) : std::next(it);
    }
  }

  std::optional<Permission> experiment_permission(std::int64_t user_id, const std::string& experiment_id) override {
    return permission_of(experiment_grant_text(experiment_id, user_id));
  }
  std::optional<Permission> registered_model_permission(std::int64_t user_id, const std::string& name) override {
    return permission_of(model_grant_text(name, user_id));
  }

 private:
  // A grant of unknown name allows nothing.
  static std::optional<Permission> permission_of(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return find_permission(*text).value_or(Permission::kNoPermissions);
  }
  User require_user(const std::string& username) {
    auto user = find_user(username);
    if (!user) throw MlflowException(ErrorCode::kResourceDoesNotExist, "User '" + username + "' does not exist.");
    return *user;
  }
  void check_writable() const {
    if (fail_writes) throw std::runtime_error("the auth database is unavailable");
  }

  std::vector<User> users_;
  std::map<std::pair<std::string, std::int64_t>, std::string> experiment_grants_;
  std::map<std::pair<std::string, std::int64_t>, std::string> model_grants_;
};

// Runs, experiments and logged models by fixed maps; anything else is unknown (404).
class FakeResolver : public ResourceResolver {
 public:
  std::map<std::string, std::string> run_experiments;
  std::map<std::string, std::string> experiment_ids;
  std::map<std::string, std::string> logged_model_experiments;
  // When set: every run, name and model resolves to it.
  std::optional<std::string> everything_in;

  std::string experiment_of_run(const std::string& run_id) override {
    return lookup(run_experiments, run_id, "Run with id=" + run_id + " not found");
  }
  std::string experiment_id_by_name(const std::string& name) override {
    return lookup(experiment_ids, name, "Could not find experiment with name '" + name + "'");
  }
  std::string experiment_of_logged_model(const std::string& model_id) override {
    return lookup(logged_model_experiments, model_id, "Logged model with ID '" + model_id + "' not found.");
  }

 private:
  std::string lookup(const std::map<std::string, std::string>& map, const std::string& key,
                     const std::string& missing) {
    if (everything_in) return *everything_in;
    const auto found = map.find(key);
    if (found == map.end()) throw MlflowException(ErrorCode::kResourceDoesNotExist, missing);
    return found->second;
  }
};

class TestRequest : public http::Request {
 public:
  TestRequest(std::string method, std::string path, http::QueryParams query = {}, std::string body = "")
      : method_(std::move(method)), path_(std::move(path)), query_(std::move(query)), body_text_(std::move(body)) {}

  const std::string& method() const override { return method_; }
  const std::string& path() const override { return path_; }
  const http::QueryParams& query() const override { return query_; }
  std::optional<std::string> header(const std::string& name) const override {
    if (name == "Content-Type") return std::string("application/json");
    if (name == "Content-Length") return std::to_string(body_text_.size());
    return std::nullopt;
  }
  const std::string& peer_address() const override { return peer_; }
  bool read_body(const http::BodyChunkSink& sink) override {
    note_body_consumed();
    add_body_bytes(body_text_.size());
    return body_text_.empty() || sink(body_text_.data(), body_text_.size());
  }

 private:
  std::string method_;
  std::string path_;
  http::QueryParams query_;
  std::string body_text_;
  std::string peer_ = "127.0.0.1";
};

class TestReply : public http::Reply {
 public:
  void set_header(const std::string& name, const std::string& value) override { headers[name] = value; }
  void send(int status, std::string body, const std::string&) override {
    status_ = status;
    this->body = std::move(body);
  }
  void send_status(int status) override { status_ = status; }
  void stream(std::uint64_t, const std::string&, http::ReplyContentWriter) override {
    status_ = 200;
    streamed_ = true;
  }
  int status() const override { return status_; }
  std::uint64_t body_bytes() const override { return body.size(); }
  bool streamed() const override { return streamed_; }
  void when_sent(std::function<void(std::uint64_t, bool)> sent) override { sent(0, true); }

  std::map<std::string, std::string> headers;
  std::string body;

 private:
  int status_ = 0;
  bool streamed_ = false;
};

// Sets the caller, as authentication would.
class CallerFilter : public http::Filter {
 public:
  explicit CallerFilter(std::optional<http::Caller> caller) : caller_(std::move(caller)) {}
  http::FilterAction before(http::Request& request, http::Reply&) override {
    if (caller_) request.set_caller(*caller_);
    return http::FilterAction::kContinue;
  }

 private:
  std::optional<http::Caller> caller_;
};

struct Answer {
  int status = 0;
  std::string body;
};

// Serves `request` from `router` as the server would, with `caller` signed in (none: nobody).
inline Answer serve(const http::Router& router, TestRequest& request, const std::optional<http::Caller>& caller) {
  http::FilterChain filters;
  filters.add(std::make_shared<http::ErrorAnswerFilter>(std::cerr));
  filters.add(std::make_shared<CallerFilter>(caller));
  http::RequestDispatcher dispatcher(router, filters);
  TestReply reply;
  dispatcher.dispatch(request, reply);
  return {reply.status(), reply.body};
}

inline http::Caller caller_of(const User& user) { return http::Caller{user.id, user.username, user.is_admin}; }

}  // namespace mlflowcpp::server::auth::testing
