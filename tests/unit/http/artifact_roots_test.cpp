// The artifact-root rule: which locations lie below the configured roots, for
// local paths (normalised, '..' in any encoding, symlinks, segment boundaries)
// and s3:// prefixes, and where the locator and the services apply it.

#include "server/artifacts/artifact_location.hpp"
#include "server/artifacts/artifact_roots.hpp"
#include "testing/expect_mlflow_error.hpp"
#include "testing/temp_dir.hpp"

#include <mlflowcpp/errors.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace mlflowcpp::server {
namespace {

namespace fs = std::filesystem;

class ArtifactRootsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(data_ / "exp");
    fs::create_directories(base_ / "data-other");
    fs::create_directories(base_ / "outside");
  }

  testing::TempDir temp_;
  fs::path base_ = fs::weakly_canonical(temp_.path());
  fs::path data_ = base_ / "data";
  std::string data_text_ = data_.string();
};

TEST_F(ArtifactRootsTest, LocalLocationsBelowARoot) {
  const ArtifactRoots roots({data_text_});
  EXPECT_TRUE(roots.allows(data_text_));
  EXPECT_TRUE(roots.allows(data_text_ + "/"));
  EXPECT_TRUE(roots.allows(data_text_ + "/exp/1/artifacts"));
  EXPECT_TRUE(roots.allows(data_text_ + "/not-yet-created/1"));
  EXPECT_TRUE(roots.allows("file://" + data_text_ + "/exp"));
  EXPECT_TRUE(roots.allows("file://localhost" + data_text_ + "/exp"));
  EXPECT_TRUE(roots.allows(data_text_ + "/./exp//1"));
}

TEST_F(ArtifactRootsTest, LocalLocationsOutsideEveryRoot) {
  const ArtifactRoots roots({data_text_});
  EXPECT_FALSE(roots.allows((base_ / "data-other").string()));  // a sibling sharing the prefix
  EXPECT_FALSE(roots.allows(base_.string()));
  EXPECT_FALSE(roots.allows("/etc"));
  EXPECT_FALSE(roots.allows("file:///etc"));
  EXPECT_FALSE(roots.allows("/"));
  EXPECT_FALSE(roots.allows(data_text_ + "/../outside"));
  EXPECT_FALSE(roots.allows("file://" + data_text_ + "/../outside"));
  EXPECT_FALSE(roots.allows("file://" + data_text_ + "/%2e%2e/outside"));
  EXPECT_FALSE(roots.allows("file://" + data_text_ + "/%252E%252E/outside"));
  EXPECT_FALSE(roots.allows(data_text_ + "%2F..%2Foutside"));
  EXPECT_FALSE(roots.allows("file://otherhost" + data_text_ + "/exp"));  // another machine's disk
  EXPECT_FALSE(roots.allows(std::string("/data\0/x", 8)));
  EXPECT_FALSE(roots.allows("relative/dir"));  // against the working directory, not below the root
  EXPECT_FALSE(roots.allows(""));
}

TEST_F(ArtifactRootsTest, SymlinksAreResolvedBeforeComparing) {
  const ArtifactRoots roots({data_text_});
  fs::create_directory_symlink(base_ / "outside", data_ / "escape");
  EXPECT_FALSE(roots.allows(data_text_ + "/escape"));
  EXPECT_FALSE(roots.allows(data_text_ + "/escape/1/artifacts"));
  fs::create_directory_symlink(data_ / "exp", base_ / "outside" / "into-data");
  EXPECT_TRUE(roots.allows((base_ / "outside" / "into-data" / "1").string()));

  // A root that is itself a symlink: locations through either spelling.
  fs::create_directory_symlink(data_, base_ / "data-link");
  const ArtifactRoots linked({(base_ / "data-link").string()});
  EXPECT_TRUE(linked.allows(data_text_ + "/exp"));
  EXPECT_TRUE(linked.allows((base_ / "data-link" / "exp").string()));
  EXPECT_FALSE(linked.allows((base_ / "outside").string()));
}

TEST_F(ArtifactRootsTest, RootsAreNormalisedToo) {
  const ArtifactRoots roots({"file://" + data_text_ + "/", (base_ / "." / "data-other/").string()});
  EXPECT_TRUE(roots.allows(data_text_ + "/exp"));
  EXPECT_TRUE(roots.allows((base_ / "data-other" / "x").string()));
  EXPECT_FALSE(roots.allows((base_ / "outside").string()));
  // A root spelled with '..' is refused rather than guessed at.
  EXPECT_THROW(ArtifactRoots({(base_ / "outside" / ".." / "data").string()}), std::invalid_argument);
}

TEST(ArtifactRoots, S3PrefixesOnSegmentBoundaries) {
  const ArtifactRoots roots({"s3://bucket/prefix/", "s3://whole"});
  EXPECT_TRUE(roots.allows("s3://bucket/prefix"));
  EXPECT_TRUE(roots.allows("s3://bucket/prefix/"));
  EXPECT_TRUE(roots.allows("s3://bucket/prefix/1/abc/artifacts"));
  EXPECT_TRUE(roots.allows("s3://whole/any/key"));
  EXPECT_TRUE(roots.allows("s3://whole"));
  EXPECT_FALSE(roots.allows("s3://bucket/prefix-other/1"));
  EXPECT_FALSE(roots.allows("s3://bucket/prefi"));
  EXPECT_FALSE(roots.allows("s3://bucket"));
  EXPECT_FALSE(roots.allows("s3://bucket/other/prefix/1"));
  EXPECT_FALSE(roots.allows("s3://bucket-2/prefix/1"));
  EXPECT_FALSE(roots.allows("s3://bucket/prefix/../secrets"));
  EXPECT_FALSE(roots.allows("s3://bucket/prefix/%2e%2e/secrets"));
  EXPECT_FALSE(roots.allows("s3://bucket/prefix//1"));  // not a canonical key: the S3 store refuses it too
  EXPECT_FALSE(roots.allows("s3://"));
}

TEST(ArtifactRoots, ProxiedLocationsAreAlwaysAllowed) {
  const ArtifactRoots roots(std::vector<std::string>{});
  EXPECT_TRUE(roots.allows("mlflow-artifacts:/1/abc/artifacts"));
  EXPECT_TRUE(roots.allows("mlflow-artifacts://host:5000/1"));
  EXPECT_TRUE(roots.allows("http://host:5000/api/2.0/mlflow-artifacts/artifacts/1"));
  EXPECT_FALSE(roots.allows("mlflow-artifacts:/1/../../x"));
  EXPECT_FALSE(roots.allows("/tmp"));
  EXPECT_FALSE(roots.allows("s3://bucket/x"));
  EXPECT_FALSE(roots.allows("gs://bucket/x"));
  EXPECT_FALSE(roots.allows("runs:/abc/model"));
}

TEST(ArtifactRoots, AnyAllowsEverything) {
  const ArtifactRoots roots = ArtifactRoots::any();
  EXPECT_TRUE(roots.allows_any());
  EXPECT_TRUE(roots.allows("/etc"));
  EXPECT_TRUE(roots.allows("s3://anything/x"));
  EXPECT_NO_THROW(roots.require_allowed("/etc", ErrorCode::kPermissionDenied, "Artifact location"));
}

TEST(ArtifactRoots, RootsOfUnknownKindsAreRefused) {
  EXPECT_THROW(ArtifactRoots({"gs://bucket/x"}), std::invalid_argument);
  EXPECT_THROW(ArtifactRoots({"file://otherhost/x"}), std::invalid_argument);
  EXPECT_THROW(ArtifactRoots({"s3://"}), std::invalid_argument);
  EXPECT_NO_THROW(ArtifactRoots({"mlflow-artifacts:/", ""}));
  // The server's own destination and default root are skipped when no store serves them.
  const ArtifactRoots roots = ArtifactRoots::of_server("s3://dest/p", "gs://bucket/x", {"/srv/extra"});
  EXPECT_TRUE(roots.allows("s3://dest/p/1"));
  EXPECT_TRUE(roots.allows("/srv/extra/1"));
  EXPECT_FALSE(roots.allows("gs://bucket/x/1"));
  EXPECT_THROW(ArtifactRoots::of_server("/d", "mlflow-artifacts:/", {"gs://b"}), std::invalid_argument);
}

TEST(ArtifactRoots, RefusalsSayWhichRootsAreAllowed) {
  const ArtifactRoots roots({"/srv/artifacts", "s3://bucket/prefix"});
  EXPECT_EQ(roots.description(), "/srv/artifacts, s3://bucket/prefix, mlflow-artifacts:");
  try {
    roots.require_allowed("/etc", ErrorCode::kInvalidParameterValue, "Artifact location");
    ADD_FAILURE() << "expected a refusal";
  } catch (const MlflowException& error) {
    EXPECT_EQ(error.http_status(), 400);
    const std::string message = error.what();
    EXPECT_NE(message.find("'/etc'"), std::string::npos) << message;
    EXPECT_NE(message.find("/srv/artifacts, s3://bucket/prefix, mlflow-artifacts:"), std::string::npos) << message;
  }
  EXPECT_MLFLOW_ERROR(roots.require_allowed("/etc", ErrorCode::kPermissionDenied, "Artifact location"),
                      "PERMISSION_DENIED");
}

TEST_F(ArtifactRootsTest, TheLocatorServesOnlyBelowTheRoots) {
  const ArtifactLocator locator((base_ / "mlartifacts").string(), ArtifactRoots({data_text_}));
  std::ofstream(data_ / "exp" / "f.txt") << "x";
  const ArtifactLocation inside = locator.resolve("file://" + data_text_ + "/exp", "f.txt");
  EXPECT_EQ(inside.relative, "f.txt");
  EXPECT_MLFLOW_ERROR(locator.resolve((base_ / "outside").string(), "f.txt"), "PERMISSION_DENIED");
  EXPECT_MLFLOW_ERROR(locator.resolve("s3://bucket/x", ""), "PERMISSION_DENIED");
  // Malformed and unsupported roots keep their own answers.
  EXPECT_INVALID(locator.resolve(data_text_ + "/../outside", ""));
  EXPECT_MLFLOW_ERROR(locator.resolve("gs://bucket/x", ""), "NOT_IMPLEMENTED");
  // The proxied ones resolve below the destination, whatever the roots.
  EXPECT_EQ(locator.resolve("mlflow-artifacts:/1/r/artifacts", "m").relative, "1/r/artifacts/m");
}

}  // namespace
}  // namespace mlflowcpp::server
