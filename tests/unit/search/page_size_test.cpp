// The page sizes (max_results) each search accepts: one table, checked once by
// the services before any store sees a request.

#include "server/search/page_size.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace mlflowcpp::server::search {
namespace {

// The message of the INVALID_PARAMETER_VALUE that `max_results` gets, or "" when accepted.
std::string refusal(SearchedEntity entity, int64_t max_results) {
  try {
    validate_page_size(entity, max_results);
    return "";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.error_code(), "INVALID_PARAMETER_VALUE");
    EXPECT_EQ(error.http_status(), 400);
    return error.what();
  }
}

::testing::AssertionResult accepted(SearchedEntity entity, int64_t max_results) {
  const std::string message = refusal(entity, max_results);
  if (message.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << max_results << " refused: " << message;
}

::testing::AssertionResult refused_with(SearchedEntity entity, int64_t max_results, const std::string& fragment) {
  const std::string message = refusal(entity, max_results);
  if (message.empty()) return ::testing::AssertionFailure() << max_results << " accepted";
  if (message.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << "message '" << message << "' lacks '" << fragment << "'";
  }
  return ::testing::AssertionSuccess();
}

TEST(PageSize, RunsTakeOneToFiftyThousandDefaultThousand) {
  EXPECT_TRUE(accepted(SearchedEntity::kRuns, 1));
  EXPECT_TRUE(accepted(SearchedEntity::kRuns, 50000));
  EXPECT_TRUE(refused_with(SearchedEntity::kRuns, 0, "positive integer, but got 0"));
  EXPECT_TRUE(refused_with(SearchedEntity::kRuns, -1, "got -1"));
  EXPECT_TRUE(refused_with(SearchedEntity::kRuns, 50001, "at most 50000, but got 50001"));
  EXPECT_EQ(page_size_limits(SearchedEntity::kRuns).default_size, 1000);
}

TEST(PageSize, ExperimentsTakeOneToFiftyThousandAndRefuseAnAbsentSize) {
  EXPECT_TRUE(accepted(SearchedEntity::kExperiments, 1));
  EXPECT_TRUE(accepted(SearchedEntity::kExperiments, 50000));
  EXPECT_TRUE(refused_with(SearchedEntity::kExperiments, 0, "positive integer, but got 0"));
  EXPECT_TRUE(refused_with(SearchedEntity::kExperiments, 50001, "at most 50000, but got 50001"));
  // Without max_results the official server reads 0 and refuses it.
  const int64_t absent = page_size_limits(SearchedEntity::kExperiments).default_size;
  EXPECT_TRUE(refused_with(SearchedEntity::kExperiments, absent, "got 0"));
}

TEST(PageSize, RegisteredModelsTakeZeroToThousandDefaultHundred) {
  EXPECT_TRUE(accepted(SearchedEntity::kRegisteredModels, 0));  // a token and no models, as upstream
  EXPECT_TRUE(accepted(SearchedEntity::kRegisteredModels, 1000));
  EXPECT_TRUE(refused_with(SearchedEntity::kRegisteredModels, -1, "non-negative integer, but got -1"));
  EXPECT_TRUE(refused_with(SearchedEntity::kRegisteredModels, 1001, "at most 1000, but got 1001"));
  EXPECT_EQ(page_size_limits(SearchedEntity::kRegisteredModels).default_size, 100);
}

TEST(PageSize, LoggedModelsTakeZeroToFiftyThousandDefaultFifty) {
  EXPECT_TRUE(accepted(SearchedEntity::kLoggedModels, 0));  // the store's default page
  EXPECT_TRUE(accepted(SearchedEntity::kLoggedModels, 50000));
  EXPECT_TRUE(refused_with(SearchedEntity::kLoggedModels, -1, "non-negative integer, but got -1"));
  EXPECT_TRUE(refused_with(SearchedEntity::kLoggedModels, 50001, "at most 50000, but got 50001"));
  EXPECT_TRUE(refused_with(SearchedEntity::kLoggedModels, int64_t{1} << 40, "at most 50000"));
  EXPECT_EQ(page_size_limits(SearchedEntity::kLoggedModels).default_size, 50);
  EXPECT_EQ(kLoggedModelStoreDefaultPageSize, 100);
}

TEST(PageSize, ModelVersionsTakeOneToTwoHundredThousand) {
  EXPECT_TRUE(accepted(SearchedEntity::kModelVersions, 1));
  EXPECT_TRUE(accepted(SearchedEntity::kModelVersions, 200000));
  EXPECT_TRUE(refused_with(SearchedEntity::kModelVersions, 0, "positive integer, but got 0"));
  EXPECT_TRUE(refused_with(SearchedEntity::kModelVersions, 200001, "at most 200000, but got 200001"));
  EXPECT_EQ(page_size_limits(SearchedEntity::kModelVersions).default_size, 200000);
}

TEST(PageSize, EveryDefaultOutsideExperimentsIsAccepted) {
  for (const auto entity : {SearchedEntity::kRuns, SearchedEntity::kRegisteredModels, SearchedEntity::kModelVersions}) {
    EXPECT_TRUE(accepted(entity, page_size_limits(entity).default_size));
  }
}

}  // namespace
}  // namespace mlflowcpp::server::search
