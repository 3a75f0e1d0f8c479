// Two `mlflowcpp server` replicas on one PostgreSQL database, written to by
// 16 concurrent clients spread over both: afterwards every run, param and
// metric point is there exactly once, latest_metrics holds the greatest
// (step, timestamp, value) of each series, a name contested by every client
// went to exactly one of them, and nobody saw a 5xx.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "integration/tracking_api.hpp"
#include "testing/postgres_process.hpp"
#include "testing/server_process.hpp"
#include "testing/wait.hpp"

namespace mlflowcpp::integration {
namespace {

constexpr int kWriters = 16;
constexpr int kSharedRuns = 4;
constexpr int kOwnRunsPerWriter = 3;
constexpr int kRoundsPerWriter = 20;

// (step, timestamp, value): the order latest_metrics keeps the greatest of.
using MetricPoint = std::tuple<int64_t, int64_t, double>;

// What the writers did, to check the database against.
class Ledger {
 public:
  void param(const std::string& run_id, const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    params_[run_id].insert(key);
  }
  void metric(const std::string& run_id, const std::string& key, MetricPoint point) {
    std::lock_guard<std::mutex> lock(mutex_);
    points_[{run_id, key}].push_back(point);
  }
  void run(const std::string& run_id) {
    std::lock_guard<std::mutex> lock(mutex_);
    runs_.insert(run_id);
  }
  void failure(const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.push_back(what);
  }

  // Read once the writers are done.
  const std::map<std::string, std::set<std::string>>& params() const { return params_; }
  const std::map<std::pair<std::string, std::string>, std::vector<MetricPoint>>& points() const { return points_; }
  const std::set<std::string>& runs() const { return runs_; }
  const std::vector<std::string>& failures() const { return failures_; }

 private:
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> params_;
  std::map<std::pair<std::string, std::string>, std::vector<MetricPoint>> points_;
  std::set<std::string> runs_;
  std::vector<std::string> failures_;
};

Json metric_json(const std::string& key, const MetricPoint& point) {
  return {{"key", key}, {"value", std::get<2>(point)}, {"timestamp", std::get<1>(point)}, {"step", std::get<0>(point)}};
}

// One client's work, on its own keep-alive connection to one replica.
void write_as(int writer, HttpClient& http, const std::string& experiment_id,
              const std::vector<std::string>& shared_runs, Ledger& ledger) {
  const auto expect_ok = [&](const HttpResponse& response, const std::string& what) {
    if (response.status != 200) ledger.failure("writer " + std::to_string(writer) + " " + what + ": " +
                                               response.describe());
    return response.status == 200;
  };

  for (int own = 0; own < kOwnRunsPerWriter; ++own) {
    const auto created = http.post(kApi + "/runs/create",
                                   {{"experiment_id", experiment_id},
                                    {"run_name", "w" + std::to_string(writer) + "-" + std::to_string(own)},
                                    {"start_time", 1700000000000LL + writer}});
    if (!expect_ok(created, "runs/create")) continue;
    const std::string run_id = created.json["run"]["info"]["run_id"];
    ledger.run(run_id);
    Json metrics = Json::array();
    for (int step = 0; step < 10; ++step) {
      const MetricPoint point{step, 1000 + step, writer + step / 10.0};
      metrics.push_back(metric_json("own", point));
      ledger.metric(run_id, "own", point);
    }
    Json params = Json::array();
    for (int p = 0; p < 3; ++p) {
      params.push_back({{"key", "own" + std::to_string(p)}, {"value", std::to_string(p)}});
      ledger.param(run_id, "own" + std::to_string(p));
    }
    expect_ok(http.post(kApi + "/runs/log-batch", {{"run_id", run_id}, {"metrics", metrics}, {"params", params}}),
              "log-batch to its own run");
  }

  for (int round = 0; round < kRoundsPerWriter; ++round) {
    const std::string& run_id = shared_runs[static_cast<size_t>((writer + round) % kSharedRuns)];
    // Steps and timestamps collide across writers on purpose: the greatest
    // (step, timestamp, value) must win whichever replica commits last.
    const MetricPoint point{round % 5, 1000 + (writer * 31 + round * 17) % 50, writer * 1000.0 + round};
    if (expect_ok(http.post(kApi + "/runs/log-metric", {{"run_id", run_id}, {"key", "loss"},
                                                        {"value", std::get<2>(point)},
                                                        {"timestamp", std::get<1>(point)},
                                                        {"step", std::get<0>(point)}}),
                  "log-metric")) {
      ledger.metric(run_id, "loss", point);
    }
    const std::string key = "w" + std::to_string(writer) + "_r" + std::to_string(round);
    if (expect_ok(http.post(kApi + "/runs/log-parameter", {{"run_id", run_id}, {"key", key}, {"value", "x"}}),
                  "log-parameter")) {
      ledger.param(run_id, key);
    }
    // Every writer logs the same param with the same value: allowed, stored once.
    if (expect_ok(http.post(kApi + "/runs/log-parameter",
                            {{"run_id", shared_runs[0]}, {"key", "same_everywhere"}, {"value", "same"}}),
                  "log-parameter of one shared value")) {
      ledger.param(shared_runs[0], "same_everywhere");
    }
    if (round % 4 == 0) {
      Json metrics = Json::array();
      std::vector<MetricPoint> points;
      for (int j = 0; j < 5; ++j) {
        points.emplace_back(round, 2000 + j, writer * 1000.0 + round * 10 + j);
        metrics.push_back(metric_json("acc", points.back()));
      }
      Json params = Json::array();
      for (int j = 0; j < 2; ++j) params.push_back({{"key", key + "_b" + std::to_string(j)}, {"value", "y"}});
      Json tags = Json::array({{{"key", "last_writer"}, {"value", std::to_string(writer)}}});
      if (expect_ok(http.post(kApi + "/runs/log-batch",
                              {{"run_id", run_id}, {"metrics", metrics}, {"params", params}, {"tags", tags}}),
                    "log-batch to a shared run")) {
        for (const auto& batch_point : points) ledger.metric(run_id, "acc", batch_point);
        for (int j = 0; j < 2; ++j) ledger.param(run_id, key + "_b" + std::to_string(j));
      }
    }
  }
}

class PostgresReplicasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    postgres_ = std::make_unique<testing::PostgresProcess>();
    uri_ = postgres_->create_database("replicas");  // empty: the first replica creates the schema
    for (int replica = 0; replica < 2; ++replica) {
      testing::ServerOptions options;
      options.backend_store_uri = uri_;
      // Fewer connections than clients per replica: the pool is shared under load.
      options.environment["MLFLOW_SQLALCHEMYSTORE_POOL_SIZE"] = "4";
      options.environment["MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW"] = "2";
      replicas_.push_back(std::make_unique<testing::ServerProcess>(options));
    }
  }

  std::string psql(const std::string& sql) { return postgres_->psql("replicas", sql); }

  std::unique_ptr<testing::PostgresProcess> postgres_;
  std::string uri_;
  std::vector<std::unique_ptr<testing::ServerProcess>> replicas_;
};

TEST_F(PostgresReplicasTest, ConcurrentWritersThroughTwoReplicasLoseNothing) {
  HttpClient setup = replicas_[0]->client();
  TrackingApi api(setup);
  const std::string experiment_id = api.create_experiment("shared");
  ASSERT_FALSE(experiment_id.empty());
  std::vector<std::string> shared_runs;
  Ledger ledger;
  for (int i = 0; i < kSharedRuns; ++i) {
    shared_runs.push_back(api.create_run(experiment_id, {{"run_name", "shared-" + std::to_string(i)}}));
    ASSERT_FALSE(shared_runs.back().empty());
    ledger.run(shared_runs.back());
  }

  // Every writer creates the experiment "contested" at the same moment, then does its work.
  std::atomic<int> ready{0};
  std::atomic<int> contested_created{0};
  std::atomic<int> contested_exists{0};
  std::vector<std::thread> writers;
  for (int writer = 0; writer < kWriters; ++writer) {
    writers.emplace_back([&, writer] {
      HttpClient http = replicas_[static_cast<size_t>(writer % 2)]->client(std::chrono::seconds(120));
      ++ready;
      testing::wait_until([&] { return ready.load() == kWriters; }, std::chrono::seconds(30),
                          std::chrono::milliseconds(1));
      const auto contested = http.post(kApi + "/experiments/create", {{"name", "contested"}});
      if (contested.status == 200) {
        ++contested_created;
      } else if (contested.status == 400 && contested.error_code() == "RESOURCE_ALREADY_EXISTS") {
        ++contested_exists;
      } else {
        ledger.failure("experiments/create contested: " + contested.describe());
      }
      write_as(writer, http, experiment_id, shared_runs, ledger);
    });
  }
  for (auto& writer : writers) writer.join();

  for (const auto& failure : ledger.failures()) ADD_FAILURE() << failure;
  EXPECT_EQ(contested_created.load(), 1);
  EXPECT_EQ(contested_exists.load(), kWriters - 1);

  // Through the API of the other replica: runs, params, history, latest metrics.
  HttpClient check = replicas_[1]->client();
  TrackingApi check_api(check);
  const auto searched =
      check.post(kApi + "/runs/search", {{"experiment_ids", {experiment_id}}, {"max_results", 1000}});
  ASSERT_TRUE(IsOk(searched));
  std::set<std::string> found_runs;
  for (const auto& run : searched.json.value("runs", Json::array())) found_runs.insert(run["info"]["run_id"]);
  EXPECT_EQ(found_runs, ledger.runs());
  EXPECT_EQ(ledger.runs().size(), static_cast<size_t>(kSharedRuns + kWriters * kOwnRunsPerWriter));

  size_t expected_params = 0;
  for (const auto& [run_id, keys] : ledger.params()) {
    const Json run = check_api.get_run(run_id);
    const auto params = key_values(run["data"], "params");
    EXPECT_EQ(params.size(), keys.size()) << "params of run " << run_id;
    expected_params += keys.size();
  }
  size_t expected_points = 0;
  for (const auto& [series, points] : ledger.points()) {
    const auto& [run_id, key] = series;
    EXPECT_EQ(check_api.history(run_id, key).size(), points.size()) << "history of " << key << " in " << run_id;
    expected_points += points.size();
    MetricPoint greatest = points.front();
    for (const auto& point : points) greatest = std::max(greatest, point);
    const Json latest = find_metric(check_api.get_run(run_id)["data"], key);
    ASSERT_TRUE(latest.is_object()) << key << " missing from run " << run_id;
    EXPECT_EQ(latest.value("step", int64_t{-1}), std::get<0>(greatest)) << key << " in " << run_id;
    EXPECT_EQ(latest.value("timestamp", int64_t{-1}), std::get<1>(greatest)) << key << " in " << run_id;
    EXPECT_EQ(latest.value("value", -1.0), std::get<2>(greatest)) << key << " in " << run_id;
  }

  // And in the tables, as MLflow would read them.
  EXPECT_EQ(psql("SELECT count(*) FROM runs"), std::to_string(ledger.runs().size()) + "\n");
  EXPECT_EQ(psql("SELECT count(*) FROM params"), std::to_string(expected_params) + "\n");
  EXPECT_EQ(psql("SELECT count(*) FROM metrics"), std::to_string(expected_points) + "\n");
  EXPECT_EQ(psql("SELECT count(*) FROM latest_metrics"), std::to_string(ledger.points().size()) + "\n");
  EXPECT_EQ(psql("SELECT count(*) FROM latest_metrics l WHERE (l.step, l.timestamp, l.value) <> "
                 "(SELECT m.step, m.timestamp, m.value FROM metrics m WHERE m.run_uuid = l.run_uuid AND m.key = l.key "
                 "ORDER BY m.step DESC, m.timestamp DESC, m.value DESC LIMIT 1)"),
            "0\n");
  EXPECT_EQ(psql("SELECT count(*) FROM experiments WHERE name = 'contested'"), "1\n");
}

TEST_F(PostgresReplicasTest, AReplicaRestartedMeanwhileSeesEverything) {
  HttpClient first = replicas_[0]->client();
  const std::string experiment_id = TrackingApi(first).create_experiment("before-restart");
  replicas_[1]->restart();
  HttpClient second = replicas_[1]->client();
  const Json experiment = TrackingApi(second).get_experiment(experiment_id);
  EXPECT_EQ(experiment.value("name", ""), "before-restart");
  // PostgreSQL restarting under the replicas: their pooled connections die,
  // and the next calls reconnect.
  psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'replicas' AND "
       "pid <> pg_backend_pid()");
  for (auto* http : {&first, &second}) {
    const auto response = http->get(kApi + "/experiments/get?experiment_id=" + experiment_id);
    EXPECT_TRUE(IsOk(response));
  }
}

TEST(PostgresPoolTest, PoolSettingsBoundTheConnectionsOfAServer) {
  testing::PostgresProcess postgres;
  const std::string uri = postgres.create_database("pool");
  testing::ServerOptions options;
  options.backend_store_uri = uri;
  options.environment["MLFLOW_SQLALCHEMYSTORE_POOL_SIZE"] = "7";  // the flag below wins
  options.environment["MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW"] = "1";
  options.extra_args = {"--db-pool-size", "2"};
  testing::ServerProcess server(options);
  const std::string experiment_id = [&] {
    HttpClient http = server.client();
    return TrackingApi(http).create_experiment("pool");
  }();

  const std::string count_connections =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = 'pool' AND pid <> pg_backend_pid()";
  std::atomic<bool> loading{true};
  std::atomic<int> most_connections{0};
  std::thread sampler([&] {
    while (loading) {
      const int now = std::stoi(postgres.psql("pool", count_connections));
      if (now > most_connections) most_connections = now;
    }
  });
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int client = 0; client < 12; ++client) {
    clients.emplace_back([&] {
      HttpClient http = server.client();
      for (int i = 0; i < 20; ++i) {
        if (http.post(kApi + "/runs/create", {{"experiment_id", experiment_id}}).status != 200) ++failures;
      }
    });
  }
  for (auto& client : clients) client.join();
  loading = false;
  sampler.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(most_connections.load(), 3) << "pool size 2 + overflow 1";
  EXPECT_GE(most_connections.load(), 1);
  EXPECT_EQ(postgres.psql("pool", "SELECT count(*) FROM runs"), "240\n");
}

TEST(PostgresPoolTest, BadPoolSettingsAreRefusedAtStartup) {
  testing::TempDir dir;
  const auto result = testing::run_command(
      testing::server_binary(), {"server", "--port", "0", "--backend-store-uri", "sqlite:///" + (dir.path() / "x.db").string()},
      {{"MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW", std::string("lots")}});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("--db-max-overflow"), std::string::npos) << result.output;
}

}  // namespace
}  // namespace mlflowcpp::integration
