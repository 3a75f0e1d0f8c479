#include "server/http/artifact_handlers.hpp"

#include "server/artifacts/artifact_location.hpp"
#include "server/artifacts/artifact_mime_type.hpp"
#include "server/artifacts/artifact_path.hpp"
#include "server/http/reply.hpp"
#include "server/http/request.hpp"
#include "server/http/request_message.hpp"
#include "server/http/router.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

// The official server's cap on the UI's upload-artifact call.
constexpr std::size_t kMaxUiUploadBytes = 10 * 1024 * 1024;
// Above S3's limit of 10000 parts: any larger count or part number is as wrong.
constexpr int64_t kPartNumberCeiling = 10001;

// "runs:/<run_id>/<path>": the run id and the path inside the run's artifacts.
std::pair<std::string, std::string> split_runs_uri(const std::string& uri) {
  std::string rest = uri.substr(uri.find(':') + 1);
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

// A part count or number from the request, within int (a bigger one stays too big).
int clamped_part_number(int64_t number) {
  return static_cast<int>(std::clamp<int64_t>(number, -1, kPartNumberCeiling));
}

Json to_json(const MultipartUploadStart& start) {
  Json credentials = Json::array();
  for (const auto& credential : start.credentials) {
    credentials.push_back(
        {{"url", credential.url}, {"part_number", credential.part_number}, {"headers", credential.headers}});
  }
  return Json{{"upload_id", start.upload_id}, {"credentials", std::move(credentials)}};
}

}  // namespace

void send_artifact_file(const ArtifactStore& store, const std::string& relative, Reply& reply) {
  std::shared_ptr<const ArtifactReader> file = store.open(relative);
  const std::string name = artifact_basename(relative);
  std::string content_type = artifact_mime_type(name);
  if (content_type.rfind("text/", 0) == 0) content_type += "; charset=utf-8";
  // Always an attachment: a browser must not render an artifact (HTML, SVG) as a page of this server.
  reply.set_header("Content-Disposition", "attachment; filename=" + name);
  reply.set_header("X-Content-Type-Options", "nosniff");
  if (file->size() == 0) {
    reply.send(200, "", content_type);
    return;
  }
  // A store that fails mid-way resumes from where it stopped when called again.
  reply.stream(file->size(), content_type,
               [file](std::uint64_t offset, std::uint64_t length, const ReplyChunkSink& sink) {
                 return file->send(offset, length, sink);
               });
}

ArtifactHandlers::ArtifactHandlers(TrackingService& tracking, RegistryService* registry, std::size_t max_upload_bytes)
    : tracking_(tracking),
      registry_(registry),
      max_upload_bytes_(max_upload_bytes),
      locator_(tracking.artifact_lister().locator()) {}

std::shared_ptr<const ArtifactStore> ArtifactHandlers::proxy_store() const { return locator_.destination_store(); }

void ArtifactHandlers::register_routes(Router& router) {
  const std::string& prefix = router.static_prefix();
  const auto route_of = [](const char* method, const std::string& pattern, PathMatch match, ApiFamily family,
                             Handler handler) {
    Route route;
    route.methods = {method};
    route.pattern = pattern;
    route.match = match;
    route.family = family;
    route.handler = std::move(handler);
    return route;
  };
  const auto bound = [this](void (ArtifactHandlers::*handle)(Request&, Reply&) const) {
    return [this, handle](Request& request, Reply& reply) { (this->*handle)(request, reply); };
  };

  const std::string bases[] = {"/api/2.0/mlflow-artifacts", prefix + "/ajax-api/2.0/mlflow-artifacts"};
  for (const std::string& base : bases) {
    const std::string files = base + "/artifacts/";
    router.add(route_of("GET", base + "/artifacts", PathMatch::kExact, ApiFamily::kArtifactProxy,
                   bound(&ArtifactHandlers::list_proxy)));
    router.add(route_of("GET", files, PathMatch::kPrefix, ApiFamily::kArtifactProxy,
                   bound(&ArtifactHandlers::download_proxy)));
    router.add(route_of("DELETE", files, PathMatch::kPrefix, ApiFamily::kArtifactProxy,
                   bound(&ArtifactHandlers::delete_proxy)));
    // Uploads stream: a file goes to the store as it arrives, never whole in memory.
    Route upload = route_of("PUT", files, PathMatch::kPrefix, ApiFamily::kArtifactProxy,
                       bound(&ArtifactHandlers::upload_proxy));
    upload.body = BodyHandling::kStreamed;
    upload.max_body_bytes = max_upload_bytes_;
    router.add(std::move(upload));
    const std::pair<const char*, MultipartCall> calls[] = {
        {"/mpu/create/", MultipartCall::kCreate},
        {"/mpu/complete/", MultipartCall::kComplete},
        {"/mpu/abort/", MultipartCall::kAbort}};
    for (const auto& [path, call] : calls) {
      router.add(route_of("POST", base + path, PathMatch::kPrefix, ApiFamily::kArtifactProxy,
                     [this, call = call](Request& request, Reply& reply) { multipart_call(call, request, reply); }));
    }
  }
  router.add(route_of("GET", prefix + "/get-artifact", PathMatch::kExact, ApiFamily::kArtifactFiles,
                 bound(&ArtifactHandlers::get_run_artifact)));
  router.add(route_of("POST", prefix + "/ajax-api/2.0/mlflow/upload-artifact", PathMatch::kExact,
                 ApiFamily::kArtifactFiles, bound(&ArtifactHandlers::upload_run_artifact)));
  if (registry_ != nullptr) {
    router.add(route_of("GET", prefix + "/model-versions/get-artifact", PathMatch::kExact, ApiFamily::kRegistry,
                   bound(&ArtifactHandlers::get_model_version_artifact)));
  }
}

void ArtifactHandlers::list_proxy(Request& request, Reply& reply) const {
  const std::string relative = normalize_artifact_path(request.message().string_or_empty("path"));
  Json files = Json::array();
  for (const auto& file : proxy_store()->list(relative)) {
    // The proxy answers with basenames; the client prepends the directory it asked for.
    FileInfo entry = file;
    entry.path = artifact_basename(file.path);
    files.push_back(protocol::to_json(entry));
  }
  Json body = Json::object();
  if (!files.empty()) body["files"] = std::move(files);
  reply.json(200, body);
}

void ArtifactHandlers::download_proxy(Request& request, Reply& reply) const {
  const std::string relative = normalize_artifact_path(std::string(request.route_remainder()));
  if (relative.empty()) throw invalid_parameter("Invalid path");
  send_artifact_file(*proxy_store(), relative, reply);
}

void ArtifactHandlers::delete_proxy(Request& request, Reply& reply) const {
  const std::string relative = normalize_artifact_path(std::string(request.route_remainder()));
  if (relative.empty()) throw invalid_parameter("Invalid path");
  proxy_store()->remove(relative);
  reply.json(200, Json::object());
}

void ArtifactHandlers::multipart_call(MultipartCall call, Request& request, Reply& reply) const {
  // The official order: the path, then the request fields, then whether the store can do it.
  const std::string directory = normalize_artifact_path(std::string(request.route_remainder()));
  const RequestMessage& message = request.message();
  // `path` names the file; as in MLflow only its last segment is used, but it
  // must be safe as a whole all the same.
  const std::string file_name = artifact_basename(normalize_artifact_path(message.required_string("path")));
  if (file_name.empty()) throw invalid_parameter("Invalid path");
  const std::string relative = join_artifact_path(directory, file_name);

  if (call == MultipartCall::kCreate) {
    // The store checks the count (a local one refuses the call first, as in MLflow).
    const int num_parts = clamped_part_number(message.optional_int64("num_parts").value_or(0));
    const MultipartUploadStart start = proxy_store()->create_multipart_upload(relative, num_parts);
    reply.json(200, to_json(start));
    return;
  }
  const std::string upload_id = message.string_or_empty("upload_id");
  if (call == MultipartCall::kComplete) {
    if (!message.has("parts")) throw invalid_parameter("Missing value for required parameter 'parts'.");
    std::vector<MultipartUploadPart> parts;
    for (const auto& part : message.message_list("parts")) {
      // Numbers S3 does not know are left for it to refuse (400 from the store).
      parts.push_back(MultipartUploadPart{clamped_part_number(part.optional_int64("part_number").value_or(0)),
                                          part.string_or_empty("etag")});
    }
    proxy_store()->complete_multipart_upload(relative, upload_id, parts);
  } else {
    proxy_store()->abort_multipart_upload(relative, upload_id);
  }
  reply.json(200, Json::object());
}

void ArtifactHandlers::upload_proxy(Request& request, Reply& reply) const {
  const std::string relative = normalize_artifact_path(std::string(request.route_remainder()));
  if (request.is_multipart_form()) {
    throw invalid_parameter("Artifact uploads take the file's raw bytes as the body, not multipart/form-data.");
  }
  // With a Content-Length the store is told the size (S3 then takes the body in one streamed PUT).
  auto upload = proxy_store()->begin_upload(relative, request.content_length());
  std::exception_ptr write_failure;
  const bool complete = request.read_body([&](const char* data, std::size_t length) {
    try {
      upload->write(data, length);
      return true;
    } catch (...) {
      write_failure = std::current_exception();
      return false;
    }
  });
  if (write_failure) {
    reply.close_connection();
    std::rethrow_exception(write_failure);
  }
  if (!complete) {
    // The client went away or sent a broken body: the upload object removes
    // its temporary file and the target stays as it was.
    reply.close_connection();
    throw MlflowException(ErrorCode::kBadRequest, "The upload body was incomplete; nothing was stored.");
  }
  upload->commit();
  reply.json(200, Json::object());
}

void ArtifactHandlers::get_run_artifact(Request& request, Reply& reply) const {
  const RequestMessage message = RequestMessage::from_query(request.query());
  std::string run_id = message.string_or_empty("run_id");
  if (run_id.empty()) run_id = message.string_or_empty("run_uuid");
  if (!message.has("path")) throw invalid_parameter("Missing value for required parameter 'path'.");
  const std::string relative = normalize_artifact_path(message.string_or_empty("path"));
  if (relative.empty()) throw invalid_parameter("Invalid path");
  const Run run = tracking_.get_run(run_id);
  const ArtifactLocation location = locator_.resolve(run.info.artifact_uri, relative);
  send_artifact_file(*location.store, location.relative, reply);
}

void ArtifactHandlers::get_model_version_artifact(Request& request, Reply& reply) const {
  const RequestMessage message = RequestMessage::from_query(request.query());
  if (!message.has("path")) throw invalid_parameter("Missing value for required parameter 'path'.");
  const std::string relative = normalize_artifact_path(message.string_or_empty("path"));
  if (relative.empty()) throw invalid_parameter("Invalid path");
  std::string root_uri =
      registry_->get_model_version_download_uri(message.string_or_empty("name"), message.string_or_empty("version"));
  std::string inside_root = relative;
  if (root_uri.rfind("runs:", 0) == 0) {
    // A source given as runs:/<run_id>/<path>: that path inside the run's artifacts.
    const auto [run_id, run_path] = split_runs_uri(root_uri);
    root_uri = tracking_.get_run(run_id).info.artifact_uri;
    inside_root = join_artifact_path(normalize_artifact_path(run_path), relative);
  }
  const ArtifactLocation location = locator_.resolve(root_uri, inside_root);
  send_artifact_file(*location.store, location.relative, reply);
}

void ArtifactHandlers::upload_run_artifact(Request& request, Reply& reply) const {
  const std::string run_id = request.query_value("run_uuid");
  if (run_id.empty()) throw invalid_parameter("Request must specify run_uuid.");
  const std::string path = request.query_value("path");
  if (path.empty()) throw invalid_parameter("Request must specify path.");
  const std::string relative = normalize_artifact_path(path);
  if (relative.empty()) throw invalid_parameter("Invalid path");
  const std::string& body = request.body();
  if (body.size() > kMaxUiUploadBytes) throw invalid_parameter("Artifact size is too large. Max size is 10MB.");
  if (body.empty()) throw invalid_parameter("Request must specify data.");
  const Run run = tracking_.get_run(run_id);
  const ArtifactLocation location = locator_.resolve(run.info.artifact_uri, relative);
  auto upload = location.store->begin_upload(location.relative, body.size());
  upload->write(body.data(), body.size());
  upload->commit();
  reply.json(200, Json::object());
}

}  // namespace mlflowcpp::server::http
