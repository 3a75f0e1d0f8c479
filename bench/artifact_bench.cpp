// artifact_bench: throughput of one large artifact, up and down, three ways:
//   1. through the server's mlflow-artifacts proxy with a local --artifacts-destination;
//   2. through the proxy with an s3:// destination (s3rver, an S3 emulator, on loopback);
//   3. straight to the same S3 service with mlflowcpp::s3::S3Client (no server in between).
// Each proxied transfer reports the server's peak resident memory (VmHWM) after
// it: the proxy streams, so that peak must not grow with the file.
//
// The real `mlflowcpp server` and s3rver are started through the test
// launchers in tests/testing; the bytes are generated on the fly (no input
// file) and checked on the way back. Every transfer must succeed: a benchmark
// that timed error answers would lie. See BENCHMARKS.md ("Artifacts").

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "count_flags.hpp"
#include "process_stats.hpp"
#include "s3/s3_client.hpp"
#include "testing/s3rver_process.hpp"
#include "testing/server_process.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace mlflowcpp;

constexpr std::size_t kChunkBytes = 256 * 1024;
const std::string kBucket = "bench";

struct Settings {
  std::uint64_t size_mib = 1024;
};

Settings parse_settings(int argc, char** argv) {
  Settings settings;
  mlflowcpp::bench::CountFlags(
      "usage: artifact_bench [--size-mib N]\n"
      "  --size-mib N  size of the artifact uploaded and downloaded each way, in MiB [1024]\n")
      .add("--size-mib", settings.size_mib)
      .parse(argc, argv);
  return settings;
}

// The artifact's byte at `offset`: a pattern that shows a misplaced chunk.
char byte_at(std::uint64_t offset) { return static_cast<char>((offset * 131 + offset / 4096) & 0xff); }

void fill(std::uint64_t offset, char* buffer, std::size_t length) {
  for (std::size_t i = 0; i < length; ++i) buffer[i] = byte_at(offset + i);
}

// Checks received bytes against the pattern as they arrive.
class Verifier {
 public:
  bool take(const char* data, std::size_t length) {
    for (std::size_t i = 0; i < length && intact_; ++i) intact_ = data[i] == byte_at(received_ + i);
    received_ += length;
    return true;
  }
  void expect(std::uint64_t size, const std::string& what) const {
    if (received_ != size || !intact_) {
      throw std::runtime_error(what + ": received " + std::to_string(received_) + " of " + std::to_string(size) +
                               " bytes" + (intact_ ? "" : ", corrupted"));
    }
  }

 private:
  std::uint64_t received_ = 0;
  bool intact_ = true;
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct Row {
  std::string way;
  double upload_mib_per_s = 0;
  double download_mib_per_s = 0;
  std::optional<double> peak_after_upload_mib;  // the server's VmHWM; none without a server
  std::optional<double> peak_after_download_mib;
};

// Upload and download through the proxy of a running server.
Row measure_proxy(const std::string& way, const testing::ServerProcess& server, std::uint64_t size) {
  const pid_t pid = bench::find_child_running(MLFLOWCPP_SERVER_BINARY);
  const std::string path = "/api/2.0/mlflow-artifacts/artifacts/bench/artifact.bin";
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(3600, 0);
  client.set_write_timeout(3600, 0);
  Row row;
  row.way = way;

  const auto upload_start = Clock::now();
  auto uploaded = client.Put(
      path.c_str(), static_cast<std::size_t>(size),
      [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        std::vector<char> chunk(std::min(length, kChunkBytes));
        fill(offset, chunk.data(), chunk.size());
        return sink.write(chunk.data(), chunk.size());
      },
      "application/octet-stream");
  if (!uploaded || uploaded->status != 200) {
    throw std::runtime_error(way + ": upload failed: " +
                             (uploaded ? uploaded->body : httplib::to_string(uploaded.error())));
  }
  row.upload_mib_per_s = static_cast<double>(size) / (1024.0 * 1024.0) / seconds_since(upload_start);
  row.peak_after_upload_mib = bench::read_process_memory(pid).peak_resident_mib;

  Verifier verifier;
  const auto download_start = Clock::now();
  auto downloaded = client.Get(path.c_str(), [&](const char* data, std::size_t length) {
    return verifier.take(data, length);
  });
  if (!downloaded || downloaded->status != 200) throw std::runtime_error(way + ": download failed");
  row.download_mib_per_s = static_cast<double>(size) / (1024.0 * 1024.0) / seconds_since(download_start);
  verifier.expect(size, way);
  row.peak_after_download_mib = bench::read_process_memory(pid).peak_resident_mib;
  return row;
}

// Upload and download with the S3 client alone.
Row measure_direct(const testing::S3rverProcess& s3, std::uint64_t size) {
  s3::S3Client client(s3.settings());
  const std::string key = "direct/artifact.bin";
  Row row;
  row.way = "S3Client straight to S3";

  auto position = std::make_shared<std::uint64_t>(0);
  const s3::ByteSource source{[size, position](char* buffer, std::size_t capacity) {
                                const auto count = static_cast<std::size_t>(
                                    std::min<std::uint64_t>(std::min(capacity, kChunkBytes), size - *position));
                                fill(*position, buffer, count);
                                *position += count;
                                return count;
                              },
                              [position] {
                                *position = 0;
                                return true;
                              }};
  const auto upload_start = Clock::now();
  client.put_object(kBucket, key, size, source);
  row.upload_mib_per_s = static_cast<double>(size) / (1024.0 * 1024.0) / seconds_since(upload_start);

  Verifier verifier;
  const auto download_start = Clock::now();
  client.get_object(kBucket, key, [&](const char* data, std::size_t length) { return verifier.take(data, length); });
  row.download_mib_per_s = static_cast<double>(size) / (1024.0 * 1024.0) / seconds_since(download_start);
  verifier.expect(size, row.way);
  client.delete_object(kBucket, key);
  return row;
}

std::string mib_or_dash(const std::optional<double>& value) {
  if (!value) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *value);
  return text;
}

void print_table(const std::vector<Row>& rows, std::uint64_t size_mib) {
  std::printf("\nArtifact of %llu MiB, loopback, one transfer at a time\n\n",
              static_cast<unsigned long long>(size_mib));
  std::printf("| Way | Upload MiB/s | Download MiB/s | Server VmHWM after upload (MiB) | after download (MiB) |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const auto& row : rows) {
    std::printf("| %s | %.1f | %.1f | %s | %s |\n", row.way.c_str(), row.upload_mib_per_s, row.download_mib_per_s,
                mib_or_dash(row.peak_after_upload_mib).c_str(), mib_or_dash(row.peak_after_download_mib).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Settings settings = parse_settings(argc, argv);
    const std::uint64_t size = settings.size_mib * 1024 * 1024;
    std::vector<Row> rows;
    {
      std::fprintf(stderr, "proxy, local destination...\n");
      testing::ServerProcess server;
      rows.push_back(measure_proxy("proxy, local destination", server, size));
    }
    testing::S3rverProcess s3({kBucket});
    {
      std::fprintf(stderr, "proxy, S3 destination...\n");
      testing::ServerOptions options;
      options.artifacts_destination = "s3://" + kBucket + "/proxy";
      options.environment = s3.environment();
      testing::ServerProcess server(options);
      rows.push_back(measure_proxy("proxy, S3 destination", server, size));
      s3::S3Client(s3.settings()).delete_object(kBucket, "proxy/bench/artifact.bin");
    }
    std::fprintf(stderr, "S3Client straight to S3...\n");
    rows.push_back(measure_direct(s3, size));
    print_table(rows, settings.size_mib);
    return 0;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "artifact_bench: %s\n", error.what());
    return 1;
  }
}
