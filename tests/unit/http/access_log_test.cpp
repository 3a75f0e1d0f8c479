// The access log: the text and JSON lines (fields, escaping, what is never
// written), and the buffered writer (lines out promptly while idle, flush,
// reopen after rotation, dropping instead of blocking when the destination stalls).

#include "server/http/access_log_line.hpp"
#include "server/http/buffered_log_writer.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

namespace mlflowcpp::server::http {
namespace {

using namespace std::chrono_literals;

AccessLogEntry sample_entry() {
  AccessLogEntry entry;
  // 2026-01-02T03:04:05.678Z
  entry.started = std::chrono::system_clock::time_point(std::chrono::milliseconds(1767323045678));
  entry.peer_address = "10.0.0.7";
  entry.user = "alice";
  entry.method = "POST";
  entry.path = "/api/2.0/mlflow/runs/log-metric";
  entry.status = 200;
  entry.bytes_sent = 2;
  entry.duration = std::chrono::microseconds(1234);
  entry.request_id = "00000000002a";
  return entry;
}

std::string line_of(const AccessLogEntry& entry, AccessLogFormat format) {
  std::string out;
  append_access_log_line(out, entry, format);
  return out;
}

TEST(AccessLogLineTest, TextLineHoldsEveryFieldInOrder) {
  EXPECT_EQ(line_of(sample_entry(), AccessLogFormat::kText),
            "2026-01-02T03:04:05.678Z 10.0.0.7 alice \"POST /api/2.0/mlflow/runs/log-metric\" 200 2 1.234ms "
            "id=00000000002a\n");
}

TEST(AccessLogLineTest, TextLineWritesDashesForNoUserAndMarksBrokenStreams) {
  AccessLogEntry entry = sample_entry();
  entry.user = "";
  entry.complete = false;
  EXPECT_EQ(line_of(entry, AccessLogFormat::kText),
            "2026-01-02T03:04:05.678Z 10.0.0.7 - \"POST /api/2.0/mlflow/runs/log-metric\" 200 2 1.234ms "
            "id=00000000002a incomplete\n");
}

TEST(AccessLogLineTest, JsonLineHasStableFieldNames) {
  const std::string line = line_of(sample_entry(), AccessLogFormat::kJson);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json, nlohmann::json::parse(R"({"time": "2026-01-02T03:04:05.678Z", "remote_addr": "10.0.0.7",
      "user": "alice", "method": "POST", "path": "/api/2.0/mlflow/runs/log-metric", "status": 200, "bytes": 2,
      "duration_ms": 1.234, "request_id": "00000000002a", "complete": true})"));
  AccessLogEntry anonymous = sample_entry();
  anonymous.user = "";
  EXPECT_TRUE(nlohmann::json::parse(line_of(anonymous, AccessLogFormat::kJson))["user"].is_null());
}

TEST(AccessLogLineTest, ClientChosenBytesCannotForgeALine) {
  AccessLogEntry entry = sample_entry();
  const std::string path = "/api/2.0/mlflow-artifacts/artifacts/a\"b\\c\nfake 200\r\x01\xff\xc3\xa9.txt";
  entry.path = path;
  const std::string user = "eve\" 10.0.0.1";
  entry.user = user;

  const std::string text = line_of(entry, AccessLogFormat::kText);
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << text;
  EXPECT_NE(text.find("a\\x22b\\x5cc\\x0afake 200\\x0d\\x01\\xff\\xc3\\xa9.txt"), std::string::npos) << text;
  EXPECT_NE(text.find(" eve\\x22 10.0.0.1 "), std::string::npos) << text;

  const std::string json_line = line_of(entry, AccessLogFormat::kJson);
  EXPECT_EQ(json_line.find('\n'), json_line.size() - 1) << json_line;
  const auto json = nlohmann::json::parse(json_line);  // valid JSON, valid UTF-8
  EXPECT_EQ(json["path"], "/api/2.0/mlflow-artifacts/artifacts/a\"b\\c\nfake 200\r\x01\xef\xbf\xbd\xc3\xa9.txt");
  EXPECT_EQ(json["user"], user);
}

TEST(AccessLogLineTest, Iso8601TimesAreUtcWithMilliseconds) {
  EXPECT_EQ(iso8601_utc_milliseconds(std::chrono::system_clock::time_point(std::chrono::milliseconds(5))),
            "1970-01-01T00:00:00.005Z");
  const std::regex shape(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  EXPECT_TRUE(std::regex_match(iso8601_utc_milliseconds(std::chrono::system_clock::now()), shape));
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

class BufferedLogWriterTest : public ::testing::Test {
 protected:
  BufferedLogWriterTest() {
    char pattern[] = "/tmp/mlflowcpp-access-log-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  ~BufferedLogWriterTest() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(BufferedLogWriterTest, ALineAppearsPromptlyWithoutAFlush) {
  const auto path = dir_ / "access.log";
  BufferedLogWriter writer(path.string());
  writer.write("one line\n");
  const auto started = std::chrono::steady_clock::now();
  while (read_all(path).empty() && std::chrono::steady_clock::now() - started < 2s) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(read_all(path), "one line\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
}

TEST_F(BufferedLogWriterTest, LinesFromManyThreadsStayWhole) {
  const auto path = dir_ / "access.log";
  {
    BufferedLogWriter writer(path.string());
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < 5000; ++i)
          writer.write("thread " + std::to_string(t) + " line " + std::to_string(i) + "\n");
      });
    }
    for (auto& thread : threads) thread.join();
    writer.flush();
    EXPECT_EQ(writer.dropped_lines(), 0u);
  }
  std::istringstream lines(read_all(path));
  int count = 0;
  const std::regex shape(R"(thread \d line \d+)");
  for (std::string line; std::getline(lines, line); ++count) ASSERT_TRUE(std::regex_match(line, shape)) << line;
  EXPECT_EQ(count, 4 * 5000);
}

TEST_F(BufferedLogWriterTest, ReopenMovesOnToANewFileAfterRotation) {
  const auto path = dir_ / "access.log";
  BufferedLogWriter writer(path.string());
  writer.write("before\n");
  writer.flush();
  std::filesystem::rename(path, dir_ / "access.log.1");
  ASSERT_TRUE(writer.reopen());
  writer.write("after\n");
  writer.flush();
  EXPECT_EQ(read_all(dir_ / "access.log.1"), "before\n");
  EXPECT_EQ(read_all(path), "after\n");
}

TEST_F(BufferedLogWriterTest, AStalledDestinationDropsLinesInsteadOfBlockingWriters) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  {
    // Nobody reads the pipe: once its buffer is full, the writer thread blocks in write().
    BufferedLogWriter writer(pipe_ends[1], 64 * 1024);
    const std::string line(100, 'x');
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 20000; ++i) writer.write(line + "\n");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_GT(writer.dropped_lines(), 0u);
    // Let the writer thread finish: drain the pipe until the writer is gone.
    fcntl(pipe_ends[0], F_SETFL, O_NONBLOCK);
    std::atomic<bool> done{false};
    std::thread drain([&] {
      char buffer[65536];
      while (!done) {
        if (read(pipe_ends[0], buffer, sizeof(buffer)) <= 0) std::this_thread::sleep_for(1ms);
      }
    });
    writer.flush();
    done = true;
    drain.join();
  }
  close(pipe_ends[0]);
  close(pipe_ends[1]);
}

}  // namespace
}  // namespace mlflowcpp::server::http
