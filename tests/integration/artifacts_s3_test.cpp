// Artifacts in S3, served by the real server against a real S3 emulator
// (s3rver, which checks SigV4): the mlflow-artifacts proxy with an s3://
// --artifacts-destination (streamed both ways, memory bounded, multipart
// calls with presigned part URLs), runs whose artifact_uri is s3:// (listing,
// get-artifact, model-versions/get-artifact), path confinement before any S3
// call, and the answers for wrong keys, a missing bucket and an unreachable
// endpoint.

#include <gtest/gtest.h>
#include <httplib.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "integration/tracking_api.hpp"
#include "s3/s3_client.hpp"
#include "testing/free_port.hpp"
#include "testing/process_memory.hpp"
#include "testing/s3rver_process.hpp"

namespace mlflowcpp::integration {
namespace {

namespace fs = std::filesystem;
using testing::peak_resident_kib;

const std::string kProxy = "/api/2.0/mlflow-artifacts/artifacts";
const std::string kMultipart = "/api/2.0/mlflow-artifacts/mpu";
const std::string kBucket = "artifacts";
const std::string kDestinationPrefix = "proxy";

// A byte pattern that depends on the offset, so a misplaced chunk shows.
char byte_at(std::uint64_t offset) { return static_cast<char>((offset * 131 + offset / 4096) & 0xff); }

std::string pattern(std::uint64_t first, std::size_t length) {
  std::string bytes(length, '\0');
  for (std::size_t i = 0; i < length; ++i) bytes[i] = byte_at(first + i);
  return bytes;
}

// The pid of this process's child running the server binary (s3rver is a child too).
pid_t server_pid() {
  const fs::path binary = fs::canonical(MLFLOWCPP_SERVER_BINARY);
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream fields(line.substr(close + 2));
    std::string state;
    pid_t parent = 0;
    fields >> state >> parent;
    if (parent != ::getpid()) continue;
    std::error_code error;
    if (fs::read_symlink(entry.path() / "exe", error) == binary) return static_cast<pid_t>(std::stol(name));
  }
  return 0;
}

// Every key in the bucket (no delimiter: the whole tree).
std::vector<std::string> all_keys(s3::S3Client& client, const std::string& bucket) {
  std::vector<std::string> keys;
  for (const auto& object : client.list_objects(bucket, "", "").objects) keys.push_back(object.key);
  return keys;
}

class ArtifactsS3Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s3_ = std::make_unique<testing::S3rverProcess>(std::vector<std::string>{kBucket});
    testing::ServerOptions options;
    options.artifacts_destination = "s3://" + kBucket + "/" + kDestinationPrefix;
    options.environment = s3_->environment();
    server_ = std::make_unique<testing::ServerProcess>(options);
  }
  static void TearDownTestSuite() {
    server_.reset();
    s3_.reset();
  }

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    experiment_id_ = api_.create_experiment(std::string("s3-") + info->name());
    run_id_ = api_.create_run(experiment_id_, {{"start_time", 1}});
    ASSERT_FALSE(run_id_.empty());
    run_root_ = experiment_id_ + "/" + run_id_ + "/artifacts";
  }

  HttpResponse put(const std::string& path, const std::string& bytes) {
    return http_.request("PUT", kProxy + "/" + path, bytes, "application/octet-stream");
  }
  // The key a proxy path is stored under.
  static std::string key_of(const std::string& path) { return kDestinationPrefix + "/" + path; }

  static std::unique_ptr<testing::S3rverProcess> s3_;
  static std::unique_ptr<testing::ServerProcess> server_;
  HttpClient http_ = server_->client(std::chrono::seconds(120));
  TrackingApi api_{http_};
  s3::S3Client s3_client_{s3_->settings()};
  std::string experiment_id_, run_id_, run_root_;
};

std::unique_ptr<testing::S3rverProcess> ArtifactsS3Test::s3_;
std::unique_ptr<testing::ServerProcess> ArtifactsS3Test::server_;

TEST_F(ArtifactsS3Test, UploadDownloadListDeleteNestedAndEmpty) {
  ASSERT_TRUE(IsOk(put(run_root_ + "/dir/sub/f.txt", "hello")));
  ASSERT_TRUE(IsOk(put(run_root_ + "/dir/top.bin", pattern(0, 1000))));
  ASSERT_TRUE(IsOk(put(run_root_ + "/empty.txt", "")));
  EXPECT_EQ(s3_client_.head_object(kBucket, key_of(run_root_ + "/dir/sub/f.txt")), 5u);
  EXPECT_EQ(s3_client_.head_object(kBucket, key_of(run_root_ + "/empty.txt")), 0u);

  auto downloaded = http_.get(kProxy + "/" + run_root_ + "/dir/sub/f.txt");
  EXPECT_EQ(downloaded.status, 200) << downloaded.describe();
  EXPECT_EQ(downloaded.body, "hello");
  EXPECT_EQ(downloaded.content_type().rfind("text/plain", 0), 0u) << downloaded.content_type();
  EXPECT_EQ(downloaded.header("Content-Disposition"), "attachment; filename=f.txt");
  EXPECT_EQ(downloaded.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(http_.get(kProxy + "/" + run_root_ + "/dir/top.bin").body, pattern(0, 1000));
  // A byte range gets just those bytes (one ranged GET on S3).
  auto ranged = http_.request("GET", kProxy + "/" + run_root_ + "/dir/top.bin", "", "", {{"Range", "bytes=100-299"}});
  EXPECT_EQ(ranged.status, 206) << ranged.describe();
  EXPECT_TRUE(ranged.body == pattern(100, 200)) << ranged.body.size() << " bytes";
  auto empty = http_.get(kProxy + "/" + run_root_ + "/empty.txt");
  EXPECT_EQ(empty.status, 200) << empty.describe();
  EXPECT_EQ(empty.body, "");

  // The proxy lists basenames, the tracking API run-relative paths, the ajax mirror the same.
  auto listed_root = http_.get(kProxy + "?path=" + testing::url_encode(run_root_));
  ASSERT_TRUE(IsOk(listed_root));
  EXPECT_EQ(listed_root.json, Json::parse(R"({"files":[{"path":"dir","is_dir":true},
                                                       {"path":"empty.txt","is_dir":false,"file_size":0}]})"));
  auto listed_dir =
      http_.get("/ajax-api/2.0/mlflow-artifacts/artifacts?path=" + testing::url_encode(run_root_ + "/dir"));
  ASSERT_TRUE(IsOk(listed_dir));
  EXPECT_EQ(listed_dir.json, Json::parse(R"({"files":[{"path":"sub","is_dir":true},
                                                      {"path":"top.bin","is_dir":false,"file_size":1000}]})"));
  auto tracking_list = http_.get(kApi + "/artifacts/list?run_id=" + run_id_ + "&path=dir/sub");
  ASSERT_TRUE(IsOk(tracking_list));
  EXPECT_EQ(tracking_list.json.value("files", Json::array()),
            Json::parse(R"([{"path":"dir/sub/f.txt","is_dir":false,"file_size":5}])"));
  auto ui_download = http_.get("/get-artifact?run_id=" + run_id_ + "&path=dir/sub/f.txt");
  EXPECT_EQ(ui_download.status, 200) << ui_download.describe();
  EXPECT_EQ(ui_download.body, "hello");

  // Missing things: an empty listing, a 404 download.
  auto missing_dir = http_.get(kProxy + "?path=" + testing::url_encode(run_root_ + "/nothing"));
  ASSERT_TRUE(IsOk(missing_dir));
  EXPECT_EQ(missing_dir.json, Json::object());
  EXPECT_TRUE(IsError(http_.get(kProxy + "/" + run_root_ + "/missing.txt"), 404, "RESOURCE_DOES_NOT_EXIST"));

  // Overwrite; then delete a file, then a whole directory.
  ASSERT_TRUE(IsOk(put(run_root_ + "/dir/sub/f.txt", "again")));
  EXPECT_EQ(http_.get(kProxy + "/" + run_root_ + "/dir/sub/f.txt").body, "again");
  ASSERT_TRUE(IsOk(http_.request("DELETE", kProxy + "/" + run_root_ + "/empty.txt", "", "")));
  EXPECT_TRUE(IsError(http_.get(kProxy + "/" + run_root_ + "/empty.txt"), 404, "RESOURCE_DOES_NOT_EXIST"));
  ASSERT_TRUE(IsOk(http_.request("DELETE", kProxy + "/" + run_root_ + "/dir", "", "")));
  for (const auto& key : all_keys(s3_client_, kBucket)) {
    EXPECT_NE(key.rfind(key_of(run_root_), 0), 0u) << key << " survived the delete";
  }
  EXPECT_EQ(http_.get(kProxy + "?path=" + testing::url_encode(run_root_)).json, Json::object());
  // Deleting what is not there succeeds, as for a local destination.
  EXPECT_TRUE(IsOk(http_.request("DELETE", kProxy + "/" + run_root_ + "/dir", "", "")));
}

TEST_F(ArtifactsS3Test, NamesThatNeedEncodingSurvive) {
  // "a b+c ü.txt" on the wire, percent-encoded; the key keeps it raw.
  const std::string encoded = "a%20b%2Bc%20%C3%BC.txt";
  const std::string name = "a b+c \xC3\xBC.txt";
  ASSERT_TRUE(IsOk(put(run_root_ + "/odd/" + encoded, "odd")));
  EXPECT_EQ(s3_client_.head_object(kBucket, key_of(run_root_ + "/odd/" + name)), 3u);
  EXPECT_EQ(http_.get(kProxy + "/" + run_root_ + "/odd/" + encoded).body, "odd");
  auto listed = http_.get(kProxy + "?path=" + testing::url_encode(run_root_ + "/odd"));
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(listed.json, (Json{{"files", Json::array({{{"path", name}, {"is_dir", false}, {"file_size", 3}}})}}));
}

TEST_F(ArtifactsS3Test, NewExperimentsGetProxiedArtifactRoots) {
  const std::string location = api_.get_experiment(experiment_id_).value("artifact_location", "");
  EXPECT_EQ(location, "mlflow-artifacts:/" + experiment_id_);
  EXPECT_EQ(api_.get_run(run_id_)["info"].value("artifact_uri", ""), "mlflow-artifacts:/" + run_root_);
}

TEST_F(ArtifactsS3Test, TraversalIsRefusedBeforeAnyS3Call) {
  const std::size_t log_before = s3_->log().size();
  const std::vector<std::string> bad_paths = {"../escaped.txt",       "%2E%2E/escaped.txt", "a/..%2F..%2Fescaped",
                                              "a/%252e%252e/escaped", "a\\..\\escaped",     "a/%00/escaped",
                                              "/etc/passwd",          "%2Fetc%2Fpasswd"};
  for (const auto& path : bad_paths) {
    EXPECT_TRUE(IsError(put(path, "nope"), 400, "INVALID_PARAMETER_VALUE")) << "PUT " << path;
    EXPECT_TRUE(IsError(http_.get(kProxy + "/" + path), 400, "INVALID_PARAMETER_VALUE")) << "GET " << path;
    EXPECT_TRUE(IsError(http_.request("DELETE", kProxy + "/" + path, "", ""), 400, "INVALID_PARAMETER_VALUE"))
        << "DELETE " << path;
    EXPECT_TRUE(IsError(http_.post(kMultipart + "/create/" + path, {{"path", "x.bin"}, {"num_parts", 1}}), 400,
                        "INVALID_PARAMETER_VALUE"))
        << "mpu/create " << path;
  }
  for (const std::string path : {"../..", "a/../../b", "..%2F.."}) {
    EXPECT_TRUE(IsError(http_.get(kProxy + "?path=" + testing::url_encode(path)), 400, "INVALID_PARAMETER_VALUE"))
        << "list " << path;
    EXPECT_TRUE(IsError(http_.get(kApi + "/artifacts/list?run_id=" + run_id_ + "&path=" + testing::url_encode(path)),
                        400, "INVALID_PARAMETER_VALUE"))
        << "tracking list " << path;
  }
  EXPECT_TRUE(IsError(http_.post(kMultipart + "/create/" + run_root_, {{"path", "../x.bin"}, {"num_parts", 1}}), 400,
                      "INVALID_PARAMETER_VALUE"));
  // The S3 service saw none of it: nothing was logged, nothing stored outside the prefix.
  EXPECT_EQ(s3_->log().substr(log_before), "");
  for (const auto& key : all_keys(s3_client_, kBucket)) {
    EXPECT_EQ(key.rfind(kDestinationPrefix + "/", 0), 0u) << key;
    EXPECT_EQ(key.find("escaped"), std::string::npos) << key;
  }
}

TEST_F(ArtifactsS3Test, LargeTransfersAreStreamedThroughBoundedMemory) {
  constexpr std::size_t kSize = 256u * 1024 * 1024;
  constexpr long kLimitKib = 64 * 1024;
  const pid_t pid = server_pid();
  ASSERT_NE(pid, 0) << "cannot find the server process";
  const std::string path = kProxy + "/" + run_root_ + "/big/model.bin";

  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(300, 0);
  client.set_write_timeout(300, 0);
  auto uploaded = client.Put(
      path.c_str(), kSize,
      [](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        const std::string chunk = pattern(offset, std::min<std::size_t>(length, 256 * 1024));
        return sink.write(chunk.data(), chunk.size());
      },
      "application/octet-stream");
  ASSERT_TRUE(uploaded) << httplib::to_string(uploaded.error());
  ASSERT_EQ(uploaded->status, 200) << uploaded->body;
  EXPECT_EQ(s3_client_.head_object(kBucket, key_of(run_root_ + "/big/model.bin")), kSize);
  const long after_upload = peak_resident_kib(pid);

  std::size_t received = 0;
  bool intact = true;
  auto downloaded = client.Get(path.c_str(), [&](const char* data, std::size_t length) {
    for (std::size_t i = 0; i < length && intact; ++i) intact = data[i] == byte_at(received + i);
    received += length;
    return true;
  });
  ASSERT_TRUE(downloaded) << httplib::to_string(downloaded.error());
  EXPECT_EQ(downloaded->status, 200);
  EXPECT_EQ(received, kSize);
  EXPECT_TRUE(intact);
  const long after_download = peak_resident_kib(pid);
  EXPECT_GT(after_upload, 0);
  EXPECT_LT(after_upload, kLimitKib) << "server VmHWM after the upload: " << after_upload << " KiB";
  EXPECT_LT(after_download, kLimitKib) << "server VmHWM after the download: " << after_download << " KiB";
  std::cout << "server VmHWM: after upload " << after_upload << " KiB, after download " << after_download << " KiB\n";
}

TEST_F(ArtifactsS3Test, ChunkedUploadWithoutLengthIsStored) {
  // No Content-Length: the server sends it to S3 as a multipart upload of a few MiB a part.
  constexpr std::size_t kSize = 20u * 1024 * 1024 + 123;
  const std::string path = kProxy + "/" + run_root_ + "/chunked.bin";
  httplib::Client client("127.0.0.1", server_->port());
  client.set_read_timeout(120, 0);
  std::size_t sent = 0;
  auto uploaded = client.Put(
      path.c_str(),
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= kSize) {
          sink.done();
          return true;
        }
        const std::string chunk = pattern(offset, std::min<std::size_t>(kSize - offset, 1024 * 1024));
        sent += chunk.size();
        return sink.write(chunk.data(), chunk.size());
      },
      "application/octet-stream");
  ASSERT_TRUE(uploaded) << httplib::to_string(uploaded.error());
  ASSERT_EQ(uploaded->status, 200) << uploaded->body;
  EXPECT_EQ(sent, kSize);
  auto downloaded = http_.get(path);
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_EQ(downloaded.body.size(), kSize);
  EXPECT_TRUE(downloaded.body == pattern(0, kSize));
}

// The URL of a presigned part split for httplib: "http://host:port" and "/path?query".
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto path_start = url.find('/', url.find("//") + 2);
  return {url.substr(0, path_start), url.substr(path_start)};
}

TEST_F(ArtifactsS3Test, MultipartUploadWithPresignedPartUrls) {
  const std::string directory = run_root_ + "/mp";
  auto created = http_.post(kMultipart + "/create/" + directory, {{"path", "model.bin"}, {"num_parts", 2}});
  ASSERT_TRUE(IsOk(created));
  const std::string upload_id = created.json.value("upload_id", "");
  ASSERT_FALSE(upload_id.empty()) << created.describe();
  ASSERT_EQ(created.json["credentials"].size(), 2u) << created.describe();

  // Parts go straight to S3 with plain HTTP PUTs, no credentials of the client's own.
  const std::vector<std::string> parts = {pattern(0, 5 * 1024 * 1024), pattern(5 * 1024 * 1024, 1000)};
  Json completed_parts = Json::array();
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Json& credential = created.json["credentials"][i];
    EXPECT_EQ(credential.value("part_number", 0), static_cast<int>(i + 1));
    EXPECT_EQ(credential.value("headers", Json()), Json::object());
    const auto [origin, target] = split_url(credential.value("url", ""));
    httplib::Client s3_http(origin);
    auto put_part = s3_http.Put(target.c_str(), parts[i], "application/octet-stream");
    ASSERT_TRUE(put_part);
    ASSERT_EQ(put_part->status, 200) << put_part->body;
    const std::string etag = put_part->get_header_value("ETag");
    ASSERT_FALSE(etag.empty());
    completed_parts.push_back({{"part_number", static_cast<int>(i + 1)}, {"etag", etag}});
  }
  // An upload id S3 never issued fails (AWS: 404 NoSuchUpload, answered 404; s3rver: a 500, answered 502).
  auto unknown = http_.post(kMultipart + "/complete/" + directory,
                            {{"path", "model.bin"}, {"upload_id", "no-such-upload"}, {"parts", completed_parts}});
  EXPECT_TRUE(IsError(unknown, 404, "RESOURCE_DOES_NOT_EXIST") || IsError(unknown, 502, "INTERNAL_ERROR"))
      << unknown.describe();

  auto completed = http_.post(kMultipart + "/complete/" + directory,
                              {{"path", "model.bin"}, {"upload_id", upload_id}, {"parts", completed_parts}});
  ASSERT_TRUE(IsOk(completed));
  auto downloaded = http_.get(kProxy + "/" + directory + "/model.bin");
  EXPECT_EQ(downloaded.status, 200);
  EXPECT_TRUE(downloaded.body == parts[0] + parts[1]) << "downloaded " << downloaded.body.size() << " bytes";

  // complete without parts: refused before S3 is asked.
  EXPECT_TRUE(IsError(http_.post(kMultipart + "/complete/" + directory, {{"path", "model.bin"}, {"upload_id", "x"}}),
                      400, "INVALID_PARAMETER_VALUE"));
}

TEST_F(ArtifactsS3Test, MultipartAbortAsFarAsTheServiceAllows) {
  const std::string directory = run_root_ + "/aborted";
  auto created = http_.post(kMultipart + "/create/" + directory, {{"path", "x.bin"}, {"num_parts", 1}});
  ASSERT_TRUE(IsOk(created));
  auto aborted = http_.post(kMultipart + "/abort/" + directory,
                            {{"path", "x.bin"}, {"upload_id", created.json.value("upload_id", "")}});
  // S3 answers 204; s3rver does not implement AbortMultipartUpload (405), which is answered 501.
  EXPECT_TRUE(IsOk(aborted) || IsError(aborted, 501, "NOT_IMPLEMENTED")) << aborted.describe();
  // Either way no object was created.
  EXPECT_TRUE(IsError(http_.get(kProxy + "/" + directory + "/x.bin"), 404, "RESOURCE_DOES_NOT_EXIST"));
}

// A server whose default artifact root is in S3: runs get s3:// artifact URIs
// and the server reads them itself.
TEST(ArtifactsS3RootTest, RunsWithS3ArtifactUrisAreListedAndServed) {
  testing::S3rverProcess s3({kBucket});
  testing::ServerOptions options;
  options.environment = s3.environment();
  options.extra_args = {"--default-artifact-root", "s3://" + kBucket + "/roots"};
  testing::ServerProcess server(options);
  HttpClient http = server.client();
  TrackingApi api(http);
  const std::string experiment_id = api.create_experiment("s3-root");
  EXPECT_EQ(api.get_experiment(experiment_id).value("artifact_location", ""),
            "s3://" + kBucket + "/roots/" + experiment_id);
  const std::string run_id = api.create_run(experiment_id);
  const std::string artifact_uri = api.get_run(run_id)["info"].value("artifact_uri", "");
  ASSERT_EQ(artifact_uri, "s3://" + kBucket + "/roots/" + experiment_id + "/" + run_id + "/artifacts");

  // A client writes straight to S3, as MLflow's clients do for s3:// roots.
  s3::S3Client client(s3.settings());
  const std::string root_key = "roots/" + experiment_id + "/" + run_id + "/artifacts";
  const std::string mlmodel = "artifact_path: model\n";
  client.put_object(kBucket, root_key + "/model/MLmodel", mlmodel.size(),
                    s3::ByteSource{[&, done = false](char* buffer, std::size_t capacity) mutable -> std::size_t {
                                     if (done) return 0;
                                     done = true;
                                     std::copy_n(mlmodel.data(), std::min(capacity, mlmodel.size()), buffer);
                                     return std::min(capacity, mlmodel.size());
                                   },
                                   [] { return false; }});

  auto listed = http.get(kApi + "/artifacts/list?run_id=" + run_id);
  ASSERT_TRUE(IsOk(listed));
  EXPECT_EQ(listed.json.value("root_uri", ""), artifact_uri);
  EXPECT_EQ(listed.json.value("files", Json::array()), Json::parse(R"([{"path":"model","is_dir":true}])"));
  auto nested = http.get(kApi + "/artifacts/list?run_id=" + run_id + "&path=model");
  ASSERT_TRUE(IsOk(nested));
  EXPECT_EQ(nested.json.value("files", Json::array()),
            Json::parse(R"([{"path":"model/MLmodel","is_dir":false,"file_size":21}])"));
  auto file = http.get("/get-artifact?run_id=" + run_id + "&path=model/MLmodel");
  EXPECT_EQ(file.status, 200) << file.describe();
  EXPECT_EQ(file.body, mlmodel);
  EXPECT_TRUE(IsError(http.get("/get-artifact?run_id=" + run_id + "&path=model/none"), 404, "RESOURCE_DOES_NOT_EXIST"));
  EXPECT_TRUE(
      IsError(http.get("/get-artifact?run_id=" + run_id + "&path=..%2F..%2Fother"), 400, "INVALID_PARAMETER_VALUE"));

  // A registered model version whose source is in the run's S3 artifacts.
  ASSERT_TRUE(IsOk(http.post(kApi + "/registered-models/create", {{"name", "s3-model"}})));
  auto version = http.post(kApi + "/model-versions/create",
                           {{"name", "s3-model"}, {"source", artifact_uri + "/model"}, {"run_id", run_id}});
  ASSERT_TRUE(IsOk(version));
  auto model_file = http.get("/model-versions/get-artifact?name=s3-model&version=1&path=MLmodel");
  EXPECT_EQ(model_file.status, 200) << model_file.describe();
  EXPECT_EQ(model_file.body, mlmodel);
}

// One server for one broken S3 setup; `destination` is the --artifacts-destination.
struct BrokenS3Server {
  BrokenS3Server(testing::EnvironmentOverrides environment, const std::string& destination) {
    testing::ServerOptions options;
    options.artifacts_destination = destination;
    options.environment = std::move(environment);
    server = std::make_unique<testing::ServerProcess>(options);
  }
  std::unique_ptr<testing::ServerProcess> server;
};

TEST(ArtifactsS3FailureTest, WrongKeysAreReportedClearly) {
  testing::S3rverProcess s3({kBucket});
  auto environment = s3.environment();
  environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret";
  BrokenS3Server broken(environment, "s3://" + kBucket + "/p");
  HttpClient http = broken.server->client();
  for (const auto& response : {http.request("PUT", kProxy + "/x/f.txt", "hello", "text/plain"),
                               http.get(kProxy + "?path=x"), http.get(kProxy + "/x/f.txt")}) {
    EXPECT_TRUE(IsError(response, 502, "INTERNAL_ERROR")) << response.describe();
    EXPECT_NE(response.json.value("message", "").find("AWS_SECRET_ACCESS_KEY"), std::string::npos)
        << response.describe();
  }
  // The server itself stays healthy.
  EXPECT_EQ(http.get("/health").status, 200);
}

TEST(ArtifactsS3FailureTest, MissingBucketIsReportedClearly) {
  testing::S3rverProcess s3({kBucket});
  BrokenS3Server broken(s3.environment(), "s3://no-such-bucket/p");
  HttpClient http = broken.server->client();
  for (const auto& response :
       {http.request("PUT", kProxy + "/x/f.txt", "hello", "text/plain"), http.get(kProxy + "?path=x")}) {
    EXPECT_TRUE(IsError(response, 502, "INTERNAL_ERROR")) << response.describe();
    EXPECT_NE(response.json.value("message", "").find("bucket"), std::string::npos) << response.describe();
  }
}

TEST(ArtifactsS3FailureTest, UnreachableEndpointAnswers503Quickly) {
  testing::EnvironmentOverrides environment = {
      {"MLFLOW_S3_ENDPOINT_URL", "http://127.0.0.1:" + std::to_string(testing::find_free_port())},
      {"AWS_ACCESS_KEY_ID", "k"},
      {"AWS_SECRET_ACCESS_KEY", "s"}};
  BrokenS3Server broken(environment, "s3://" + kBucket + "/p");
  HttpClient http = broken.server->client();
  const auto started = std::chrono::steady_clock::now();
  for (const auto& response : {http.request("PUT", kProxy + "/x/f.txt", "hello", "text/plain"),
                               http.get(kProxy + "?path=x"), http.get(kProxy + "/x/f.txt")}) {
    EXPECT_TRUE(IsError(response, 503, "TEMPORARILY_UNAVAILABLE")) << response.describe();
    EXPECT_NE(response.json.value("message", "").find("MLFLOW_S3_ENDPOINT_URL"), std::string::npos)
        << response.describe();
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, std::chrono::seconds(15))
      << "three calls took " << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms";
}

}  // namespace
}  // namespace mlflowcpp::integration
