#include "client/sync/progress_meter.hpp"

namespace mlflowcpp::client::sync {

void ProgressMeter::report(bool force) {
  if (!callback_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_report_ < std::chrono::milliseconds(100)) return;
  last_report_ = now;
  SyncProgress progress;
  progress.runs_done = runs_done_;
  progress.runs_total = runs_total_;
  progress.points = points_;
  progress.bytes = bytes_;
  progress.seconds = std::chrono::duration<double>(now - started_).count();
  progress.points_per_second = progress.seconds > 0 ? double(progress.points) / progress.seconds : 0;
  callback_(progress);
}

}  // namespace mlflowcpp::client::sync
