// The operations side of the real `mlflowcpp server`: the access log on stderr
// (text and JSON lines, what they hold and never hold, --no-access-log) and
// GET /metrics of --expose-prometheus, parsed back by the official Prometheus
// client's parser (python3-prometheus-client).

#include "auth_test_client.hpp"
#include "testing/process_runner.hpp"
#include "testing/server_process.hpp"
#include "testing/temp_dir.hpp"
#include "testing/wait.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::integration {
namespace {

using nlohmann::json;
using std::chrono::seconds;

// The server log's lines that contain `needle`.
std::vector<std::string> lines_with(const std::string& log, const std::string& needle) {
  std::vector<std::string> found;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

// Waits for the first line holding `needle` (the access log flushes within a few tens of milliseconds).
std::string wait_for_line(const testing::ServerProcess& server, const std::string& needle) {
  std::string line;
  testing::wait_until(
      [&] {
        const auto found = lines_with(server.log(), needle);
        if (!found.empty()) line = found.front();
        return !found.empty();
      },
      seconds(5));
  return line;
}

testing::ServerOptions with_flags(std::vector<std::string> flags) {
  testing::ServerOptions options;
  options.extra_args = std::move(flags);
  return options;
}

TEST(AccessLogTest, TextLinesHoldTimePeerUserRequestStatusBytesAndDuration) {
  testing::ServerProcess server;
  auto http = server.client();
  const auto created = http.post("/api/2.0/mlflow/experiments/create", {{"name", "access-log"}});
  ASSERT_EQ(created.status, 200) << created.describe();
  const std::string line = wait_for_line(server, "\"POST /api/2.0/mlflow/experiments/create\"");
  ASSERT_FALSE(line.empty()) << server.log();
  const std::regex shape(
      R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1 - "POST /api/2\.0/mlflow/experiments/create" 200 (\d+) \d+\.\d{3}ms id=[0-9a-f]{12})");
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, shape)) << line;
  EXPECT_EQ(std::stoul(match[1]), created.body.size());

  // A path no route has: logged with its status too.
  EXPECT_EQ(http.get("/no/such/path").status, 404);
  EXPECT_NE(wait_for_line(server, "\"GET /no/such/path\" 404 "), "") << server.log();
}

TEST(AccessLogTest, ThePeerIsTheClientTheTrustedProxyNames) {
  testing::ServerProcess server(with_flags({"--trusted-proxies", "127.0.0.1"}));
  auto http = server.client();
  http.request("GET", "/via/proxy", "", "", {{"X-Forwarded-For", "198.51.100.1, 203.0.113.9"}});
  const std::string line = wait_for_line(server, "\"GET /via/proxy\"");
  EXPECT_NE(line.find(" 203.0.113.9 - \"GET /via/proxy\" 404 "), std::string::npos) << line;
}

TEST(AccessLogTest, JsonLinesHaveStableFields) {
  testing::ServerProcess server(with_flags({"--access-log-format", "json"}));
  auto http = server.client();
  ASSERT_EQ(http.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
  const std::string line = wait_for_line(server, "\"path\":\"/api/2.0/mlflow/experiments/get\"");
  ASSERT_FALSE(line.empty()) << server.log();
  const json entry = json::parse(line);
  EXPECT_EQ(entry["remote_addr"], "127.0.0.1");
  EXPECT_TRUE(entry["user"].is_null());
  EXPECT_EQ(entry["method"], "GET");
  EXPECT_EQ(entry["status"], 200);
  EXPECT_GT(entry["bytes"].get<long>(), 0);
  EXPECT_GE(entry["duration_ms"].get<double>(), 0.0);
  EXPECT_EQ(entry["request_id"].get<std::string>().size(), 12u);
  EXPECT_EQ(entry["complete"], true);
  EXPECT_TRUE(
      std::regex_match(entry["time"].get<std::string>(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
}

TEST(AccessLogTest, NoAccessLogWritesNoLines) {
  testing::ServerProcess server(with_flags({"--no-access-log"}));
  auto http = server.client();
  ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", {{"name", "quiet"}}).status, 200);
  ASSERT_EQ(http.get("/no/such/path").status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // several flush intervals
  EXPECT_TRUE(lines_with(server.log(), "experiments/create").empty()) << server.log();
  EXPECT_TRUE(lines_with(server.log(), "/no/such/path").empty()) << server.log();
  EXPECT_TRUE(lines_with(server.log(), "\"GET /health\"").empty()) << server.log();
}

TEST(AccessLogTest, NoAccessLogFromTheEnvironment) {
  testing::ServerOptions options;
  options.environment["MLFLOWCPP_ACCESS_LOG"] = "false";
  testing::ServerProcess server(options);
  ASSERT_EQ(server.client().get("/no/such/path").status, 404);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(lines_with(server.log(), "/no/such/path").empty()) << server.log();
}

TEST(AccessLogTest, QueryStringsAndHeadersNeverReachTheLog) {
  testing::ServerProcess server;
  auto http = server.client();
  const std::string token = "Secret-Token-0123456789";
  http.get("/api/2.0/mlflow/experiments/get?experiment_id=0&token=" + token);
  // The shape of a presigned S3 URL, and cookies and bearer tokens in headers.
  http.request("GET",
               "/api/2.0/mlflow-artifacts/artifacts/0/presigned.bin?X-Amz-Credential=AKIAEXAMPLE%2F20260101&"
               "X-Amz-Signature=" +
                   token,
               "", "", {{"Cookie", "session=" + token}, {"Authorization", "Bearer " + token}});
  ASSERT_NE(wait_for_line(server, "\"GET /api/2.0/mlflow-artifacts/artifacts/0/presigned.bin\""), "") << server.log();
  ASSERT_NE(wait_for_line(server, "\"GET /api/2.0/mlflow/experiments/get\""), "") << server.log();
  const std::string log = server.log();
  EXPECT_EQ(log.find(token), std::string::npos) << log;
  EXPECT_EQ(log.find("AKIAEXAMPLE"), std::string::npos) << log;
  EXPECT_EQ(log.find("experiment_id="), std::string::npos) << log;
}

TEST(AccessLogTest, BasicAuthLogsTheUserNeverThePassword) {
  testing::TempDir dir;
  testing::ServerOptions options = basic_auth_server(dir.path());
  options.extra_args.push_back("--access-log-format");
  options.extra_args.push_back("json");
  testing::ServerProcess server(options);
  AuthClient admin(server, kAuthAdmin, kAuthAdminPassword);
  ASSERT_EQ(admin.get("/api/2.0/mlflow/experiments/get?experiment_id=0").status, 200);
  AuthClient intruder(server, kAuthAdmin, "a-wrong-password-for-the-log");
  ASSERT_EQ(intruder.get("/api/2.0/mlflow/experiments/search?max_results=1").status, 401);

  const std::string admin_line = wait_for_line(server, "\"path\":\"/api/2.0/mlflow/experiments/get\"");
  ASSERT_FALSE(admin_line.empty()) << server.log();
  EXPECT_EQ(json::parse(admin_line)["user"], kAuthAdmin);
  const std::string refused_line = wait_for_line(server, "\"path\":\"/api/2.0/mlflow/experiments/search\"");
  ASSERT_FALSE(refused_line.empty()) << server.log();
  EXPECT_TRUE(json::parse(refused_line)["user"].is_null()) << refused_line;
  EXPECT_EQ(json::parse(refused_line)["status"], 401);

  const std::string log = server.log();
  EXPECT_EQ(log.find(kAuthAdminPassword), std::string::npos);
  EXPECT_EQ(log.find("a-wrong-password-for-the-log"), std::string::npos);
  for (const auto& password : {std::string(kAuthAdminPassword), std::string("a-wrong-password-for-the-log")}) {
    const std::string header = httplib::make_basic_authentication_header(kAuthAdmin, password).second;
    EXPECT_EQ(log.find(header.substr(6)), std::string::npos) << "the credentials' base64 is in the log";
  }
}

// The scrape, parsed by prometheus_client's own parser: every family with its type, every sample, and each
// histogram checked (buckets never decrease, +Inf equals _count).
json parse_with_prometheus_client(const std::string& exposition) {
  testing::TempDir dir;
  const auto path = dir / "scrape.txt";
  testing::write_file(path, exposition);
  const std::string script = R"(
import json, sys
from prometheus_client.parser import text_string_to_metric_families
families, samples = {}, []
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    families[family.name] = family.type
    series = {}
    for s in family.samples:
        samples.append([s.name, s.labels, s.value])
        if family.type == "histogram":
            key = tuple(sorted((k, v) for k, v in s.labels.items() if k != "le"))
            entry = series.setdefault(key, {"buckets": [], "count": None})
            if s.name.endswith("_bucket"):
                entry["buckets"].append((float(s.labels["le"]), s.value))
            elif s.name.endswith("_count"):
                entry["count"] = s.value
    for key, entry in series.items():
        buckets = sorted(entry["buckets"])
        assert all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), key
        assert buckets[-1][0] == float("inf") and buckets[-1][1] == entry["count"], key
print(json.dumps({"families": families, "samples": samples}))
)";
  // Debian's interpreter, where python3-prometheus-client installs (not another python3 on the PATH).
  const testing::CommandResult result = testing::run_command("/usr/bin/python3", {"-c", script, path.string()});
  if (result.exit_code != 0) {
    ADD_FAILURE() << "python3 with prometheus_client failed (scripts/install-deps.sh --test installs "
                     "python3-prometheus-client):\n"
                  << result.output;
    return json::object();
  }
  return json::parse(result.output);
}

double sample_value(const json& parsed, const std::string& name, const json& labels) {
  for (const auto& sample : parsed["samples"]) {
    if (sample[0] != name) continue;
    bool matches = true;
    for (const auto& [key, value] : labels.items()) matches = matches && sample[1].value(key, "") == value;
    if (matches) return sample[2].get<double>();
  }
  return -1;
}

TEST(PrometheusTest, ScrapeParsesWithTheOfficialParserAndCountsRequests) {
  testing::TempDir dir;
  const auto metrics_dir = dir / "prometheus" / "multiproc";
  testing::ServerProcess server(with_flags({"--expose-prometheus", metrics_dir.string()}));
  EXPECT_TRUE(std::filesystem::is_directory(metrics_dir));
  auto http = server.client();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(http.post("/api/2.0/mlflow/experiments/create", {{"name", "prometheus-" + std::to_string(i)}}).status,
              200);
  }
  ASSERT_EQ(http.get("/api/2.0/mlflow/experiments/get?experiment_id=12345").status, 404);
  ASSERT_EQ(http.get("/no/such/path/1").status, 404);
  ASSERT_EQ(http.get("/no/such/path/2").status, 404);

  const auto scrape = http.get("/metrics");
  ASSERT_EQ(scrape.status, 200) << scrape.describe();
  EXPECT_EQ(scrape.content_type(), "text/plain; version=0.0.4; charset=utf-8");
  const json parsed = parse_with_prometheus_client(scrape.body);
  ASSERT_TRUE(parsed.contains("families")) << scrape.body;
  const json& families = parsed["families"];
  EXPECT_EQ(families.value("mlflow_http_request_duration_seconds", ""), "histogram");
  EXPECT_EQ(families.value("mlflow_http_request", ""), "counter");  // the parser drops _total
  EXPECT_EQ(families.value("mlflow_http_request_exceptions", ""), "counter");
  EXPECT_EQ(families.value("mlflow_exporter_info", ""), "gauge");
  EXPECT_EQ(families.value("mlflowcpp_http_request_duration_seconds", ""), "histogram");
  for (const char* name : {"process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds"}) {
    EXPECT_EQ(families.value(name, ""), "gauge") << name;
  }
  EXPECT_EQ(families.value("process_cpu_seconds", ""), "counter");

  EXPECT_EQ(sample_value(parsed, "mlflow_http_request_total", {{"method", "POST"}, {"status", "200"}}), 3);
  EXPECT_EQ(sample_value(parsed, "mlflow_http_request_duration_seconds_count",
                         {{"method", "POST"}, {"status", "200"}, {"mlflow_version", "2.9.2"}}),
            3);
  EXPECT_EQ(sample_value(parsed, "mlflowcpp_http_request_duration_seconds_count",
                         {{"method", "POST"}, {"path", "/api/2.0/mlflow/experiments/create"}, {"status", "200"}}),
            3);
  EXPECT_EQ(sample_value(parsed, "mlflowcpp_http_request_duration_seconds_count",
                         {{"method", "GET"}, {"path", "/api/2.0/mlflow/experiments/get"}, {"status", "404"}}),
            1);
  // Raw paths never become labels: both unknown paths share one series.
  EXPECT_EQ(sample_value(parsed, "mlflowcpp_http_request_duration_seconds_count",
                         {{"method", "GET"}, {"path", "unmatched"}, {"status", "404"}}),
            2);
  for (const auto& sample : parsed["samples"]) {
    EXPECT_EQ(sample[1].value("path", "").find("/no/such"), std::string::npos) << sample.dump();
  }
  // The health checks of the start-up are not in MLflow's series, as its exporter leaves /health out.
  EXPECT_EQ(sample_value(parsed, "mlflow_http_request_total", {{"method", "GET"}, {"status", "200"}}), -1);
  EXPECT_GT(sample_value(parsed, "process_resident_memory_bytes", json::object()), 1e6);
}

// The store series between two scrapes: every write job of the known writes is counted once as a database
// write and once in a SQLite group commit.
TEST(PrometheusTest, StoreSeriesCountKnownWritesConsistently) {
  testing::TempDir dir;
  testing::ServerProcess server(with_flags({"--expose-prometheus", (dir / "prometheus").string()}));
  auto http = server.client();
  const auto created = http.post("/api/2.0/mlflow/experiments/create", {{"name", "store-series"}});
  ASSERT_EQ(created.status, 200) << created.describe();
  const auto run = http.post("/api/2.0/mlflow/runs/create",
                             {{"experiment_id", json::parse(created.body)["experiment_id"]}, {"start_time", 1}});
  ASSERT_EQ(run.status, 200) << run.describe();
  const std::string run_id = json::parse(run.body)["run"]["info"]["run_id"];

  const json before = parse_with_prometheus_client(http.get("/metrics").body);
  ASSERT_TRUE(before.contains("families"));
  EXPECT_EQ(before["families"].value("mlflowcpp_store_database_duration_seconds", ""), "histogram");
  EXPECT_EQ(before["families"].value("mlflowcpp_sqlite_group_commit_jobs", ""), "histogram");
  EXPECT_EQ(before["families"].value("mlflowcpp_sqlite_writer_queue_depth", ""), "gauge");
  EXPECT_EQ(before["families"].value("mlflowcpp_http_open_connections", ""), "gauge");
  EXPECT_FALSE(before["families"].contains("mlflowcpp_postgres_pool_connections"));  // SQLite: no pool

  constexpr int kWrites = 10;
  for (int i = 0; i < kWrites; ++i) {
    ASSERT_EQ(http.post("/api/2.0/mlflow/runs/log-metric",
                        {{"run_id", run_id}, {"key", "m"}, {"value", i}, {"timestamp", 1}, {"step", i}})
                  .status,
              200);
  }
  ASSERT_EQ(http.get("/api/2.0/mlflow/runs/get?run_id=" + run_id).status, 200);
  const json after = parse_with_prometheus_client(http.get("/metrics").body);
  const auto delta = [&](const std::string& name, const json& labels) {
    return sample_value(after, name, labels) - sample_value(before, name, labels);
  };
  const double writes = delta("mlflowcpp_store_database_duration_seconds_count", {{"operation", "write"}});
  EXPECT_GE(writes, kWrites);
  EXPECT_EQ(delta("mlflowcpp_store_database_duration_seconds_bucket", {{"operation", "write"}, {"le", "+Inf"}}),
            writes);
  EXPECT_GE(delta("mlflowcpp_store_database_duration_seconds_count", {{"operation", "read"}}), 1);
  EXPECT_EQ(delta("mlflowcpp_sqlite_group_commit_jobs_sum", json::object()), writes);
  EXPECT_GE(delta("mlflowcpp_sqlite_group_commit_jobs_count", json::object()), 1);
  EXPECT_EQ(sample_value(after, "mlflowcpp_sqlite_writer_queue_depth", json::object()), 0);
  // The scrape's own connection is being served.
  EXPECT_GE(sample_value(after, "mlflowcpp_http_open_connections", {{"state", "busy"}}), 1);
}

TEST(PrometheusTest, MetricsIsServedAtTheRootWhateverTheStaticPrefix) {
  testing::ServerOptions options =
      with_flags({"--expose-prometheus", "/tmp/mlflowcpp-prometheus-test-dir", "--static-prefix", "/mlflow"});
  testing::ServerProcess server(options);
  auto http = server.client();
  EXPECT_EQ(http.get("/metrics").status, 200);
  EXPECT_EQ(http.get("/mlflow/metrics").status, 404);
}

TEST(PrometheusTest, WithoutTheFlagMetricsIsNotServed) {
  testing::ServerProcess server;
  const auto answer = server.client().get("/metrics");
  EXPECT_EQ(answer.status, 404);
  EXPECT_EQ(answer.error_code(), "ENDPOINT_NOT_FOUND");
}

TEST(PrometheusTest, WithBasicAuthAnySignedInUserMayScrape) {
  testing::TempDir dir;
  testing::ServerOptions options = basic_auth_server(dir.path(), "NO_PERMISSIONS");
  options.extra_args.push_back("--expose-prometheus");
  options.extra_args.push_back((dir / "prometheus").string());
  testing::ServerProcess server(options);
  EXPECT_EQ(server.client().get("/metrics").status, 401);
  AuthClient admin(server, kAuthAdmin, kAuthAdminPassword);
  ASSERT_EQ(
      admin.call("POST", "/api/2.0/mlflow/users/create", {{"username", "scraper"}, {"password", "scraper-password-1"}})
          .status,
      200);
  AuthClient scraper(server, "scraper", "scraper-password-1");
  const auto scrape = scraper.get("/metrics");
  EXPECT_EQ(scrape.status, 200) << scrape.describe();
  EXPECT_NE(scrape.body.find("mlflow_http_request_total"), std::string::npos);
}

TEST(PrometheusTest, BadOperationsFlagsAreRefused) {
  testing::TempDir dir;
  const auto file = dir / "a-file";
  testing::write_file(file, "x");
  for (const std::vector<std::string>& flags : {std::vector<std::string>{"--access-log-format", "xml"},
                                                {"--expose-prometheus", (file / "sub").string()},
                                                {"--no-access-log=yes"}}) {
    std::vector<std::string> args = {"server", "--port", "0", "--backend-store-uri",
                                     "sqlite:///" + (dir / "m.db").string()};
    args.insert(args.end(), flags.begin(), flags.end());
    const auto result = testing::run_command(testing::server_binary(), args, {}, seconds(20));
    EXPECT_EQ(result.exit_code, 2) << flags[0] << ": " << result.output;
    EXPECT_NE(result.output.find(flags[0].substr(0, flags[0].find('='))), std::string::npos) << result.output;
  }
}

}  // namespace
}  // namespace mlflowcpp::integration
