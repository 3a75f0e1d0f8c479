// The artifact proxy and the UI downloads over real HTTP, in process: path
// confinement, streaming uploads that never leave half-written files, the
// disabled and artifacts-only modes, and memory use during a large transfer.

#include "server/artifacts/artifact_lister.hpp"
#include "server/http/artifact_handlers.hpp"
#include "server/http/http_server.hpp"
#include "server/http/registry_handlers.hpp"
#include "server/http/tracking_handlers.hpp"
#include "server/service/registry_service.hpp"
#include "server/service/tracking_service.hpp"
#include "server/store/store_factory.hpp"
#include "testing/process_memory.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>

namespace mlflowcpp::server::http {
namespace {

namespace fs = std::filesystem;
using protocol::Json;

const std::string kProxy = "/api/2.0/mlflow-artifacts/artifacts";

class TempDirectory {
 public:
  TempDirectory() {
    std::random_device device;
    path_ = fs::temp_directory_path() /
            ("mlflowcpp-artifact-test-" + std::to_string(device()) + "-" + std::to_string(device()));
    fs::create_directories(path_);
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// Polls `condition` until it holds or `timeout` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

struct ServerSetup {
  std::size_t max_artifact_upload_bytes = 0;
  std::string artifacts_destination;  // the server's --artifacts-destination; a temp directory when empty
  HttpServerOptions http;
  std::string default_artifact_root = "mlflow-artifacts:/";
};

// The whole server stack of `mlflowcpp server`, on a free port.
class ArtifactServer {
 public:
  explicit ArtifactServer(ServerSetup setup = ServerSetup()) {
    destination_ = directory_.path() / "mlartifacts";
    if (setup.artifacts_destination.empty()) setup.artifacts_destination = destination_.string();
    stores_ =
        open_backend_stores("sqlite:///" + (directory_.path() / "mlflow.db").string(), setup.default_artifact_root);
    // Every artifact location allowed: the roots have their own tests (artifact_roots_test, artifact_roots_http_test).
    lister_ = std::make_unique<ArtifactLister>(setup.artifacts_destination, ArtifactRoots::any());
    tracking_ = std::make_unique<TrackingService>(*stores_.tracking, *lister_);
    registry_ = std::make_unique<RegistryService>(*stores_.registry, ArtifactRoots::any());
    tracking_handlers_ = std::make_unique<TrackingHandlers>(*tracking_);
    registry_handlers_ = std::make_unique<RegistryHandlers>(*registry_);
    artifact_handlers_ =
        std::make_unique<ArtifactHandlers>(*tracking_, registry_.get(), setup.max_artifact_upload_bytes);
    server_ = std::make_unique<HttpServer>(setup.http, std::cerr);
    server_->add_routes(*tracking_handlers_);
    server_->add_routes(*registry_handlers_);
    server_->add_routes(*artifact_handlers_);
    if (!server_->bind("127.0.0.1", 0)) throw std::runtime_error("cannot bind");
    thread_ = std::thread([this] { server_->run(); });
    if (!eventually([this] { return server_->is_running(); })) throw std::runtime_error("server did not start");
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
    client_->set_write_timeout(60, 0);
  }
  ~ArtifactServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client& client() { return *client_; }
  int port() const { return server_->port(); }
  const fs::path& destination() const { return destination_; }
  const fs::path& directory() const { return directory_.path(); }
  TrackingService& tracking() { return *tracking_; }
  RegistryService& registry() { return *registry_; }

  httplib::Result put(const std::string& path, const std::string& body) {
    return client_->Put(path.c_str(), body, "application/octet-stream");
  }

 private:
  TempDirectory directory_;
  fs::path destination_;
  BackendStores stores_;
  std::unique_ptr<ArtifactLister> lister_;
  std::unique_ptr<TrackingService> tracking_;
  std::unique_ptr<RegistryService> registry_;
  std::unique_ptr<TrackingHandlers> tracking_handlers_;
  std::unique_ptr<RegistryHandlers> registry_handlers_;
  std::unique_ptr<ArtifactHandlers> artifact_handlers_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

void expect_invalid(const httplib::Result& result, const std::string& what) {
  ASSERT_TRUE(result) << what;
  EXPECT_EQ(result->status, 400) << what << ": " << result->body;
  const Json body = Json::parse(result->body, nullptr, false);
  EXPECT_EQ(body.value("error_code", ""), "INVALID_PARAMETER_VALUE") << what << ": " << result->body;
}

// Files (not directories) anywhere below `root`.
std::vector<std::string> files_below(const fs::path& root) {
  std::vector<std::string> files;
  std::error_code error;
  if (!fs::exists(root, error)) return files;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end; it.increment(error)) {
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root).string());
  }
  return files;
}

TEST(ArtifactProxy, UploadDownloadHeadersAndAjaxMirror) {
  ArtifactServer server;
  auto uploaded = server.put(kProxy + "/1/run/artifacts/model/MLmodel", "flavors: {}\n");
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->status, 200) << uploaded->body;
  EXPECT_EQ(uploaded->body, "{}");
  EXPECT_EQ(read_file(server.destination() / "1/run/artifacts/model/MLmodel"), "flavors: {}\n");

  auto downloaded = server.client().Get((kProxy + "/1/run/artifacts/model/MLmodel").c_str());
  ASSERT_TRUE(downloaded);
  EXPECT_EQ(downloaded->status, 200);
  EXPECT_EQ(downloaded->body, "flavors: {}\n");
  EXPECT_EQ(downloaded->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(downloaded->get_header_value("Content-Disposition"), "attachment; filename=MLmodel");
  EXPECT_EQ(downloaded->get_header_value("X-Content-Type-Options"), "nosniff");

  // The web UI's mirror of the proxy.
  auto ajax = server.client().Get("/ajax-api/2.0/mlflow-artifacts/artifacts/1/run/artifacts/model/MLmodel");
  ASSERT_TRUE(ajax);
  EXPECT_EQ(ajax->status, 200);
  EXPECT_EQ(ajax->body, "flavors: {}\n");

  // Types: HTML is still an attachment, unknown types are binary, empty files work.
  ASSERT_TRUE(server.put(kProxy + "/x/page.html", "<script>alert(1)</script>"));
  auto html = server.client().Get((kProxy + "/x/page.html").c_str());
  ASSERT_TRUE(html);
  EXPECT_EQ(html->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(html->get_header_value("Content-Disposition"), "attachment; filename=page.html");
  ASSERT_TRUE(server.put(kProxy + "/x/empty.bin", ""));
  auto empty = server.client().Get((kProxy + "/x/empty.bin").c_str());
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 200);
  EXPECT_EQ(empty->body, "");
  EXPECT_EQ(empty->get_header_value("Content-Type"), "application/octet-stream");
}

TEST(ArtifactProxy, ListingDeleteAndMissingThings) {
  ArtifactServer server;
  ASSERT_TRUE(server.put(kProxy + "/e/r/a.txt", "aa"));
  ASSERT_TRUE(server.put(kProxy + "/e/r/sub/b.txt", "b"));

  auto root = server.client().Get("/api/2.0/mlflow-artifacts/artifacts");
  ASSERT_TRUE(root);
  EXPECT_EQ(Json::parse(root->body), Json::parse(R"({"files":[{"path":"e","is_dir":true}]})"));
  auto listed = server.client().Get((kProxy + "?path=e%2Fr").c_str());
  ASSERT_TRUE(listed);
  EXPECT_EQ(Json::parse(listed->body),
            Json::parse(R"({"files":[{"path":"a.txt","is_dir":false,"file_size":2},{"path":"sub","is_dir":true}]})"));
  auto missing = server.client().Get((kProxy + "?path=nope").c_str());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 200);
  EXPECT_EQ(missing->body, "{}");

  auto missing_file = server.client().Get((kProxy + "/e/r/none.txt").c_str());
  ASSERT_TRUE(missing_file);
  EXPECT_EQ(missing_file->status, 404);
  EXPECT_EQ(Json::parse(missing_file->body).value("error_code", ""), "RESOURCE_DOES_NOT_EXIST");
  auto directory = server.client().Get((kProxy + "/e/r/sub").c_str());
  ASSERT_TRUE(directory);
  EXPECT_EQ(directory->status, 400);

  // Uploading onto a directory, or below a file, is refused.
  expect_invalid(server.put(kProxy + "/e/r/sub", "x"), "onto a directory");
  expect_invalid(server.put(kProxy + "/e/r/a.txt/c.txt", "x"), "below a file");

  // A file, then a whole subtree; a missing path is fine.
  auto deleted = server.client().Delete((kProxy + "/e/r/a.txt").c_str());
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 200);
  EXPECT_FALSE(fs::exists(server.destination() / "e/r/a.txt"));
  ASSERT_TRUE(server.client().Delete((kProxy + "/e/r").c_str()));
  EXPECT_FALSE(fs::exists(server.destination() / "e/r"));
  auto again = server.client().Delete((kProxy + "/e/r").c_str());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);

  // Wrong methods.
  auto post = server.client().Post((kProxy + "/e/x").c_str(), "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_NE(post->get_header_value("Allow").find("PUT"), std::string::npos);
}

TEST(ArtifactProxy, PathsCannotLeaveTheRoot) {
  ArtifactServer server;
  // Files right outside the destination that must never be reached.
  write_file(server.directory() / "secret.txt", "secret");
  fs::create_directories(server.destination() / "inside");
  fs::create_symlink(server.directory(), server.destination() / "inside" / "escape");
  fs::create_symlink(server.directory() / "secret.txt", server.destination() / "inside" / "secret-link.txt");

  const std::vector<std::string> bad_paths = {
      "../secret.txt",                                     // plain
      "inside/../../secret.txt",                           // in the middle
      "%2e%2e/secret.txt",                                 // encoded (reaches the server as %2e%2e after one decoding)
      "%252e%252e/secret.txt",                             // double-encoded
      "..%2Fsecret.txt",                                   // encoded slash
      "inside%5C..%5C..%5Csecret.txt",                     // backslashes
      "/" + (server.directory() / "secret.txt").string(),  // absolute
      "inside/a%00b.txt",                                  // NUL
      "C:/secret.txt",                                     // a drive
      "inside/escape/secret.txt",                          // through a symlinked directory
      "inside/secret-link.txt",                            // a symlinked file
      "inside/x%23y",                                      // a fragment mark
  };
  for (const auto& path : bad_paths) {
    expect_invalid(server.client().Get((kProxy + "/" + path).c_str()), "GET " + path);
    expect_invalid(server.put(kProxy + "/" + path, "overwritten"), "PUT " + path);
    expect_invalid(server.client().Delete((kProxy + "/" + path).c_str()), "DELETE " + path);
  }
  expect_invalid(server.client().Get((kProxy + "?path=inside%2Fescape").c_str()), "list through a symlink");
  expect_invalid(server.client().Get((kProxy + "?path=..").c_str()), "list ..");
  EXPECT_EQ(read_file(server.directory() / "secret.txt"), "secret");
  EXPECT_TRUE(fs::exists(server.destination() / "inside" / "escape"));
  // Nothing was written anywhere but the destination.
  for (const auto& file : files_below(server.directory())) {
    EXPECT_TRUE(file == "secret.txt" || file.rfind("mlflow.db", 0) == 0 || file.rfind("mlartifacts/", 0) == 0) << file;
  }

  // A normalised path is fine: "./a//b" is "a/b".
  ASSERT_TRUE(server.put(kProxy + "/./inside//ok.txt", "ok"));
  EXPECT_EQ(read_file(server.destination() / "inside" / "ok.txt"), "ok");
}

// Sends an upload's headers and part of its body, then hangs up.
void interrupted_upload(int port, const std::string& path, std::size_t declared, std::size_t sent) {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(socket_fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const std::string head = "PUT " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n" +
                           "Content-Length: " + std::to_string(declared) + "\r\n\r\n";
  const std::string body(sent, 'p');
  ASSERT_EQ(::send(socket_fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  ASSERT_EQ(::send(socket_fd, body.data(), body.size(), MSG_NOSIGNAL), static_cast<ssize_t>(body.size()));
  ::close(socket_fd);
}

TEST(ArtifactProxy, InterruptedUploadLeavesNothingUnderTheFinalName) {
  ArtifactServer server;
  ASSERT_TRUE(server.put(kProxy + "/d/kept.bin", "the old content"));
  interrupted_upload(server.port(), kProxy + "/d/new.bin", 4 * 1024 * 1024, 3 * 1024 * 1024);
  interrupted_upload(server.port(), kProxy + "/d/kept.bin", 4 * 1024 * 1024, 1024 * 1024);
  // The server notices the hang-up and drops the temporary files.
  EXPECT_TRUE(eventually([&] { return files_below(server.destination()).size() == 1; }))
      << "left: " << ::testing::PrintToString(files_below(server.destination()));
  EXPECT_FALSE(fs::exists(server.destination() / "d" / "new.bin"));
  EXPECT_EQ(read_file(server.destination() / "d" / "kept.bin"), "the old content");
  auto listed = server.client().Get((kProxy + "?path=d").c_str());
  ASSERT_TRUE(listed);
  EXPECT_EQ(Json::parse(listed->body)["files"].size(), 1u);
}

TEST(ArtifactProxy, MultipartCallsAreNotImplementedLocally) {
  ArtifactServer server;
  for (const std::string call : {"create", "complete", "abort"}) {
    const std::string path = "/api/2.0/mlflow-artifacts/mpu/" + call + "/1/run/artifacts";
    auto answered =
        server.client().Post(path.c_str(), R"({"path": "big.bin", "upload_id": "u", "parts": []})", "application/json");
    ASSERT_TRUE(answered);
    EXPECT_EQ(answered->status, 501) << call << ": " << answered->body;
    EXPECT_EQ(Json::parse(answered->body).value("error_code", ""), "NOT_IMPLEMENTED");
    auto without_path = server.client().Post(path.c_str(), "{}", "application/json");
    ASSERT_TRUE(without_path);
    EXPECT_EQ(without_path->status, 400) << call;
  }
  auto traversal =
      server.client().Post("/api/2.0/mlflow-artifacts/mpu/create/..%2F..", R"({"path": "x"})", "application/json");
  expect_invalid(traversal, "mpu traversal");
}

TEST(ArtifactProxy, DisabledProxyAnswers503PlainText) {
  ServerSetup setup;
  setup.http.serving.serve_artifacts = false;
  ArtifactServer server(setup);
  std::vector<httplib::Result> results;
  results.push_back(server.client().Get((kProxy + "?path=x").c_str()));
  results.push_back(server.client().Get((kProxy + "/x/y.txt").c_str()));
  results.push_back(server.put(kProxy + "/x/y.txt", "z"));
  results.push_back(server.client().Delete((kProxy + "/x/y.txt").c_str()));
  results.push_back(
      server.client().Post("/api/2.0/mlflow-artifacts/mpu/create/x", R"({"path":"y"})", "application/json"));
  results.push_back(server.client().Get("/ajax-api/2.0/mlflow-artifacts/artifacts/x/y.txt"));
  for (const auto& result : results) {
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 503) << result->body;
    EXPECT_EQ(result->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
    EXPECT_NE(result->body.find("--no-serve-artifacts"), std::string::npos) << result->body;
  }
  EXPECT_FALSE(fs::exists(server.destination() / "x"));
}

TEST(ArtifactProxy, ArtifactsOnlyServesTheProxyAlone) {
  ServerSetup setup;
  setup.http.serving.artifacts_only = true;
  ArtifactServer server(setup);
  auto uploaded = server.put(kProxy + "/a/b.txt", "b");
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->status, 200);
  auto tracking = server.client().Post("/api/2.0/mlflow/experiments/create", R"({"name":"x"})", "application/json");
  ASSERT_TRUE(tracking);
  EXPECT_EQ(tracking->status, 503);
  auto model_file = server.client().Get("/model-versions/get-artifact?name=m&version=1&path=MLmodel");
  ASSERT_TRUE(model_file);
  EXPECT_EQ(model_file->status, 503);
}

TEST(ArtifactDownloads, GetArtifactForProxiedAndLocalRuns) {
  ServerSetup setup;
  setup.http.serving.static_prefix = "/mlflow";
  ArtifactServer server(setup);
  const std::string experiment = server.tracking().create_experiment("proxied", "", {});
  CreateRunRequest create;
  create.experiment_id = experiment;
  const mlflowcpp::Run run = server.tracking().create_run(create);
  const std::string root = experiment + "/" + run.info.run_id + "/artifacts";
  write_file(server.destination() / root / "plots" / "loss.json", R"({"x": 1})");
  write_file(server.destination() / "outside-run.txt", "not this run's");

  auto file =
      server.client().Get(("/mlflow/get-artifact?run_id=" + run.info.run_id + "&path=plots%2Floss.json").c_str());
  ASSERT_TRUE(file);
  EXPECT_EQ(file->status, 200) << file->body;
  EXPECT_EQ(file->body, R"({"x": 1})");
  EXPECT_EQ(file->get_header_value("Content-Disposition"), "attachment; filename=loss.json");
  auto legacy =
      server.client().Get(("/mlflow/get-artifact?run_uuid=" + run.info.run_id + "&path=plots/loss.json").c_str());
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->status, 200);
  expect_invalid(
      server.client().Get(
          ("/mlflow/get-artifact?run_id=" + run.info.run_id + "&path=..%2F..%2F..%2Foutside-run.txt").c_str()),
      "get-artifact traversal");
  auto missing = server.client().Get(("/mlflow/get-artifact?run_id=" + run.info.run_id + "&path=none.txt").c_str());
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto no_run = server.client().Get("/mlflow/get-artifact?run_id=0123456789abcdef0123456789abcdef&path=a.txt");
  ASSERT_TRUE(no_run);
  EXPECT_EQ(no_run->status, 404);
  auto no_path = server.client().Get(("/mlflow/get-artifact?run_id=" + run.info.run_id).c_str());
  ASSERT_TRUE(no_path);
  EXPECT_EQ(no_path->status, 400);

  // An experiment whose artifacts live in a local directory: served, confined to the run's root.
  const fs::path local_root = server.directory() / "local-artifacts";
  const std::string local_experiment =
      server.tracking().create_experiment("local", "file://" + local_root.string(), {});
  create.experiment_id = local_experiment;
  const mlflowcpp::Run local_run = server.tracking().create_run(create);
  const fs::path run_root = local_root / local_run.info.run_id / "artifacts";
  write_file(run_root / "model" / "MLmodel", "flavors: {}");
  write_file(local_root / "neighbour.txt", "other");
  fs::create_symlink(local_root / "neighbour.txt", run_root / "link.txt");
  auto local =
      server.client().Get(("/mlflow/get-artifact?run_id=" + local_run.info.run_id + "&path=model/MLmodel").c_str());
  ASSERT_TRUE(local);
  EXPECT_EQ(local->status, 200) << local->body;
  EXPECT_EQ(local->body, "flavors: {}");
  expect_invalid(
      server.client().Get(("/mlflow/get-artifact?run_id=" + local_run.info.run_id + "&path=link.txt").c_str()),
      "symlink out of a local run root");

  // The tracking listing goes through the same confinement.
  auto listed = server.client().Get(("/api/2.0/mlflow/artifacts/list?run_id=" + local_run.info.run_id).c_str());
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200) << listed->body;
  EXPECT_EQ(Json::parse(listed->body)["files"].size(), 2u) << listed->body;
}

TEST(ArtifactDownloads, UiUploadArtifactWritesIntoTheRun) {
  ArtifactServer server;
  const std::string experiment = server.tracking().create_experiment("ui", "", {});
  CreateRunRequest create;
  create.experiment_id = experiment;
  const mlflowcpp::Run run = server.tracking().create_run(create);
  const std::string call = "/ajax-api/2.0/mlflow/upload-artifact?run_uuid=" + run.info.run_id;
  auto uploaded = server.client().Post((call + "&path=eval%2Ftable.json").c_str(), R"({"a": 1})", "application/json");
  ASSERT_TRUE(uploaded);
  EXPECT_EQ(uploaded->status, 200) << uploaded->body;
  EXPECT_EQ(read_file(server.destination() / experiment / run.info.run_id / "artifacts" / "eval" / "table.json"),
            R"({"a": 1})");
  expect_invalid(server.client().Post((call + "&path=..%2Fx.json").c_str(), "x", "text/plain"), "ui upload traversal");
  expect_invalid(server.client().Post((call + "&path=x.json").c_str(), "", "text/plain"), "ui upload without data");
  expect_invalid(server.client().Post("/ajax-api/2.0/mlflow/upload-artifact?path=x.json", "x", "text/plain"),
                 "ui upload without run");
  expect_invalid(server.client().Post((call + "&path=big.bin").c_str(), std::string(10 * 1024 * 1024 + 1, 'x'),
                                      "application/octet-stream"),
                 "ui upload above 10 MB");
}

TEST(ArtifactDownloads, ModelVersionGetArtifactFollowsTheSource) {
  ArtifactServer server;
  const std::string experiment = server.tracking().create_experiment("models", "", {});
  CreateRunRequest create;
  create.experiment_id = experiment;
  const mlflowcpp::Run run = server.tracking().create_run(create);
  const std::string root = experiment + "/" + run.info.run_id + "/artifacts";
  write_file(server.destination() / root / "model" / "MLmodel", "artifact_path: model");
  server.registry().create_registered_model("m", {}, "");
  CreateModelVersionParams version;
  version.name = "m";
  version.source = "mlflow-artifacts:/" + root + "/model";
  version.run_id = run.info.run_id;
  server.registry().create_model_version(version);
  version.source = "runs:/" + run.info.run_id + "/model";
  server.registry().create_model_version(version);

  for (const std::string number : {"1", "2"}) {
    auto file =
        server.client().Get(("/model-versions/get-artifact?name=m&version=" + number + "&path=MLmodel").c_str());
    ASSERT_TRUE(file);
    EXPECT_EQ(file->status, 200) << number << ": " << file->body;
    EXPECT_EQ(file->body, "artifact_path: model") << number;
    EXPECT_EQ(file->get_header_value("Content-Type"), "text/plain; charset=utf-8");
  }
  auto missing_model = server.client().Get("/model-versions/get-artifact?name=none&version=1&path=MLmodel");
  ASSERT_TRUE(missing_model);
  EXPECT_EQ(missing_model->status, 404);
  expect_invalid(server.client().Get("/model-versions/get-artifact?name=m&version=1&path=..%2FMLmodel"),
                 "model traversal");
}

// Peak resident memory of this process (client and server both) above what it
// was before, sampled while `work` runs.
template <typename Work>
long peak_rss_growth_kib(Work work) {
  const auto rss_kib = [] { return std::max(0L, mlflowcpp::testing::proc_status_kib("self", "VmRSS")); };
  const long baseline = rss_kib();
  std::atomic<long> peak{baseline};
  std::atomic<bool> done{false};
  std::thread sampler([&] {
    while (!done) {
      peak = std::max(peak.load(), rss_kib());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  work();
  done = true;
  sampler.join();
  return peak - baseline;
}

TEST(ArtifactProxy, LargeTransfersAreStreamedBothWays) {
  ArtifactServer server;
  constexpr std::size_t kSize = 256u * 1024 * 1024;
  constexpr long kLimitKib = 64 * 1024;
  // A byte pattern that depends on the offset, so a misplaced chunk shows.
  const auto byte_at = [](std::size_t offset) { return static_cast<char>((offset * 131 + offset / 4096) & 0xff); };

  const long upload_growth = peak_rss_growth_kib([&] {
    auto uploaded = server.client().Put((kProxy + "/big/model.bin").c_str(), kSize,
                                        [&](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                                          std::string chunk(std::min<std::size_t>(length, 64 * 1024), '\0');
                                          for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = byte_at(offset + i);
                                          return sink.write(chunk.data(), chunk.size());
                                        },
                                        "application/octet-stream");
    ASSERT_TRUE(uploaded);
    EXPECT_EQ(uploaded->status, 200) << uploaded->body;
  });
  EXPECT_EQ(fs::file_size(server.destination() / "big" / "model.bin"), kSize);
  EXPECT_LT(upload_growth, kLimitKib) << "resident memory grew by " << upload_growth << " KiB during the upload";

  std::size_t received = 0;
  bool intact = true;
  const long download_growth = peak_rss_growth_kib([&] {
    auto downloaded =
        server.client().Get((kProxy + "/big/model.bin").c_str(), [&](const char* data, std::size_t length) {
          for (std::size_t i = 0; i < length && intact; ++i) intact = data[i] == byte_at(received + i);
          received += length;
          return true;
        });
    ASSERT_TRUE(downloaded);
    EXPECT_EQ(downloaded->status, 200);
  });
  EXPECT_EQ(received, kSize);
  EXPECT_TRUE(intact);
  EXPECT_LT(download_growth, kLimitKib) << "resident memory grew by " << download_growth << " KiB during the download";
  std::cout << "resident memory growth: upload " << upload_growth << " KiB, download " << download_growth << " KiB\n";
}

TEST(ArtifactProxy, UploadCapIsConfigurableAndJsonCapUnchanged) {
  ServerSetup setup;
  setup.http.max_body_bytes = 1024;
  setup.max_artifact_upload_bytes = 64 * 1024;
  ArtifactServer server(setup);
  // Above the JSON cap, below the upload cap: stored.
  auto fits = server.put(kProxy + "/cap/ok.bin", std::string(32 * 1024, 'x'));
  ASSERT_TRUE(fits);
  EXPECT_EQ(fits->status, 200) << fits->body;
  auto too_big = server.put(kProxy + "/cap/big.bin", std::string(128 * 1024, 'x'));
  ASSERT_TRUE(too_big);
  EXPECT_EQ(too_big->status, 413);
  EXPECT_FALSE(fs::exists(server.destination() / "cap" / "big.bin"));
  // JSON calls keep their own cap.
  auto json = server.client().Post("/api/2.0/mlflow/experiments/create",
                                   R"({"name":")" + std::string(2048, 'n') + R"("})", "application/json");
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 413);
}

}  // namespace
}  // namespace mlflowcpp::server::http
