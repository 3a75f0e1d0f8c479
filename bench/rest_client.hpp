#pragma once

#include <httplib.h>

#include <string>
#include <utility>
#include <vector>

namespace mlflowcpp::bench {

// One keep-alive HTTP/1.1 connection to the server under test, with Nagle off
// (so a small request is not held back waiting for an ACK). Any answer other
// than 200 throws std::runtime_error: a benchmark that timed errors would lie.
class RestClient {
 public:
  explicit RestClient(int port);

  // POSTs a JSON body to /api/2.0/mlflow/<path> and returns the response body.
  std::string post(const std::string& path, const std::string& json_body);
  // PATCHes a JSON body to /api/2.0/mlflow/<path> and returns the response body.
  std::string patch(const std::string& path, const std::string& json_body);
  // GETs /api/2.0/mlflow/<path>?<query> and returns the response body.
  std::string get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query);
  // GETs a path outside the API (e.g. "/health") and returns the response body.
  std::string get_outside_api(const std::string& path);

  // Sends HTTP basic credentials with every later request (the basic-auth app).
  void set_basic_auth(const std::string& username, const std::string& password) {
    client_.set_basic_auth(username.c_str(), password.c_str());
  }

  // How many responses asked to close the connection (the client then opens a
  // new one): a keep-alive benchmark is only one if this stays near zero.
  long closed_by_server() const { return closed_by_server_; }

 private:
  std::string checked_body(httplib::Result result, const std::string& what);

  httplib::Client client_;
  long closed_by_server_ = 0;
};

// Calls used to set data up; each returns the id the server assigned.
std::string create_experiment(RestClient& client, const std::string& name);
std::string create_run(RestClient& client, const std::string& experiment_id, const std::string& run_name);

}  // namespace mlflowcpp::bench
