#include "client/sync/sync_uris.hpp"

#include <mlflowcpp/sync.hpp>

#include <gtest/gtest.h>

namespace mlflowcpp::client::sync {
namespace {

const RunArtifactLocations kRuns{"src", "mlflow-artifacts:/1/src/artifacts", "dst",
                                 "mlflow-artifacts:/7/dst/artifacts"};

TEST(SyncModelSource, BelowTheSourceRunsArtifactsMovesBelowTheTargetRuns) {
  EXPECT_EQ(rewrite_model_source("mlflow-artifacts:/1/src/artifacts/model", kRuns),
            "mlflow-artifacts:/7/dst/artifacts/model");
  EXPECT_EQ(rewrite_model_source("mlflow-artifacts:/1/src/artifacts/deep/er/model", kRuns),
            "mlflow-artifacts:/7/dst/artifacts/deep/er/model");
  EXPECT_EQ(rewrite_model_source("mlflow-artifacts:/1/src/artifacts", kRuns), "mlflow-artifacts:/7/dst/artifacts");
}

TEST(SyncModelSource, TrailingSlashesOfTheRootsDoNotMatter) {
  RunArtifactLocations runs = kRuns;
  runs.source_artifact_uri += "/";
  runs.target_artifact_uri += "/";
  EXPECT_EQ(rewrite_model_source("mlflow-artifacts:/1/src/artifacts/model", runs),
            "mlflow-artifacts:/7/dst/artifacts/model");
}

TEST(SyncModelSource, RunsUrisNameTheTargetRun) {
  EXPECT_EQ(rewrite_model_source("runs:/src/model", kRuns), "runs:/dst/model");
  EXPECT_EQ(rewrite_model_source("runs:/src", kRuns), "runs:/dst");
}

TEST(SyncModelSource, OtherSourcesStayAsTheyAre) {
  EXPECT_EQ(rewrite_model_source("s3://bucket/models/m", kRuns), "s3://bucket/models/m");
  EXPECT_EQ(rewrite_model_source("models:/m-0123", kRuns), "models:/m-0123");
  // A prefix that is not a whole path segment is another run's folder.
  EXPECT_EQ(rewrite_model_source("mlflow-artifacts:/1/src/artifactsX/model", kRuns),
            "mlflow-artifacts:/1/src/artifactsX/model");
  EXPECT_EQ(rewrite_model_source("runs:/srcother/model", kRuns), "runs:/srcother/model");
}

TEST(SyncModelSource, LocalPathsAreRewrittenToo) {
  const RunArtifactLocations runs{"a", "/data/mlruns/1/a/artifacts", "b", "mlflow-artifacts:/2/b/artifacts"};
  EXPECT_EQ(rewrite_model_source("/data/mlruns/1/a/artifacts/model", runs), "mlflow-artifacts:/2/b/artifacts/model");
}

TEST(SyncStoreIdentity, CredentialsAndQueriesAreRemoved) {
  EXPECT_EQ(sync_store_identity("http://user:secret@host:5000/"), "http://host:5000");
  EXPECT_EQ(sync_store_identity("https://token@mlflow.example.org/prefix/"), "https://mlflow.example.org/prefix");
  EXPECT_EQ(sync_store_identity("postgresql://u:p%40ss@db:5432/mlflow?sslmode=require&password=x"),
            "postgresql://db:5432/mlflow");
  EXPECT_EQ(sync_store_identity("sqlite:////abs/runs.db"), "sqlite:////abs/runs.db");
  EXPECT_EQ(sync_store_identity("sqlite:///runs.db"), "sqlite:///runs.db");
  EXPECT_EQ(sync_store_identity("file:///"), "file:///");
  EXPECT_EQ(sync_store_identity("http://127.0.0.1:5000"), "http://127.0.0.1:5000");
}

TEST(SyncTargetKey, EightStableHexDigitsPerTarget) {
  const std::string key = sync_target_key("http://host:5000");
  EXPECT_EQ(key.size(), 8u);
  EXPECT_EQ(key, sync_target_key("http://host:5000"));
  EXPECT_NE(key, sync_target_key("http://host:5001"));
  EXPECT_EQ(sync_target_key(""), "811c9dc5");  // FNV-1a's offset basis: the hash is fixed, not the library's
}

}  // namespace
}  // namespace mlflowcpp::client::sync
