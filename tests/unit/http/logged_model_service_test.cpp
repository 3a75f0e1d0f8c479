// The logged-model service's rules, in front of a store that records what reaches it.

#include "server/search/page_size.hpp"
#include "server/service/logged_model_service.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>

namespace mlflowcpp::server {
namespace {

class RecordingStore final : public LoggedModelStore {
 public:
  LoggedModel create_logged_model(const CreateLoggedModelRequest& request) override {
    created = request;
    return {};
  }
  LoggedModel get_logged_model(const std::string&) override { return {}; }
  void delete_logged_model(const std::string&) override {}
  LoggedModel finalize_logged_model(const std::string&, LoggedModelStatus status) override {
    finalized = status;
    return {};
  }
  void set_logged_model_tags(const std::string&, const std::vector<LoggedModelTag>&) override {}
  void delete_logged_model_tag(const std::string&, const std::string&) override {}
  void log_logged_model_params(const std::string&, const std::vector<LoggedModelParameter>&) override {}
  Page<LoggedModel> search_logged_models(const SearchLoggedModelsRequest& request) override {
    searched = request;
    return {};
  }

  std::optional<CreateLoggedModelRequest> created;
  std::optional<LoggedModelStatus> finalized;
  std::optional<SearchLoggedModelsRequest> searched;
};

std::string error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE") << error.what();
    return error.what();
  }
  return "<no error>";
}

TEST(LoggedModelService, CreateChecksRequiredValuesNamesAndLimits) {
  RecordingStore store;
  LoggedModelService service(store);
  CreateLoggedModelRequest request;
  request.name = "x";
  EXPECT_EQ(error_of([&] { service.create_logged_model(request); }),
            "Missing value for required parameter 'experiment_id'. See the API docs for more information about "
            "request parameters.");
  request.experiment_id = "1";
  for (const char* bad : {"a/b", "a:b", "a.b", "a%b", "a\"b", "a'b"}) {
    request.name = bad;
    EXPECT_NE(error_of([&] { service.create_logged_model(request); }), "<no error>") << bad;
  }
  request.name = "ok";
  request.params = {{"k", std::string(6001, 'v')}};
  EXPECT_NE(error_of([&] { service.create_logged_model(request); }), "<no error>");
  request.params = {{"k", "1"}, {"k", "2"}};
  EXPECT_NE(error_of([&] { service.create_logged_model(request); }), "<no error>");
  request.params = {};
  request.tags = {{std::string(256, 'k'), "v"}};
  EXPECT_NE(error_of([&] { service.create_logged_model(request); }), "<no error>");
  request.tags = {{"", "v"}};
  EXPECT_NE(error_of([&] { service.create_logged_model(request); }), "<no error>");
  EXPECT_FALSE(store.created.has_value());

  request.tags = {{"k", std::string(8000, 'v')}};
  request.name = "";  // the store generates one
  service.create_logged_model(request);
  ASSERT_TRUE(store.created.has_value());
}

TEST(LoggedModelService, FinalizeTakesOnlyTheEndStatuses) {
  RecordingStore store;
  LoggedModelService service(store);
  const std::string id = "m-00000000000000000000000000000000";
  EXPECT_EQ(error_of([&] { service.finalize_logged_model(id, ""); }),
            "Missing value for required parameter 'status'. See the API docs for more information about request "
            "parameters.");
  EXPECT_NE(error_of([&] { service.finalize_logged_model(id, "LOGGED_MODEL_PENDING"); }), "<no error>");
  EXPECT_NE(error_of([&] { service.finalize_logged_model(id, "READY"); }), "<no error>");
  service.finalize_logged_model(id, "LOGGED_MODEL_UPLOAD_FAILED");
  EXPECT_EQ(store.finalized, LoggedModelStatus::kUploadFailed);
  service.finalize_logged_model(id, "2");
  EXPECT_EQ(store.finalized, LoggedModelStatus::kReady);
}

TEST(LoggedModelService, SearchNeedsExperimentsAndBoundsThePage) {
  RecordingStore store;
  LoggedModelService service(store);
  SearchLoggedModelsRequest request;
  request.max_results = 0;
  EXPECT_EQ(error_of([&] { service.search_logged_models(request); }),
            "Missing value for required parameter 'experiment_ids'. See the API docs for more information about "
            "request parameters.");
  request.experiment_ids = {"1"};
  request.max_results = -1;
  EXPECT_NE(error_of([&] { service.search_logged_models(request); }), "<no error>");
  request.max_results = 0;
  request.datasets = {{"", std::nullopt}};
  EXPECT_EQ(error_of([&] { service.search_logged_models(request); }),
            "`dataset_name` in the `datasets` clause must be specified.");
  request.datasets = {};
  service.search_logged_models(request);
  ASSERT_TRUE(store.searched.has_value());
  EXPECT_EQ(store.searched->max_results, search::kLoggedModelStoreDefaultPageSize);
}

}  // namespace
}  // namespace mlflowcpp::server
