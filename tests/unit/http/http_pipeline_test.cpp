// The server's request pipeline over real HTTP with routes and filters of the
// test's own: exact and prefix routes, buffered and streamed bodies, 404 / 405 /
// OPTIONS / HEAD, the filter chain (order, short-circuit, what after() sees),
// error answers, body caps and the serving-mode gates.

#include "server/http/filter.hpp"
#include "server/http/http_server.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/route.hpp"
#include "server/http/router.hpp"
#include "unit/http/serving_thread.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

// Registers whatever routes a test hands it.
class RoutesOfTest : public RouteGroup {
 public:
  explicit RoutesOfTest(std::vector<Route> routes) : routes_(std::move(routes)) {}
  void register_routes(Router& router) override {
    for (const auto& route : routes_) router.add(route);
  }

 private:
  std::vector<Route> routes_;
};

Route route_of(std::vector<std::string> methods, std::string pattern, Handler handler,
               PathMatch match = PathMatch::kExact) {
  Route route;
  route.methods = std::move(methods);
  route.pattern = std::move(pattern);
  route.match = match;
  route.handler = std::move(handler);
  return route;
}

// An HttpServer on a free port serving `routes` behind `filters`.
class PipelineServer {
 public:
  PipelineServer(std::vector<Route> routes, std::vector<std::unique_ptr<Filter>> filters = {},
                 HttpServerOptions options = {})
      : routes_(std::move(routes)), server_(std::move(options), std::cerr) {
    server_.add_routes(routes_);
    for (auto& filter : filters) server_.add_filter(std::move(filter));
    serving_.emplace(server_, 10);
  }

  httplib::Client& client() { return serving_->client(); }
  int port() const { return server_.port(); }

 private:
  RoutesOfTest routes_;
  HttpServer server_;
  std::optional<testing::ServingThread> serving_;  // last: stops serving before the rest goes
};

// Sends raw bytes on a fresh connection and returns the first response (or what
// came before `timeout_ms` passed).
std::string send_raw(int port, const std::string& request, int timeout_ms = 3000) {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(socket_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string answer;
  if (::connect(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(socket_fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    for (ssize_t n; (n = ::recv(socket_fd, buffer, sizeof(buffer), 0)) > 0;) {
      answer.append(buffer, n);
      // Stop at the end of the first complete response.
      const auto header_end = answer.find("\r\n\r\n");
      if (header_end == std::string::npos) continue;
      const auto length_at = answer.find("Content-Length: ");
      const std::size_t length =
          length_at != std::string::npos && length_at < header_end ? std::stoul(answer.substr(length_at + 16)) : 0;
      if (answer.size() >= header_end + 4 + length) break;
    }
  }
  ::close(socket_fd);
  return answer;
}

template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// Records before() and after() calls into a shared journal; answers 403 itself when told to.
class RecordingFilter : public Filter {
 public:
  struct Journal {
    std::mutex mutex;
    std::vector<std::string> events;
    std::vector<CompletedRequest> completed;
    std::vector<std::string> patterns;  // the views of `completed` do not outlive after()
    std::vector<std::string> request_ids;
    void add(const std::string& event) {
      const std::lock_guard<std::mutex> lock(mutex);
      events.push_back(event);
    }
    std::vector<std::string> snapshot() {
      const std::lock_guard<std::mutex> lock(mutex);
      return events;
    }
  };

  RecordingFilter(std::string name, Journal& journal, bool refuse = false)
      : name_(std::move(name)), journal_(journal), refuse_(refuse) {}

  FilterAction before(Request& request, Reply& reply) override {
    journal_.add(name_ + ".before");
    if (refuse_ && request.path() != "/open") {
      reply.error(403, "PERMISSION_DENIED", "refused by " + name_);
      return FilterAction::kStop;
    }
    return FilterAction::kContinue;
  }
  void after(const CompletedRequest& completed) override {
    const std::lock_guard<std::mutex> lock(journal_.mutex);
    journal_.events.push_back(name_ + ".after");
    journal_.completed.push_back(completed);
    journal_.patterns.emplace_back(completed.route_pattern);
    journal_.request_ids.emplace_back(completed.request_id);
  }

 private:
  std::string name_;
  Journal& journal_;
  bool refuse_;
};

TEST(Pipeline, ExactAndPrefixRoutes404405OptionsAndHead) {
  PipelineServer server({
      route_of({"GET", "POST"}, "/exact", [](Request& request, Reply& reply) { reply.text(200, request.method()); }),
      route_of(
          {"GET"}, "/files/",
          [](Request& request, Reply& reply) { reply.text(200, std::string(request.route_remainder())); },
          PathMatch::kPrefix),
  });
  auto exact = server.client().Get("/exact");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->body, "GET");
  auto file = server.client().Get("/files/a/b.txt");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->body, "a/b.txt");

  auto missing = server.client().Get("/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Json::parse(missing->body).value("error_code", ""), "ENDPOINT_NOT_FOUND");
  auto wrong = server.client().Delete("/exact");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->get_header_value("Allow"), "GET, HEAD, OPTIONS, POST");
  EXPECT_EQ(Json::parse(wrong->body).value("error_code", ""), "BAD_REQUEST");
  auto options = server.client().Options("/files/x");
  ASSERT_TRUE(options);
  EXPECT_EQ(options->status, 200);
  EXPECT_EQ(options->get_header_value("Allow"), "GET, HEAD, OPTIONS");
  auto head = server.client().Head("/exact");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->get_header_value("Content-Length"), "4");
}

TEST(Pipeline, BufferedBodiesAreReadWholeAndStreamedOnesAsTheyArrive) {
  std::atomic<std::size_t> largest_piece{0};
  Route streamed = route_of(
      {"PUT"}, "/upload/",
      [&](Request& request, Reply& reply) {
        EXPECT_TRUE(request.body().empty());
        std::size_t total = 0;
        const bool complete = request.read_body([&](const char*, std::size_t length) {
          total += length;
          largest_piece = std::max(largest_piece.load(), length);
          return true;
        });
        reply.text(complete ? 200 : 400, std::to_string(total));
      },
      PathMatch::kPrefix);
  streamed.body = BodyHandling::kStreamed;
  PipelineServer server({
      route_of({"POST"}, "/json",
               [](Request& request, Reply& reply) {
                 reply.text(200, std::to_string(request.body().size()) + ":" + request.body().substr(0, 3));
               }),
      streamed,
  });
  auto whole = server.client().Post("/json", "abcdef", "application/json");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->body, "6:abc");

  const std::size_t size = 8 * 1024 * 1024;
  auto with_length = server.client().Put("/upload/f.bin", std::string(size, 'x'), "application/octet-stream");
  ASSERT_TRUE(with_length);
  EXPECT_EQ(with_length->status, 200);
  EXPECT_EQ(with_length->body, std::to_string(size));
  EXPECT_LT(largest_piece.load(), size) << "the body reached the handler whole";

  // Chunked: no Content-Length at all.
  std::size_t chunks = 0;
  auto chunked = server.client().Put(
      "/upload/g.bin",
      [&](std::size_t, httplib::DataSink& sink) {
        if (chunks++ < 4) return sink.write("0123456789", 10);
        sink.done();
        return true;
      },
      "application/octet-stream");
  ASSERT_TRUE(chunked);
  EXPECT_EQ(chunked->status, 200);
  EXPECT_EQ(chunked->body, "40");
}

TEST(Pipeline, FiltersRunInOrderAndAfterSeesTheOutcome) {
  RecordingFilter::Journal journal;
  std::vector<std::unique_ptr<Filter>> filters;
  filters.push_back(std::make_unique<RecordingFilter>("first", journal));
  filters.push_back(std::make_unique<RecordingFilter>("second", journal));
  PipelineServer server({route_of({"GET"}, "/api/thing",
                                  [&](Request&, Reply& reply) {
                                    journal.add("handler");
                                    reply.text(201, "twelve bytes");
                                  })},
                        std::move(filters));
  auto answered = server.client().Get("/api/thing");
  ASSERT_TRUE(answered);
  EXPECT_EQ(answered->status, 201);
  ASSERT_TRUE(eventually([&] { return journal.snapshot().size() == 5; }));
  EXPECT_EQ(journal.snapshot(),
            (std::vector<std::string>{"first.before", "second.before", "handler", "second.after", "first.after"}));
  const std::lock_guard<std::mutex> lock(journal.mutex);
  EXPECT_EQ(journal.completed[0].status, 201);
  EXPECT_EQ(journal.completed[0].body_bytes_sent, 12u);
  EXPECT_EQ(journal.patterns[0], "/api/thing");
  EXPECT_EQ(journal.request_ids[0].size(), 12u);
  EXPECT_EQ(journal.request_ids[0], journal.request_ids[1]);
}

TEST(Pipeline, AFilterCanAnswerAndStopTheChain) {
  RecordingFilter::Journal journal;
  std::vector<std::unique_ptr<Filter>> filters;
  filters.push_back(std::make_unique<RecordingFilter>("outer", journal));
  filters.push_back(std::make_unique<RecordingFilter>("gate", journal, /*refuse=*/true));
  filters.push_back(std::make_unique<RecordingFilter>("inner", journal));
  bool handled = false;
  PipelineServer server({route_of({"POST"}, "/closed",
                                  [&](Request&, Reply& reply) {
                                    handled = true;
                                    reply.text(200, "no");
                                  })},
                        std::move(filters));
  auto refused = server.client().Post("/closed", "{}", "application/json");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Json::parse(refused->body).value("error_code", ""), "PERMISSION_DENIED");
  EXPECT_FALSE(handled);
  ASSERT_TRUE(eventually([&] { return journal.snapshot().size() == 4; }));
  EXPECT_EQ(journal.snapshot(), (std::vector<std::string>{"outer.before", "gate.before", "gate.after", "outer.after"}));
  const std::lock_guard<std::mutex> lock(journal.mutex);
  EXPECT_EQ(journal.completed[0].status, 403);
  EXPECT_EQ(journal.completed[0].body_bytes_sent, refused->body.size());
}

TEST(Pipeline, StreamedAnswersReachAfterWithTheBytesSent) {
  RecordingFilter::Journal journal;
  std::vector<std::unique_ptr<Filter>> filters;
  filters.push_back(std::make_unique<RecordingFilter>("log", journal));
  const std::string content(100000, 'z');
  PipelineServer server({route_of({"GET"}, "/stream",
                                  [&](Request&, Reply& reply) {
                                    reply.stream(
                                        content.size(), "application/octet-stream",
                                        [&](std::uint64_t offset, std::uint64_t length, const ReplyChunkSink& sink) {
                                          const std::uint64_t piece = std::min<std::uint64_t>(length, 4096);
                                          return sink(content.data() + offset, piece) ? piece : 0;
                                        });
                                  })},
                        std::move(filters));
  auto whole = server.client().Get("/stream");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->body, content);
  auto ranged = server.client().Get("/stream", httplib::Headers{{"Range", "bytes=10-19"}});
  ASSERT_TRUE(ranged);
  EXPECT_EQ(ranged->status, 206);
  EXPECT_EQ(ranged->body, content.substr(10, 10));
  ASSERT_TRUE(eventually([&] { return journal.snapshot().size() == 4; }));
  const std::lock_guard<std::mutex> lock(journal.mutex);
  EXPECT_EQ(journal.completed[0].status, 200);
  EXPECT_EQ(journal.completed[0].body_bytes_sent, content.size());
  EXPECT_TRUE(journal.completed[0].complete);
  EXPECT_EQ(journal.completed[1].status, 206);
  EXPECT_EQ(journal.completed[1].body_bytes_sent, 10u);
  EXPECT_EQ(journal.patterns[1], "/stream");
}

TEST(Pipeline, InternalFailuresAnswerAGeneric500AndGoToTheLog) {
  PipelineServer server({
      route_of({"GET"}, "/broken",
               [](Request&, Reply&) { throw std::runtime_error("disk I/O error at /srv/secret/mlflow.db"); }),
      route_of({"GET"}, "/refused",
               [](Request&, Reply&) { throw MlflowException(ErrorCode::kInvalidParameterValue, "bad value 'x'"); }),
  });
  ::testing::internal::CaptureStderr();
  auto broken = server.client().Get("/broken");
  const std::string log = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->status, 500);
  const Json body = Json::parse(broken->body);
  EXPECT_EQ(body.value("error_code", ""), "INTERNAL_ERROR");
  const std::string message = body.value("message", "");
  EXPECT_EQ(broken->body.find("secret"), std::string::npos) << broken->body;
  EXPECT_EQ(broken->body.find("disk I/O"), std::string::npos) << broken->body;
  const auto id_at = message.find("request id ");
  ASSERT_NE(id_at, std::string::npos) << message;
  const std::string request_id = message.substr(id_at + 11, 12);
  EXPECT_NE(log.find(request_id), std::string::npos) << log;
  EXPECT_NE(log.find("GET /broken"), std::string::npos) << log;
  EXPECT_NE(log.find("disk I/O error at /srv/secret/mlflow.db"), std::string::npos) << log;

  auto refused = server.client().Get("/refused");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_EQ(Json::parse(refused->body).value("message", ""), "bad value 'x'");
}

TEST(Pipeline, BodyCapsAnswer413BeforeTheBodyIsRead) {
  HttpServerOptions options;
  options.max_body_bytes = 1024;
  bool handled = false;
  Route upload = route_of(
      {"PUT"}, "/upload/",
      [&](Request&, Reply& reply) {
        handled = true;
        reply.text(200, "stored");
      },
      PathMatch::kPrefix);
  upload.body = BodyHandling::kStreamed;
  upload.max_body_bytes = 4096;
  PipelineServer server({route_of({"POST"}, "/json",
                                  [&](Request&, Reply& reply) {
                                    handled = true;
                                    reply.text(200, "read");
                                  }),
                         upload},
                        {}, options);
  // Only the headers are sent: a server that waited for the body would time out instead.
  for (const std::string& head : {std::string("POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                              "Content-Length: 2000\r\n\r\n"),
                                  std::string("PUT /upload/f HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")}) {
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = send_raw(server.port(), head);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << head;
    EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
    EXPECT_NE(answer.find("RESOURCE_EXHAUSTED"), std::string::npos) << answer;
  }
  EXPECT_FALSE(handled);
  // Within the caps both are served.
  auto small = server.client().Put("/upload/f", std::string(4000, 'x'), "application/octet-stream");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 200);
  EXPECT_TRUE(handled);
}

TEST(Pipeline, ServingModesSwitchPartsOfTheApiOff) {
  const auto family_route = [](const std::string& path, ApiFamily family) {
    Route route = route_of({"GET"}, path, [](Request&, Reply& reply) { reply.text(200, "served"); });
    route.family = family;
    return route;
  };
  const std::vector<Route> routes = {
      family_route("/tracking", ApiFamily::kTracking), family_route("/registry", ApiFamily::kRegistry),
      family_route("/proxy", ApiFamily::kArtifactProxy), family_route("/health", ApiFamily::kServer)};
  HttpServerOptions artifacts_only;
  artifacts_only.serving.artifacts_only = true;
  PipelineServer only_artifacts(routes, {}, artifacts_only);
  for (const std::string path : {"/tracking", "/registry"}) {
    auto refused = only_artifacts.client().Get(path);
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 503) << path;
    EXPECT_NE(refused->body.find("--artifacts-only"), std::string::npos) << refused->body;
    EXPECT_EQ(refused->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  }
  EXPECT_EQ(only_artifacts.client().Get("/proxy")->status, 200);
  EXPECT_EQ(only_artifacts.client().Get("/health")->status, 200);
  // A wrong method is still a 405, an unknown path a 404.
  EXPECT_EQ(only_artifacts.client().Post("/tracking", "{}", "application/json")->status, 405);
  EXPECT_EQ(only_artifacts.client().Get("/other")->status, 404);

  HttpServerOptions no_proxy;
  no_proxy.serving.serve_artifacts = false;
  PipelineServer without_proxy(routes, {}, no_proxy);
  auto disabled = without_proxy.client().Get("/proxy");
  ASSERT_TRUE(disabled);
  EXPECT_EQ(disabled->status, 503);
  EXPECT_NE(disabled->body.find("--no-serve-artifacts"), std::string::npos);
  EXPECT_EQ(without_proxy.client().Get("/tracking")->status, 200);
}

}  // namespace
}  // namespace mlflowcpp::server::http
