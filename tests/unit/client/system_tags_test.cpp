#include "client/system_tags.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>

namespace mlflowcpp::client {
namespace {

namespace fs = std::filesystem;

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";
const std::string kOther = "fedcba9876543210fedcba9876543210fedcba98";

class ScratchDir {
 public:
  ScratchDir() {
    path_ = fs::temp_directory_path() / ("mlflowcpp-git-" + std::to_string(std::random_device{}()));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << content;
}

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables](const std::string& name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

TEST(GitCommit, LooseRefFromASubdirectory) {
  ScratchDir repo;
  write(repo.path() / ".git/HEAD", "ref: refs/heads/main\n");
  write(repo.path() / ".git/refs/heads/main", kCommit + "\n");
  fs::create_directories(repo.path() / "build/bin");
  EXPECT_EQ(git_commit_of(repo.path() / "build/bin"), kCommit);
}

TEST(GitCommit, PackedRefAndDetachedHead) {
  ScratchDir repo;
  write(repo.path() / ".git/HEAD", "ref: refs/heads/dev\n");
  write(repo.path() / ".git/packed-refs",
        "# pack-refs with: peeled fully-peeled sorted\n" + kOther + " refs/heads/main\n" + kCommit +
            " refs/heads/dev\n^" + kOther + "\n");
  EXPECT_EQ(git_commit_of(repo.path()), kCommit);
  write(repo.path() / ".git/HEAD", kOther + "\n");
  EXPECT_EQ(git_commit_of(repo.path()), kOther);
}

TEST(GitCommit, LinkedWorkTreeUsesTheCommonDirectory) {
  ScratchDir scratch;
  fs::path main_git = scratch.path() / "main/.git";
  write(main_git / "refs/heads/feature", kCommit + "\n");
  write(main_git / "worktrees/wt/HEAD", "ref: refs/heads/feature\n");
  write(main_git / "worktrees/wt/commondir", "../..\n");
  write(scratch.path() / "wt/.git", "gitdir: " + (main_git / "worktrees/wt").string() + "\n");
  EXPECT_EQ(git_commit_of(scratch.path() / "wt"), kCommit);
}

TEST(GitCommit, NothingOutsideAWorkTreeOrOnAnUnbornBranch) {
  ScratchDir scratch;
  EXPECT_FALSE(git_commit_of(scratch.path() / "nowhere"));
  write(scratch.path() / ".git/HEAD", "ref: refs/heads/main\n");  // no commit yet
  EXPECT_FALSE(git_commit_of(scratch.path()));
}

TEST(SystemTags, UserFromTheEnvironmentInGetpassOrder) {
  EXPECT_EQ(current_user(environment({{"USER", "u"}, {"LOGNAME", "l"}})), "l");
  EXPECT_EQ(current_user(environment({{"USERNAME", "n"}})), "n");
  EXPECT_FALSE(current_user(environment({})).empty());  // from the password database
}

TEST(SystemTags, SourceTagsAreSet) {
  auto tags = system_tags(environment({{"USER", "alice"}}));
  std::map<std::string, std::string> by_key;
  for (const auto& tag : tags) by_key[tag.key] = tag.value;
  EXPECT_EQ(by_key["mlflow.user"], "alice");
  EXPECT_EQ(by_key["mlflow.source.type"], "LOCAL");
  EXPECT_EQ(by_key["mlflow.source.name"], program_path());
  EXPECT_NE(by_key["mlflow.source.name"].find("system_tags_test"), std::string::npos);

  // The commit tag is there exactly when this program or its working directory is in a work tree.
  auto commit = git_commit_of(fs::path(program_path()).parent_path());
  if (!commit) commit = git_commit_of(fs::current_path());
  if (commit) {
    EXPECT_EQ(by_key["mlflow.source.git.commit"], *commit);
  } else {
    EXPECT_EQ(by_key.count("mlflow.source.git.commit"), 0u);
  }
}

TEST(SystemTags, CommitOfThisRepositoryMatchesGit) {
  // This source file lies in the project's work tree when built from a checkout.
  fs::path source_dir = fs::path(__FILE__).parent_path();
  auto commit = git_commit_of(source_dir);
  if (!fs::exists(source_dir / "../../../.git")) GTEST_SKIP() << "not built from a git checkout";
  ASSERT_TRUE(commit.has_value());
  EXPECT_EQ(commit->size(), 40u);
  // Compare with git itself where it is installed.
  std::string command = "git -C '" + source_dir.string() + "' rev-parse HEAD 2>/dev/null";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char line[128] = {0};
    bool read = std::fgets(line, sizeof(line), pipe) != nullptr;
    if (::pclose(pipe) == 0 && read) {
      EXPECT_EQ(*commit, std::string(line).substr(0, 40));
    }
  }
}

}  // namespace
}  // namespace mlflowcpp::client
