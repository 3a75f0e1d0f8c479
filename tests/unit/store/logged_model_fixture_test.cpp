// The logged-model store on a copy of the database the official MLflow 3.6
// server wrote: every recorded get and search of a logged model answers the
// JSON that server answered (tests/fixtures/mlflow-3-sample.answers.json).
// Only the reads recorded before the first write apply: the later calls ran
// on objects those writes created, whose ids and times differ on every server.

#include "mlflow3_test_database.hpp"

#include "protocol/logged_model_json.hpp"
#include "server/store/sql_logged_model_store.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mlflowcpp::server::store::testing {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kPrefix = "/api/2.0/mlflow/logged-models";

std::optional<std::string> optional_string(const Json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return it->get<std::string>();
}

SearchLoggedModelsRequest search_request(const Json& body) {
  SearchLoggedModelsRequest request;
  request.experiment_ids = body.value("experiment_ids", std::vector<std::string>{});
  request.filter = body.value("filter", "");
  request.max_results = body.value("max_results", int64_t{100});
  request.page_token = body.value("page_token", "");
  for (const Json& each : body.value("datasets", Json::array())) {
    request.datasets.push_back({each.at("dataset_name").get<std::string>(), optional_string(each, "dataset_digest")});
  }
  for (const Json& each : body.value("order_by", Json::array())) {
    request.order_by.push_back({each.at("field_name").get<std::string>(), each.value("ascending", true),
                                optional_string(each, "dataset_name"), optional_string(each, "dataset_digest")});
  }
  return request;
}

// What the store answers to one recorded call, in the official server's JSON
// (the error body for an MlflowException).
Json answer(LoggedModelStore& store, const Json& call) {
  const std::string method = call.at("method");
  const std::string path = call.at("path");
  try {
    if (method == "GET") {
      return protocol::logged_model_response(store.get_logged_model(path.substr(kPrefix.size() + 1)));
    }
    return protocol::logged_models_page_response(store.search_logged_models(search_request(call.at("body"))));
  } catch (const MlflowException& error) {
    return Json{{"error_code", error.error_code()}, {"message", std::string(error.what())}};
  }
}

TEST(LoggedModelFixture, StoreAnswersTheRecordedGetsAndSearches) {
  const Json answers = Json::parse(read_text_file(mlflow3_fixture("mlflow-3-sample.answers.json")));
  TempDir dir;
  SqlLoggedModelStore store(open_mlflow3_fixture_copy(dir));
  int compared = 0;
  for (const Json& call : answers.at("calls")) {
    const std::string method = call.at("method");
    const std::string path = call.at("path");
    if (method != "GET" && method != "POST") break;  // the writes start here
    if (path.rfind(kPrefix, 0) != 0 || path.find("/artifacts") != std::string::npos) continue;
    const bool is_search = method == "POST" && path == std::string(kPrefix) + "/search";
    const bool is_get = method == "GET";
    if (!is_search && !is_get) break;
    // A search without experiment ids is refused by the service, before the store.
    if (is_search && !call.at("body").contains("experiment_ids")) continue;
    EXPECT_EQ(answer(store, call), call.at("response")) << method << " " << path << " " << call.at("body").dump();
    ++compared;
  }
  EXPECT_EQ(compared, 22);
}

}  // namespace
}  // namespace mlflowcpp::server::store::testing
