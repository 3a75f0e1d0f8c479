// search_experiments reads a page's rows and all its tags in two queries: every
// experiment of a page must be, field by field and in order, what
// get_experiment answers for it. A contract suite, run on every backend of store_backends().

#include "store_backends.hpp"
#include "store_test_support.hpp"

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

namespace mlflowcpp::server::store::testing {
namespace {

constexpr int kExperiments = 240;

class SqlExperimentSearchTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().create();
    database_ = test_database_->open();
    store_ = std::make_unique<SqlTrackingStore>(database_, store_options());
    for (int i = 0; i < kExperiments; ++i) {
      // Some are created with tags, the rest get theirs later.
      std::vector<ExperimentTag> tags;
      if (i % 3 == 0) tags = {{"created.with", "tag " + std::to_string(i)}, {"mlflow.note.content", "a\nnote \"q\""}};
      ids_.push_back(store_->create_experiment(fmt_name(i), "", tags));
    }
    // Tags written across experiments in turns, so that no experiment's tags are stored side by side.
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < kExperiments; ++i) {
        if ((i + round) % 4 == 0) continue;
        store_->set_experiment_tag(ids_[i], {"round." + std::to_string(round), "value \xC3\xA9 " + std::to_string(i)});
      }
    }
    // Overwritten, deleted tags and deleted experiments.
    for (int i = 0; i < kExperiments; i += 5) store_->set_experiment_tag(ids_[i], {"round.1", "rewritten"});
    for (int i = 0; i < kExperiments; i += 7) {
      if ((i + 2) % 4 != 0) store_->delete_experiment_tag(ids_[i], "round.2");
    }
    for (int i = 0; i < kExperiments; i += 11) store_->delete_experiment(ids_[i]);
  }

  static std::string fmt_name(int i) { return "search-" + std::to_string(1000 + i); }

  std::vector<Experiment> all_pages(SearchExperimentsRequest request) {
    std::vector<Experiment> experiments;
    do {
      Page<Experiment> page = store_->search_experiments(request);
      EXPECT_LE(static_cast<int64_t>(page.items.size()), request.max_results);
      for (auto& experiment : page.items) experiments.push_back(std::move(experiment));
      request.page_token = page.next_page_token;
    } while (!request.page_token.empty());
    return experiments;
  }

  void expect_as_got_one_by_one(const std::vector<Experiment>& experiments) {
    for (const Experiment& found : experiments) {
      const Experiment expected = store_->get_experiment(found.experiment_id);
      EXPECT_EQ(found.experiment_id, expected.experiment_id);
      EXPECT_EQ(found.name, expected.name);
      EXPECT_EQ(found.artifact_location, expected.artifact_location);
      EXPECT_EQ(found.lifecycle_stage, expected.lifecycle_stage);
      EXPECT_EQ(found.creation_time, expected.creation_time);
      EXPECT_EQ(found.last_update_time, expected.last_update_time);
      ASSERT_EQ(found.tags.size(), expected.tags.size()) << found.experiment_id;
      for (std::size_t t = 0; t < expected.tags.size(); ++t) {
        EXPECT_EQ(found.tags[t].key, expected.tags[t].key) << found.experiment_id;
        EXPECT_EQ(found.tags[t].value, expected.tags[t].value) << found.experiment_id;
      }
    }
  }

  std::unique_ptr<TestDatabase> test_database_;
  std::shared_ptr<sql::Database> database_;
  std::unique_ptr<SqlTrackingStore> store_;
  std::vector<std::string> ids_;
};

std::vector<std::string> ids_of(const std::vector<Experiment>& experiments) {
  std::vector<std::string> ids;
  for (const auto& experiment : experiments) ids.push_back(experiment.experiment_id);
  return ids;
}

TEST_P(SqlExperimentSearchTest, OnePageOfAllEqualsGetExperimentOfEachInTheDefaultOrder) {
  SearchExperimentsRequest request;
  request.view_type = ViewType::kAll;
  request.max_results = 1000;
  const Page<Experiment> page = store_->search_experiments(request);
  EXPECT_TRUE(page.next_page_token.empty());
  ASSERT_EQ(page.items.size(), static_cast<std::size_t>(kExperiments + 1));  // and the default one
  expect_as_got_one_by_one(page.items);
  // creation_time DESC, experiment_id ASC.
  const auto order = [](const Experiment& a, const Experiment& b) {
    return std::make_tuple(-a.creation_time, std::stoll(a.experiment_id)) <
           std::make_tuple(-b.creation_time, std::stoll(b.experiment_id));
  };
  EXPECT_TRUE(std::is_sorted(page.items.begin(), page.items.end(), order));
  int tagged = 0;
  for (const auto& experiment : page.items) tagged += experiment.tags.empty() ? 0 : 1;
  EXPECT_EQ(tagged, kExperiments);
}

TEST_P(SqlExperimentSearchTest, PagesTogetherAreTheOnePage) {
  SearchExperimentsRequest one_page;
  one_page.view_type = ViewType::kAll;
  one_page.max_results = 1000;
  SearchExperimentsRequest paged = one_page;
  paged.max_results = 37;
  const std::vector<Experiment> pages = all_pages(paged);
  EXPECT_EQ(ids_of(pages), ids_of(store_->search_experiments(one_page).items));
  expect_as_got_one_by_one(pages);
}

TEST_P(SqlExperimentSearchTest, FilteredAndOrderedPagesEqualGetExperimentOfEach) {
  SearchExperimentsRequest request;
  request.max_results = 9;
  request.filter = "name LIKE 'search-11%' AND tags.`round.0` LIKE 'value%'";
  request.order_by = {"name DESC"};
  const std::vector<Experiment> found = all_pages(request);
  ASSERT_FALSE(found.empty());
  std::vector<std::string> names;
  for (const auto& experiment : found) {
    EXPECT_EQ(experiment.lifecycle_stage, LifecycleStage::kActive);
    names.push_back(experiment.name);
  }
  EXPECT_TRUE(std::is_sorted(names.rbegin(), names.rend()));
  expect_as_got_one_by_one(found);
}

// Every third experiment: the page's ids are too sparse to be read as a range and are bound as a list.
TEST_P(SqlExperimentSearchTest, SparsePagesEqualGetExperimentOfEach) {
  SearchExperimentsRequest request;
  request.view_type = ViewType::kAll;
  request.max_results = 1000;
  request.filter = "tags.`created.with` LIKE 'tag %'";
  const Page<Experiment> page = store_->search_experiments(request);
  ASSERT_EQ(page.items.size(), static_cast<std::size_t>((kExperiments + 2) / 3));
  expect_as_got_one_by_one(page.items);
  for (const auto& experiment : page.items) EXPECT_EQ(std::stoll(experiment.experiment_id) % 3, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SqlExperimentSearchTest, ::testing::ValuesIn(store_backends()), backend_test_name);

}  // namespace
}  // namespace mlflowcpp::server::store::testing
