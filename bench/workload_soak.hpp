#pragma once

// The soak load: a mixed, paced load held for a long time against one server,
// to see what stays flat and what drifts (write latency, memory, threads, open
// files, the SQLite WAL) and to check at the end that no acknowledged write
// was lost.

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace mlflowcpp::bench {

// Clients and their pace. Every client is paced (at most `*_per_second` calls
// a second, fewer when the server is slower), so two runs against two builds
// offer the same load and their latencies compare.
struct SoakOptions {
  double seconds = 60;           // how long the load is held
  double interval_seconds = 10;  // one report row per interval
  int metric_clients = 4;        // log-metric, one point a call
  double metric_calls_per_second = 50;
  int batch_clients = 2;  // log-batch, `batch_size` points a call
  double batch_calls_per_second = 25;
  int batch_size = 1000;
  double search_calls_per_second = 10;   // one client: runs/search over the experiment
  double artifact_calls_per_second = 5;  // one client: 64 KiB uploads through the artifact proxy
  int artifact_bytes = 64 * 1024;
  double registry_calls_per_second = 10;  // one client: registered-model set-tag, get, search
};

// What one interval saw. Latencies are of the write calls (log-metric and
// log-batch) that ended in it; the process figures are read at its end.
struct SoakInterval {
  double end_seconds = 0;
  double requests_per_second = 0;
  long write_calls = 0;
  double write_p50_ms = 0;
  double write_p99_ms = 0;
  double write_max_ms = 0;
  long errors = 0;
  double resident_mib = 0;
  int threads = 0;
  int open_fds = 0;
  double wal_mib = 0;
};

struct SoakResult {
  std::vector<SoakInterval> intervals;
  long requests = 0;
  long errors = 0;
  std::string first_error;
  long acknowledged_points = 0;  // metric points whose log call answered 200
  long missing_points = 0;       // of those, not in the metric's history afterwards
  double peak_wal_mib = 0;       // the largest WAL seen at any sample (sampled every second)
  double idle_resident_mib = 0;  // RSS a few seconds after the load stopped
};

// Runs the soak against the server on 127.0.0.1:`port` (process `server_pid`,
// SQLite database at `database_path`, whose WAL is `database_path`-wal).
// `on_interval` hears of each interval as it ends (for progress lines).
SoakResult run_soak(int port, pid_t server_pid, const std::filesystem::path& database_path, const SoakOptions& options,
                    const std::function<void(const SoakInterval&)>& on_interval);

}  // namespace mlflowcpp::bench
