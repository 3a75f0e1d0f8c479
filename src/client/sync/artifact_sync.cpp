#include "client/sync/artifact_sync.hpp"
#include "client/sync/scratch_directory.hpp"

#include <mlflowcpp/artifacts.hpp>

#include <map>
#include <memory>
#include <system_error>

namespace mlflowcpp::client::sync {
namespace {

// Every file below `dir` with its size (-1 when the listing gives none).
void list_files(ArtifactRepository& repository, const std::string& dir, std::map<std::string, int64_t>& files) {
  for (const auto& entry : repository.list_artifacts(dir)) {
    if (entry.path.empty() || entry.path == dir) continue;  // a store that lists a directory as its own child
    if (entry.is_dir) {
      list_files(repository, entry.path, files);
    } else {
      files[entry.path] = entry.file_size.value_or(-1);
    }
  }
}

std::string parent_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string file_name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}


}  // namespace

ArtifactTally sync_artifacts(SyncContext& context, const std::string& source_artifact_uri,
                             const std::string& target_artifact_uri) {
  ArtifactTally tally;
  auto source_repository = make_artifact_repository(source_artifact_uri, context.from.connection());
  std::map<std::string, int64_t> source_files;
  list_files(*source_repository, "", source_files);
  if (source_files.empty()) return tally;

  std::map<std::string, int64_t> target_files;
  if (!target_artifact_uri.empty()) {
    auto target_repository = make_artifact_repository(target_artifact_uri, context.to.connection());
    list_files(*target_repository, "", target_files);
  }

  for (const auto& [path, size] : source_files) {
    auto found = target_files.find(path);
    if (found != target_files.end() && found->second == size) continue;
    ++tally.files;
    if (size > 0) tally.bytes += size;
    if (context.options.dry_run) {
      context.progress.add_bytes(size > 0 ? size : 0);
      continue;
    }
    const std::filesystem::path slot = context.scratch_dir / std::to_string(context.next_scratch_slot++);
    MlflowClient& from = context.from;
    MlflowClient& to = context.to;
    ProgressMeter& progress = context.progress;
    context.workers.submit(
        [&from, &to, &progress, slot, path = path, source_artifact_uri, target_artifact_uri] {
          const ScratchDirectory scratch(slot);  // one file in flight, gone when its copy ends
          const std::filesystem::path local_file = scratch.path() / file_name_of(path);
          make_artifact_repository(source_artifact_uri, from.connection())->download_file(path, local_file);
          make_artifact_repository(target_artifact_uri, to.connection())->log_artifact(local_file, parent_of(path));
          progress.add_bytes(int64_t(std::filesystem::file_size(local_file)));
        },
        context.tick());
  }
  return tally;
}

}  // namespace mlflowcpp::client::sync
