#include "rest_client.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

namespace mlflowcpp::bench {
namespace {

constexpr const char* kApiPrefix = "/api/2.0/mlflow/";

}  // namespace

RestClient::RestClient(int port) : client_("127.0.0.1", port) {
  client_.set_keep_alive(true);
  client_.set_tcp_nodelay(true);
  // Generous: a 100,000-point history or a slow search must not time out.
  client_.set_read_timeout(60, 0);
  client_.set_write_timeout(60, 0);
}

std::string RestClient::checked_body(httplib::Result result, const std::string& what) {
  if (!result) throw std::runtime_error(fmt::format("{}: {}", what, httplib::to_string(result.error())));
  if (result->status != 200) {
    throw std::runtime_error(fmt::format("{}: HTTP {}: {}", what, result->status, result->body.substr(0, 500)));
  }
  if (result->get_header_value("Connection") == "close") ++closed_by_server_;
  return std::move(result->body);
}

std::string RestClient::post(const std::string& path, const std::string& json_body) {
  const std::string url = kApiPrefix + path;
  return checked_body(client_.Post(url, json_body, "application/json"), "POST " + url);
}

std::string RestClient::patch(const std::string& path, const std::string& json_body) {
  const std::string url = kApiPrefix + path;
  return checked_body(client_.Patch(url, json_body, "application/json"), "PATCH " + url);
}

std::string RestClient::get(const std::string& path, const std::vector<std::pair<std::string, std::string>>& query) {
  const std::string url = kApiPrefix + path;
  httplib::Params params;
  for (const auto& [name, value] : query) params.emplace(name, value);
  return checked_body(client_.Get(url, params, httplib::Headers{}), "GET " + url);
}

std::string RestClient::get_outside_api(const std::string& path) {
  return checked_body(client_.Get(path), "GET " + path);
}

std::string create_experiment(RestClient& client, const std::string& name) {
  const auto answer = nlohmann::json::parse(client.post("experiments/create", nlohmann::json{{"name", name}}.dump()));
  return answer.at("experiment_id").get<std::string>();
}

std::string create_run(RestClient& client, const std::string& experiment_id, const std::string& run_name) {
  const nlohmann::json request = {
      {"experiment_id", experiment_id}, {"run_name", run_name}, {"start_time", 1700000000000LL}};
  const auto answer = nlohmann::json::parse(client.post("runs/create", request.dump()));
  return answer.at("run").at("info").at("run_id").get<std::string>();
}

}  // namespace mlflowcpp::bench
