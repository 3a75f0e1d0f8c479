// Artifact URI parsing, path joining and the refusal of paths that could escape.

#include <gtest/gtest.h>

#include "client/artifact_uri.hpp"

#include <mlflowcpp/errors.hpp>

#include <functional>
#include <string>

namespace mlflowcpp::client {
namespace {

// The error_code name the action throws, "" when it throws none.
std::string code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const MlflowException& error) {
    return error.error_code();
  }
  return "";
}

TEST(ArtifactUriTest, TrackingProxyUri) {
  ArtifactLocation location = parse_artifact_location("mlflow-artifacts:/1/abc/artifacts");
  EXPECT_EQ(location.kind, ArtifactLocationKind::kTrackingProxy);
  EXPECT_EQ(location.path, "1/abc/artifacts");
  EXPECT_EQ(parse_artifact_location("mlflow-artifacts:///1/abc/artifacts/").path, "1/abc/artifacts");
  EXPECT_EQ(parse_artifact_location("mlflow-artifacts:///1/x").kind, ArtifactLocationKind::kTrackingProxy);
}

TEST(ArtifactUriTest, RemoteProxyUri) {
  ArtifactLocation location = parse_artifact_location("mlflow-artifacts://host:5000/0/r/artifacts");
  EXPECT_EQ(location.kind, ArtifactLocationKind::kRemoteProxy);
  EXPECT_EQ(location.authority, "host:5000");
  EXPECT_EQ(location.path, "0/r/artifacts");
}

TEST(ArtifactUriTest, LocalPathsAndFileUris) {
  ArtifactLocation plain = parse_artifact_location("/tmp/root/0/r/artifacts");
  EXPECT_EQ(plain.kind, ArtifactLocationKind::kLocal);
  EXPECT_EQ(plain.path, "/tmp/root/0/r/artifacts");
  EXPECT_EQ(parse_artifact_location("file:///tmp/root/a").path, "/tmp/root/a");
  EXPECT_EQ(parse_artifact_location("file://localhost/tmp/root/a").path, "/tmp/root/a");
  EXPECT_EQ(parse_artifact_location("relative/dir").kind, ArtifactLocationKind::kLocal);
  EXPECT_EQ(code_of([] { parse_artifact_location("file://otherhost/x"); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactUriTest, S3Uris) {
  ArtifactLocation location = parse_artifact_location("s3://bucket/some/prefix/");
  EXPECT_EQ(location.kind, ArtifactLocationKind::kS3);
  EXPECT_EQ(location.authority, "bucket");
  EXPECT_EQ(location.path, "some/prefix");
  EXPECT_EQ(parse_artifact_location("s3://bucket").path, "");
  EXPECT_EQ(code_of([] { parse_artifact_location("s3:///path"); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([] { parse_artifact_location("s3://bucket/a/../b"); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactUriTest, UnsupportedSchemesAreNotImplemented) {
  EXPECT_EQ(code_of([] { parse_artifact_location("gs://bucket/path"); }), "NOT_IMPLEMENTED");
  EXPECT_EQ(code_of([] { parse_artifact_location(""); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactUriTest, ProxyUriWithTraversalIsRefused) {
  EXPECT_EQ(code_of([] { parse_artifact_location("mlflow-artifacts:/0/../../etc"); }),
            "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactUriTest, RunsUris) {
  EXPECT_TRUE(is_runs_uri("runs:/abc/model"));
  EXPECT_FALSE(is_runs_uri("models:/m/1"));
  RunsUri parsed = parse_runs_uri("runs:/abc123/dir/file.txt");
  EXPECT_EQ(parsed.run_id, "abc123");
  EXPECT_EQ(parsed.path, "dir/file.txt");
  EXPECT_EQ(parse_runs_uri("runs:/abc123").path, "");
  EXPECT_EQ(parse_runs_uri("runs:/abc123/").path, "");
  EXPECT_EQ(code_of([] { parse_runs_uri("runs:/"); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([] { parse_runs_uri("runs:/abc/../x"); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactPathTest, CleansRelativePaths) {
  EXPECT_EQ(checked_relative_path(""), "");
  EXPECT_EQ(checked_relative_path("a//b/./c/"), "a/b/c");
  EXPECT_EQ(checked_relative_path("."), "");
  EXPECT_EQ(checked_relative_path("a..b/c"), "a..b/c");  // ".." only matters as a whole segment
}

TEST(ArtifactPathTest, RefusesTraversalAndAbsolutePaths) {
  for (const char* bad : {"..", "../x", "a/../b", "a/..", "/etc/passwd", "a\\..\\b"}) {
    EXPECT_EQ(code_of([&] { checked_relative_path(bad); }), "INVALID_PARAMETER_VALUE") << bad;
  }
  EXPECT_EQ(code_of([] { checked_relative_path(std::string("a\0b", 3)); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactPathTest, Joins) {
  EXPECT_EQ(join_artifact_path("", ""), "");
  EXPECT_EQ(join_artifact_path("a", ""), "a");
  EXPECT_EQ(join_artifact_path("", "b"), "b");
  EXPECT_EQ(join_artifact_path("a/b/", "c/d"), "a/b/c/d");
  EXPECT_EQ(code_of([] { join_artifact_path("a", "../b"); }), "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(code_of([] { join_artifact_path("a", "/b"); }), "INVALID_PARAMETER_VALUE");
}

TEST(ArtifactPathTest, LastSegmentAndEncoding) {
  EXPECT_EQ(last_segment("a/b/c.txt"), "c.txt");
  EXPECT_EQ(last_segment("c"), "c");
  EXPECT_EQ(encode_path_segments("0/r/artifacts/my file#1.txt"), "0/r/artifacts/my%20file%231.txt");
}

}  // namespace
}  // namespace mlflowcpp::client
