// The exposition text of --expose-prometheus: MLflow's series (names, labels,
// buckets) and mlflowcpp's by route pattern, parsed back; histograms stay
// consistent while threads record; process series; the cost of a scrape.

#include "server/http/http_metrics.hpp"
#include "server/http/metrics_handlers.hpp"
#include "server/http/route.hpp"
#include "server/http/router.hpp"
#include "server/http/store_metrics_series.hpp"
#include "server/store/measured_database.hpp"
#include "server/store/sqlite_database.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using std::chrono::milliseconds;

// One sample line: `name{labels} value`.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// A small reader of the text format, enough for what the server writes (no escapes inside label values but \").
struct Exposition {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;  // family -> type

  explicit Exposition(const std::string& text) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("# TYPE ", 0) == 0) {
        std::istringstream words(line.substr(7));
        std::string name, type;
        words >> name >> type;
        types[name] = type;
        continue;
      }
      if (line.empty() || line[0] == '#') continue;
      Sample sample;
      const auto brace = line.find('{');
      const auto space = line.rfind(' ');
      sample.name = line.substr(0, std::min(brace, space));
      if (brace != std::string::npos) {
        const auto close = line.rfind('}');
        std::string labels = line.substr(brace + 1, close - brace - 1);
        std::size_t at = 0;
        while (at < labels.size()) {
          const auto equals = labels.find('=', at);
          std::string key = labels.substr(at, equals - at);
          std::string value;
          std::size_t i = equals + 2;
          for (; labels[i] != '"'; ++i) {
            if (labels[i] == '\\') ++i;
            value.push_back(labels[i]);
          }
          sample.labels[key] = value;
          at = i + 2;  // past the quote and the comma
        }
      }
      sample.value = std::stod(line.substr(space + 1));
      samples.push_back(sample);
    }
  }

  std::vector<Sample> named(const std::string& name) const {
    std::vector<Sample> found;
    for (const auto& sample : samples) {
      if (sample.name == name) found.push_back(sample);
    }
    return found;
  }
  // The value of the one sample of `name` whose labels include `labels`; -1 when there is none.
  double value(const std::string& name, const std::map<std::string, std::string>& labels) const {
    for (const auto& sample : named(name)) {
      bool matches = true;
      for (const auto& [key, value] : labels) {
        const auto it = sample.labels.find(key);
        matches = matches && it != sample.labels.end() && it->second == value;
      }
      if (matches) return sample.value;
    }
    return -1;
  }
};

Route route_of(std::string method, std::string pattern, ApiFamily family = ApiFamily::kTracking,
               PathMatch match = PathMatch::kExact) {
  Route route;
  route.methods = {std::move(method)};
  route.pattern = std::move(pattern);
  route.match = match;
  route.family = family;
  route.handler = [](Request&, Reply&) {};
  return route;
}

class PrometheusMetricsTest : public ::testing::Test {
 protected:
  PrometheusMetricsTest() : router_("", 1024) {
    router_.add(route_of("POST", "/api/2.0/mlflow/runs/log-metric"));
    router_.add(route_of("GET", "/api/2.0/mlflow/runs/get"));
    router_.add(route_of("GET", "/health", ApiFamily::kServer));
    router_.add(route_of("PUT", "/api/2.0/mlflow-artifacts/artifacts/", ApiFamily::kArtifactProxy, PathMatch::kPrefix));
    metrics_->index_routes(router_);
  }
  std::string scrape() const {
    std::string out;
    metrics_->render(out);
    return out;
  }

  Router router_;
  std::shared_ptr<HttpMetrics> metrics_ = std::make_shared<HttpMetrics>("2.9.2", "0.1.0");
};

TEST_F(PrometheusMetricsTest, MlflowSeriesHaveTheExportersNamesLabelsAndBuckets) {
  metrics_->record("POST", "/api/2.0/mlflow/runs/log-metric", 200, milliseconds(3), 40, 2);
  metrics_->record("POST", "/api/2.0/mlflow/runs/log-metric", 200, milliseconds(30), 40, 2);
  metrics_->record("GET", "/api/2.0/mlflow/runs/get", 404, milliseconds(1), 0, 80);
  metrics_->record("GET", "/api/2.0/mlflow/runs/get", 500, milliseconds(1), 0, 80);
  const Exposition text(scrape());

  EXPECT_EQ(text.types.at("mlflow_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(text.types.at("mlflow_http_request_total"), "counter");
  EXPECT_EQ(text.types.at("mlflow_http_request_exceptions_total"), "counter");
  EXPECT_EQ(text.types.at("mlflow_exporter_info"), "gauge");
  EXPECT_EQ(text.value("mlflow_exporter_info", {{"version", "0.1.0"}}), 1);

  const std::map<std::string, std::string> post_200 = {
      {"method", "POST"}, {"mlflow_version", "2.9.2"}, {"status", "200"}};
  EXPECT_EQ(text.value("mlflow_http_request_duration_seconds_count", post_200), 2);
  EXPECT_NEAR(text.value("mlflow_http_request_duration_seconds_sum", post_200), 0.033, 1e-9);
  auto with_le = [&](std::string le) {
    auto labels = post_200;
    labels["le"] = std::move(le);
    return text.value("mlflow_http_request_duration_seconds_bucket", labels);
  };
  // prometheus_client's default buckets, written as Python writes them.
  EXPECT_EQ(with_le("0.005"), 1);
  EXPECT_EQ(with_le("0.025"), 1);
  EXPECT_EQ(with_le("0.05"), 2);
  EXPECT_EQ(with_le("1.0"), 2);
  EXPECT_EQ(with_le("10.0"), 2);
  EXPECT_EQ(with_le("+Inf"), 2);
  EXPECT_EQ(text.named("mlflow_http_request_duration_seconds_bucket").size(), 3u * 15u);

  EXPECT_EQ(text.value("mlflow_http_request_total", {{"method", "POST"}, {"status", "200"}}), 2);
  EXPECT_EQ(text.value("mlflow_http_request_total", {{"method", "GET"}, {"status", "404"}}), 1);
  EXPECT_EQ(text.value("mlflow_http_request_exceptions_total", {{"method", "GET"}, {"status", "500"}}), 1);
  EXPECT_EQ(text.named("mlflow_http_request_exceptions_total").size(), 1u);
  // The exporter's counters carry method and status only.
  for (const auto& sample : text.named("mlflow_http_request_total")) {
    EXPECT_EQ(sample.labels.size(), 2u);
  }
}

TEST_F(PrometheusMetricsTest, MlflowSeriesLeaveOutHealthAndVersionAsTheExporterDoes) {
  metrics_->record("GET", "/health", 200, milliseconds(1), 0, 2);
  const Exposition text(scrape());
  EXPECT_TRUE(text.named("mlflow_http_request_total").empty());
  EXPECT_EQ(text.value("mlflowcpp_http_request_duration_seconds_count",
                       {{"method", "GET"}, {"path", "/health"}, {"status", "200"}}),
            1);
}

TEST_F(PrometheusMetricsTest, RouteSeriesAreLabelledByPatternAndUnmatchedPathsShareOneLabel) {
  metrics_->record("PUT", "/api/2.0/mlflow-artifacts/artifacts/", 200, milliseconds(2), 1000, 0);
  metrics_->record("GET", "", 404, milliseconds(1), 0, 90);
  metrics_->record("GET", "", 404, milliseconds(1), 0, 90);
  metrics_->record("DELETE", "/not/a/pattern/of/the/router", 404, milliseconds(1), 0, 90);
  const Exposition text(scrape());
  EXPECT_EQ(text.types.at("mlflowcpp_http_request_duration_seconds"), "histogram");
  EXPECT_EQ(text.value("mlflowcpp_http_request_duration_seconds_count",
                       {{"method", "PUT"}, {"path", "/api/2.0/mlflow-artifacts/artifacts/"}, {"status", "200"}}),
            1);
  EXPECT_EQ(text.value("mlflowcpp_http_request_duration_seconds_count",
                       {{"method", "GET"}, {"path", "unmatched"}, {"status", "404"}}),
            2);
  EXPECT_EQ(text.value("mlflowcpp_http_request_duration_seconds_count",
                       {{"method", "DELETE"}, {"path", "unmatched"}, {"status", "404"}}),
            1);
  EXPECT_EQ(text.value("mlflowcpp_artifact_bytes_received_total", {}), 1000);
  EXPECT_EQ(text.value("mlflowcpp_artifact_bytes_sent_total", {}), 0);
}

TEST_F(PrometheusMetricsTest, HistogramsStayConsistentWhileThreadsRecord) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        metrics_->record(t % 2 ? "GET" : "POST", t % 2 ? "/api/2.0/mlflow/runs/get" : "/api/2.0/mlflow/runs/log-metric",
                         200 + (i % 3) * 100, std::chrono::microseconds(i % 20000), 0, 0);
      }
    });
  }
  for (int scrape_number = 0; scrape_number < 50; ++scrape_number) {
    const Exposition text(scrape());
    // Every histogram: buckets never decrease, and the count is the +Inf bucket.
    std::map<std::string, double> last_bucket;
    std::map<std::string, double> inf_bucket;
    for (const auto& sample : text.samples) {
      if (sample.name.size() < 7 || sample.name.compare(sample.name.size() - 7, 7, "_bucket") != 0) continue;
      std::string key = sample.name;
      for (const auto& [label, value] : sample.labels) {
        if (label != "le") key += "," + label + "=" + value;
      }
      if (last_bucket.count(key)) {
        EXPECT_GE(sample.value, last_bucket[key]) << key;
      }
      last_bucket[key] = sample.value;
      if (sample.labels.at("le") == "+Inf") inf_bucket[key] = sample.value;
    }
    for (const auto& sample : text.samples) {
      if (sample.name != "mlflowcpp_http_request_duration_seconds_count") continue;
      std::string key = "mlflowcpp_http_request_duration_seconds_bucket";
      for (const auto& [label, value] : sample.labels) key += "," + label + "=" + value;
      EXPECT_EQ(sample.value, inf_bucket[key]) << key;
    }
  }
  stop = true;
  for (auto& writer : writers) writer.join();
}

// Known writes and reads through a measured SQLite database: the store series count exactly them.
TEST(StoreMetricsTest, DatabaseCallsWriterGroupsAndConnectionsAreCounted) {
  const auto dir = std::filesystem::temp_directory_path() / ("mlflowcpp-store-metrics-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto series = std::make_shared<StoreMetricsSeries>();
  series->set_open_connections([] { return ConnectionCounts{2, 3}; });
  store::SqliteDatabaseOptions options;
  options.path = (dir / "mlflow.db").string();
  options.metrics = series;
  store::MeasuredDatabase database(std::make_shared<store::SqliteDatabase>(options), series);

  // A table of the test's own, so the writes depend on nothing of MLflow's schema.
  database.write([](store::sql::Connection& connection) { connection.execute("CREATE TABLE probe (key TEXT)"); });
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 25;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&database, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        database.write([&](store::sql::Connection& connection) {
          auto statement = connection.statement("INSERT INTO probe (key) VALUES (?)");
          statement->bind(1, "k" + std::to_string(t) + "-" + std::to_string(i));
          statement->execute();
        });
      }
    });
  }
  for (auto& writer : writers) writer.join();
  // A failing job is a call too.
  EXPECT_THROW(database.write([](store::sql::Connection&) { throw std::runtime_error("refused"); }),
               std::runtime_error);
  for (int i = 0; i < 3; ++i) {
    database.read([](store::sql::Connection& connection) { connection.statement("SELECT 1")->step(); });
  }

  std::string out;
  series->render(out);
  const Exposition text(out);
  constexpr double kWrites = 1 + kThreads * kWritesPerThread + 1;  // the table, the inserts, the failure
  EXPECT_EQ(text.types.at("mlflowcpp_store_database_duration_seconds"), "histogram");
  EXPECT_EQ(text.value("mlflowcpp_store_database_duration_seconds_count", {{"operation", "write"}}), kWrites);
  EXPECT_EQ(text.value("mlflowcpp_store_database_duration_seconds_bucket", {{"operation", "write"}, {"le", "+Inf"}}),
            kWrites);
  EXPECT_EQ(text.value("mlflowcpp_store_database_duration_seconds_count", {{"operation", "read"}}), 3);
  EXPECT_GT(text.value("mlflowcpp_store_database_duration_seconds_sum", {{"operation", "write"}}), 0);
  // Every write job ran in exactly one group; the queue is empty once all returned.
  EXPECT_EQ(text.types.at("mlflowcpp_sqlite_group_commit_jobs"), "histogram");
  EXPECT_EQ(text.value("mlflowcpp_sqlite_group_commit_jobs_sum", {}), kWrites);
  const double groups = text.value("mlflowcpp_sqlite_group_commit_jobs_count", {});
  EXPECT_GE(groups, 1);
  EXPECT_LE(groups, kWrites);
  EXPECT_EQ(text.value("mlflowcpp_sqlite_group_commit_jobs_bucket", {{"le", "+Inf"}}), groups);
  EXPECT_EQ(text.types.at("mlflowcpp_sqlite_writer_queue_depth"), "gauge");
  EXPECT_EQ(text.value("mlflowcpp_sqlite_writer_queue_depth", {}), 0);
  EXPECT_EQ(text.value("mlflowcpp_http_open_connections", {{"state", "busy"}}), 2);
  EXPECT_EQ(text.value("mlflowcpp_http_open_connections", {{"state", "idle"}}), 3);
  // No pool on SQLite: no pool series.
  EXPECT_TRUE(text.named("mlflowcpp_postgres_pool_connections").empty());

  series->pool_connections(4, 1);
  out.clear();
  series->render(out);
  const Exposition with_pool(out);
  EXPECT_EQ(with_pool.value("mlflowcpp_postgres_pool_connections", {{"state", "in_use"}}), 4);
  EXPECT_EQ(with_pool.value("mlflowcpp_postgres_pool_connections", {{"state", "idle"}}), 1);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

TEST(ProcessMetricsTest, StandardProcessSeriesArePresentAndPlausible) {
  auto metrics = std::make_shared<HttpMetrics>("2.9.2", "0.1.0");
  MetricsHandlers handlers(metrics);
  const Exposition text(handlers.render());
  EXPECT_GT(text.value("process_resident_memory_bytes", {}), 1024 * 1024);
  EXPECT_GT(text.value("process_open_fds", {}), 2);
  EXPECT_GE(text.value("process_cpu_seconds_total", {}), 0);
  EXPECT_EQ(text.types.at("process_cpu_seconds_total"), "counter");
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const double started = text.value("process_start_time_seconds", {});
  EXPECT_LE(started, now + 1);
  EXPECT_GT(started, now - 24 * 3600);
}

// A hundred routes, each with a few statuses: one scrape stays far below a millisecond (BENCHMARKS.md has the
// figures; the bound here only catches a scrape that grew by orders of magnitude).
TEST(PrometheusScrapeCostTest, AHundredRoutesScrapeQuickly) {
  Router router("", 1024);
  for (int i = 0; i < 100; ++i)
    router.add(route_of(i % 2 ? "GET" : "POST", "/api/2.0/mlflow/route-" + std::to_string(i)));
  auto metrics = std::make_shared<HttpMetrics>("2.9.2", "0.1.0");
  metrics->index_routes(router);
  for (int i = 0; i < 100; ++i) {
    for (int status : {200, 400, 404}) {
      metrics->record(i % 2 ? "GET" : "POST", "/api/2.0/mlflow/route-" + std::to_string(i), status, milliseconds(1), 0,
                      0);
    }
  }
  MetricsHandlers handlers(metrics);
  const auto started = std::chrono::steady_clock::now();
  constexpr int kScrapes = 20;
  std::size_t bytes = 0;
  for (int i = 0; i < kScrapes; ++i) bytes += handlers.render().size();
  const auto each = (std::chrono::steady_clock::now() - started) / kScrapes;
  EXPECT_GT(bytes, 0u);
  EXPECT_LT(each, milliseconds(20));
}

}  // namespace
}  // namespace mlflowcpp::server::http
