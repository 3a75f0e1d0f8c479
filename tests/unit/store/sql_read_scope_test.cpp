// Searches narrowed to a read scope, on every backend of store_backends():
// experiments, runs, logged models, registered models and model versions list
// exactly what the scope admits, each once, in full pages with working page
// tokens; a scope of 20,000 ids works; an empty `only` scope lists nothing.

#include "mlflow3_test_database.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

#include "server/store/sql_logged_model_store.hpp"
#include "server/store/sql_registry_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

using search::IdScope;
using Ids = std::set<std::string>;

// One page of some search: its item ids and the token of the next page.
struct PageOfIds {
  std::vector<std::string> ids;
  std::string next_page_token;
};

// Every id of every page of a search asked for `page_size` items at a time;
// fails the test when an id comes twice or a page (but the last) is not full.
Ids page_through(int64_t page_size, const std::function<PageOfIds(const std::string& token)>& page_at) {
  Ids seen;
  std::string token;
  for (int pages = 0; pages < 1000; ++pages) {
    const PageOfIds page = page_at(token);
    EXPECT_LE(static_cast<int64_t>(page.ids.size()), page_size);
    for (const auto& id : page.ids) EXPECT_TRUE(seen.insert(id).second) << id << " listed twice";
    if (page.next_page_token.empty()) return seen;
    // Runs' pages, as the official server's, carry a token when full even if nothing follows.
    EXPECT_EQ(static_cast<int64_t>(page.ids.size()), page_size) << "a page before the last is not full";
    token = page.next_page_token;
  }
  ADD_FAILURE() << "the pages never end";
  return seen;
}

class SqlReadScopeTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    tracking_ = std::make_unique<SqlTrackingStore>(database_, store_options());
    logged_models_ = std::make_unique<SqlLoggedModelStore>(database_);
    registry_ = std::make_unique<SqlRegistryStore>(database_);
    // Experiments 1..9 besides Default (0), each with two runs and one logged model.
    for (int number = 1; number <= 9; ++number) {
      const std::string id = tracking_->create_experiment("exp-" + std::to_string(number), "", {});
      experiment_ids_.push_back(id);
      for (int run = 0; run < 2; ++run) {
        CreateRunRequest request;
        request.experiment_id = id;
        request.start_time = 1700000000000 + number * 10 + run;
        const mlflowcpp::Run created = tracking_->create_run(request);
        runs_by_experiment_[id].insert(created.info.run_id);
      }
      CreateLoggedModelRequest model;
      model.experiment_id = id;
      models_by_experiment_[id] = logged_models_->create_logged_model(model).info.model_id;
    }
    // Registered models m1..m7, two versions each.
    for (int number = 1; number <= 7; ++number) {
      const std::string name = "m" + std::to_string(number);
      registry_->create_registered_model(name, {}, "");
      for (int version = 0; version < 2; ++version) {
        CreateModelVersionRequest request;
        request.name = name;
        request.source = "s3://bucket/model";
        registry_->create_model_version(request);
      }
    }
  }

  Ids experiments(const IdScope& scope, int64_t page_size) {
    return page_through(page_size, [&](const std::string& token) {
      SearchExperimentsRequest request;
      request.experiment_scope = scope;
      request.max_results = page_size;
      request.page_token = token;
      const Page<Experiment> page = tracking_->search_experiments(request);
      PageOfIds ids{{}, page.next_page_token};
      for (const auto& experiment : page.items) ids.ids.push_back(experiment.experiment_id);
      return ids;
    });
  }

  Ids runs(const IdScope& scope, int64_t page_size) {
    return page_through(page_size, [&](const std::string& token) {
      SearchRunsRequest request;
      request.experiment_ids = experiment_ids_;
      request.experiment_scope = scope;
      request.max_results = page_size;
      request.page_token = token;
      const Page<mlflowcpp::Run> page = tracking_->search_runs(request);
      PageOfIds ids{{}, page.next_page_token};
      for (const auto& run : page.items) ids.ids.push_back(run.info.run_id);
      return ids;
    });
  }

  Ids logged_models(const IdScope& scope, int64_t page_size) {
    return page_through(page_size, [&](const std::string& token) {
      SearchLoggedModelsRequest request;
      request.experiment_ids = experiment_ids_;
      request.experiment_scope = scope;
      request.max_results = page_size;
      request.page_token = token;
      const Page<LoggedModel> page = logged_models_->search_logged_models(request);
      PageOfIds ids{{}, page.next_page_token};
      for (const auto& model : page.items) ids.ids.push_back(model.info.model_id);
      return ids;
    });
  }

  Ids registered_models(const IdScope& scope, int64_t page_size) {
    return page_through(page_size, [&](const std::string& token) {
      SearchRegistryRequest request;
      request.model_scope = scope;
      request.max_results = page_size;
      request.page_token = token;
      const Page<RegisteredModel> page = registry_->search_registered_models(request);
      PageOfIds ids{{}, page.next_page_token};
      for (const auto& model : page.items) ids.ids.push_back(model.name);
      return ids;
    });
  }

  Ids model_versions(const IdScope& scope, int64_t page_size) {
    return page_through(page_size, [&](const std::string& token) {
      SearchRegistryRequest request;
      request.model_scope = scope;
      request.max_results = page_size;
      request.page_token = token;
      const Page<ModelVersion> page = registry_->search_model_versions(request);
      PageOfIds ids{{}, page.next_page_token};
      for (const auto& version : page.items) ids.ids.push_back(version.name + "/" + version.version);
      return ids;
    });
  }

  // What a scope admitting `experiments` may see of the runs and logged models.
  Ids runs_of(const std::vector<std::string>& experiments) {
    Ids ids;
    for (const auto& id : experiments) ids.insert(runs_by_experiment_[id].begin(), runs_by_experiment_[id].end());
    return ids;
  }
  Ids models_of(const std::vector<std::string>& experiments) {
    Ids ids;
    for (const auto& id : experiments) {
      if (const auto model = models_by_experiment_.find(id); model != models_by_experiment_.end()) {
        ids.insert(model->second);
      }
    }
    return ids;
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlTrackingStore> tracking_;
  std::unique_ptr<SqlLoggedModelStore> logged_models_;
  std::unique_ptr<SqlRegistryStore> registry_;
  std::vector<std::string> experiment_ids_;  // 1..9, as created
  std::map<std::string, std::set<std::string>> runs_by_experiment_;
  std::map<std::string, std::string> models_by_experiment_;
};

TEST_P(SqlReadScopeTest, TheDefaultScopeListsEverything) {
  Ids all_experiments(experiment_ids_.begin(), experiment_ids_.end());
  all_experiments.insert("0");
  EXPECT_EQ(experiments(IdScope::all(), 4), all_experiments);
  EXPECT_EQ(runs(IdScope::all(), 5), runs_of(experiment_ids_));
  EXPECT_EQ(logged_models(IdScope::all(), 4), models_of(experiment_ids_));
  EXPECT_EQ(registered_models(IdScope::all(), 3).size(), 7U);
  EXPECT_EQ(model_versions(IdScope::all(), 3).size(), 14U);
}

TEST_P(SqlReadScopeTest, OnlyScopesListWhatTheyAdmitInFullPages) {
  const std::vector<std::string> readable{experiment_ids_[1], experiment_ids_[4], experiment_ids_[5],
                                          experiment_ids_[8], "0"};
  // Ids that name no experiment, or one that does not exist, change nothing.
  std::vector<std::string> listed = readable;
  listed.push_back("123456");
  listed.push_back("not-an-id");
  const IdScope scope = IdScope::only(listed);
  EXPECT_EQ(experiments(scope, 2), Ids(readable.begin(), readable.end()));
  EXPECT_EQ(runs(scope, 3), runs_of(readable));
  EXPECT_EQ(logged_models(scope, 2), models_of(readable));

  const IdScope models = IdScope::only({"m2", "m3", "m7", "M1", "nope"});
  EXPECT_EQ(registered_models(models, 2), (Ids{"m2", "m3", "m7"}));
  EXPECT_EQ(model_versions(models, 4), (Ids{"m2/1", "m2/2", "m3/1", "m3/2", "m7/1", "m7/2"}));
}

TEST_P(SqlReadScopeTest, AllExceptScopesLeaveOutWhatTheyList) {
  const std::vector<std::string> hidden{"0", experiment_ids_[0], experiment_ids_[3], experiment_ids_[6]};
  std::vector<std::string> readable;
  for (const auto& id : experiment_ids_) {
    if (std::find(hidden.begin(), hidden.end(), id) == hidden.end()) readable.push_back(id);
  }
  const IdScope scope = IdScope::all_except(hidden);
  EXPECT_EQ(experiments(scope, 4), Ids(readable.begin(), readable.end()));
  EXPECT_EQ(runs(scope, 4), runs_of(readable));
  EXPECT_EQ(logged_models(scope, 4), models_of(readable));

  const IdScope models = IdScope::all_except({"m1", "m4", "m5"});
  EXPECT_EQ(registered_models(models, 3), (Ids{"m2", "m3", "m6", "m7"}));
  EXPECT_EQ(model_versions(models, 3).size(), 8U);
}

TEST_P(SqlReadScopeTest, TwentyThousandIdsInAScope) {
  std::vector<std::string> experiment_grants{experiment_ids_[2], experiment_ids_[7]};
  std::vector<std::string> model_grants{"m5"};
  for (int i = 0; i < 20000; ++i) {
    experiment_grants.push_back(std::to_string(1000000 + i));
    model_grants.push_back("granted-" + std::to_string(i));
  }
  const std::vector<std::string> readable{experiment_ids_[2], experiment_ids_[7]};
  EXPECT_EQ(experiments(IdScope::only(experiment_grants), 1), Ids(readable.begin(), readable.end()));
  EXPECT_EQ(runs(IdScope::only(experiment_grants), 3), runs_of(readable));
  EXPECT_EQ(logged_models(IdScope::only(experiment_grants), 1), models_of(readable));
  EXPECT_EQ(experiments(IdScope::all_except(experiment_grants), 100).size(), 8U);
  EXPECT_EQ(registered_models(IdScope::only(model_grants), 1), Ids{"m5"});
  EXPECT_EQ(model_versions(IdScope::only(model_grants), 1), (Ids{"m5/1", "m5/2"}));
  EXPECT_EQ(registered_models(IdScope::all_except(model_grants), 100).size(), 6U);
}

TEST_P(SqlReadScopeTest, AnEmptyOnlyScopeGivesEmptyPages) {
  const IdScope nothing = IdScope::only({});
  SearchExperimentsRequest experiments_request;
  experiments_request.experiment_scope = nothing;
  experiments_request.max_results = 10;
  const Page<Experiment> experiments_page = tracking_->search_experiments(experiments_request);
  EXPECT_TRUE(experiments_page.items.empty());
  EXPECT_TRUE(experiments_page.next_page_token.empty());

  SearchRunsRequest runs_request;
  runs_request.experiment_ids = experiment_ids_;
  runs_request.experiment_scope = nothing;
  runs_request.max_results = 10;
  const Page<mlflowcpp::Run> runs_page = tracking_->search_runs(runs_request);
  EXPECT_TRUE(runs_page.items.empty());
  EXPECT_TRUE(runs_page.next_page_token.empty());

  SearchLoggedModelsRequest models_request;
  models_request.experiment_ids = experiment_ids_;
  models_request.experiment_scope = nothing;
  const Page<LoggedModel> models_page = logged_models_->search_logged_models(models_request);
  EXPECT_TRUE(models_page.items.empty());
  EXPECT_TRUE(models_page.next_page_token.empty());

  EXPECT_TRUE(registered_models(nothing, 10).empty());
  EXPECT_TRUE(model_versions(nothing, 10).empty());
}

TEST_P(SqlReadScopeTest, LoggedModelTokensNameTheRequestedExperiments) {
  // The token is only good for the search that made it: the requested ids, not the narrowed ones, so the
  // same request with the same scope pages on.
  SearchLoggedModelsRequest request;
  request.experiment_ids = experiment_ids_;
  request.experiment_scope = IdScope::only({experiment_ids_[0], experiment_ids_[1]});
  request.max_results = 1;
  const Page<LoggedModel> first = logged_models_->search_logged_models(request);
  ASSERT_EQ(first.items.size(), 1U);
  ASSERT_FALSE(first.next_page_token.empty());
  SearchLoggedModelsRequest unscoped = request;
  unscoped.experiment_scope = IdScope::all();
  unscoped.page_token = first.next_page_token;
  EXPECT_EQ(logged_models_->search_logged_models(unscoped).items.size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlReadScopeTest, ::testing::ValuesIn(mlflow3_store_backends()), backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
