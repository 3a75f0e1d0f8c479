#include "server/http/artifact_handlers.hpp"

#include "server/artifacts/artifact_location.hpp"
#include "server/artifacts/artifact_mime_type.hpp"
#include "server/artifacts/artifact_path.hpp"
#include "server/http/request_message.hpp"
#include "server/http/responses.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

// A refused upload's body is still read (and dropped) up to this size, so the
// client gets the answer on a connection it can reuse; a larger one closes it.
constexpr std::size_t kMaxDrainedBodyBytes = 1024 * 1024;
// The official server's cap on the UI's upload-artifact call.
constexpr std::size_t kMaxUiUploadBytes = 10 * 1024 * 1024;
// Above S3's limit of 10000 parts: any larger count or part number is as wrong.
constexpr int64_t kPartNumberCeiling = 10001;

// Streams one file as an attachment: the official server's headers, the bytes
// passed on from the store as the socket takes them.
void send_artifact_file(const ArtifactStore& store, const std::string& relative, const httplib::Request& request,
                        httplib::Response& response) {
  std::shared_ptr<const ArtifactReader> file = store.open(relative);
  const std::string name = artifact_basename(relative);
  std::string content_type = artifact_mime_type(name);
  if (content_type.rfind("text/", 0) == 0) content_type += "; charset=utf-8";
  // httplib sends the requested byte range of the content below; it must then say so.
  response.status = request.ranges.empty() ? 200 : 206;
  // Always an attachment: a browser must not render an artifact (HTML, SVG) as a page of this server.
  response.set_header("Content-Disposition", "attachment; filename=" + name);
  response.set_header("X-Content-Type-Options", "nosniff");
  if (file->size() == 0) {
    response.status = 200;
    response.set_content("", content_type);
    return;
  }
  response.set_content_provider(
      static_cast<std::size_t>(file->size()), content_type,
      [file](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        // `length`: the rest of the file, or of the byte range the client asked for.
        const std::uint64_t sent = file->send(offset, length, [&sink](const char* data, std::size_t count) {
          return sink.write(data, count);
        });
        // Some progress: httplib calls again from the new offset if bytes are
        // missing (a store that failed mid-way resumes there). None: the
        // response ends early and the client sees a short body.
        return sent > 0;
      });
}

// "runs:/<run_id>/<path>": the run id and the path inside the run's artifacts.
std::pair<std::string, std::string> split_runs_uri(const std::string& uri) {
  std::string rest = uri.substr(uri.find(':') + 1);
  while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
  const auto slash = rest.find('/');
  if (slash == std::string::npos) return {rest, ""};
  return {rest.substr(0, slash), rest.substr(slash + 1)};
}

std::string regex_escaped(const std::string& text) {
  std::string escaped;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// The request's Content-Length; nullopt for a chunked body (or a malformed header).
std::optional<std::uint64_t> content_length(const httplib::Request& request) {
  if (!request.has_header("Content-Length")) return std::nullopt;
  const std::string length = request.get_header_value("Content-Length");
  if (length.empty() || length.size() > 19 || length.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoull(length);
}

bool is_small_body(const httplib::Request& request) {
  const auto length = content_length(request);
  return length && *length <= kMaxDrainedBodyBytes;
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

// Reads and drops the body of a request answered without it (see kMaxDrainedBodyBytes).
void discard_body(const httplib::Request& request, httplib::Response& response,
                  const httplib::ContentReader& reader) {
  if (!is_small_body(request)) {
    response.set_header("Connection", "close");
    return;
  }
  const auto drop = [](const char*, std::size_t) { return true; };
  const bool read = request.is_multipart_form_data()
                        ? reader([](const httplib::MultipartFormData&) { return true; }, drop)
                        : reader(drop);
  if (!read) response.set_header("Connection", "close");
}

}  // namespace

ArtifactHandlers::ArtifactHandlers(TrackingService& tracking, RegistryService* registry, ArtifactRouteOptions options)
    : tracking_(tracking),
      registry_(registry),
      options_(std::move(options)),
      locator_(tracking.artifact_lister().locator()) {
  proxy_bases_ = {"/api/2.0/mlflow-artifacts", options_.static_prefix + "/ajax-api/2.0/mlflow-artifacts"};
}

std::shared_ptr<const ArtifactStore> ArtifactHandlers::proxy_store() const { return locator_.destination_store(); }

std::optional<std::string> ArtifactHandlers::after_prefix(const std::string& path, const std::string& suffix) const {
  for (const auto& base : proxy_bases_) {
    const std::string prefix = base + suffix;
    if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0) return path.substr(prefix.size());
  }
  return std::nullopt;
}

void ArtifactHandlers::send_disabled(const httplib::Request& request, httplib::Response& response) const {
  send_text(response, 503,
            "Endpoint: " + request.path +
                " disabled due to the mlflow server running with `--no-serve-artifacts`. To enable artifacts server "
                "functionality, run `mlflowcpp server` with `--serve-artifacts`");
}

void ArtifactHandlers::register_routes(Router& router) {
  const std::vector<std::string> get{"GET"};
  for (const auto& base : proxy_bases_) {
    router.add(get, base + "/artifacts", [this](const httplib::Request& request, httplib::Response& response) {
      if (!options_.serve_artifacts) return send_disabled(request, response);
      answer(response, [&] { list_proxy(request, response); });
    });
  }
  router.add(get, options_.static_prefix + "/get-artifact",
             [this](const httplib::Request& request, httplib::Response& response) {
               answer(response, [&] { get_run_artifact(request, response); });
             });
  router.add("POST", options_.static_prefix + "/ajax-api/2.0/mlflow/upload-artifact",
             [this](const httplib::Request& request, httplib::Response& response) {
               answer(response, [&] { upload_run_artifact(request, response); });
             });
  if (registry_ != nullptr) {
    router.add(get, options_.static_prefix + "/model-versions/get-artifact",
               [this](const httplib::Request& request, httplib::Response& response) {
                 if (options_.artifacts_only) {
                   send_artifacts_only_unavailable(request.path, response);
                   return;
                 }
                 answer(response, [&] { get_model_version_artifact(request, response); });
               });
  }
}

bool ArtifactHandlers::dispatch_prefixed(const httplib::Request& request, httplib::Response& response) const {
  const std::string& method = request.method;
  const auto refuse_method = [&](const char* allowed) {
    response.set_header("Allow", allowed);
    if (method == "OPTIONS") {
      response.status = 200;
      return;
    }
    send_error(response, 405, "BAD_REQUEST",
               "The method " + method + " is not allowed for the requested URL " + request.path + ".");
  };

  if (const auto path = after_prefix(request.path, "/artifacts/")) {
    if (method != "GET" && method != "HEAD" && method != "PUT" && method != "DELETE") {
      refuse_method("DELETE, GET, HEAD, OPTIONS, PUT");
      return true;
    }
    if (!options_.serve_artifacts) {
      send_disabled(request, response);
      return true;
    }
    answer(response, [&] {
      if (method == "PUT") {
        upload_from_body(*path, request, response);
      } else if (method == "DELETE") {
        delete_proxy(*path, response);
      } else {
        download_proxy(*path, request, response);
      }
    });
    return true;
  }
  for (const char* call : {"/mpu/create/", "/mpu/complete/", "/mpu/abort/"}) {
    if (const auto path = after_prefix(request.path, call)) {
      if (method != "POST") {
        refuse_method("OPTIONS, POST");
      } else if (!options_.serve_artifacts) {
        send_disabled(request, response);
      } else {
        answer(response, [&] { multipart_call(*path, request, response); });
      }
      return true;
    }
  }
  return false;
}

void ArtifactHandlers::list_proxy(const httplib::Request& request, httplib::Response& response) const {
  const RequestMessage message = RequestMessage::from_http(request);
  const std::string relative = normalize_artifact_path(message.string_or_empty("path"));
  Json files = Json::array();
  for (const auto& file : proxy_store()->list(relative)) {
    // The proxy answers with basenames; the client prepends the directory it asked for.
    FileInfo entry = file;
    entry.path = artifact_basename(file.path);
    files.push_back(protocol::to_json(entry));
  }
  Json body = Json::object();
  if (!files.empty()) body["files"] = std::move(files);
  send_json(response, 200, body);
}

void ArtifactHandlers::download_proxy(const std::string& raw_path, const httplib::Request& request,
                                      httplib::Response& response) const {
  const std::string relative = normalize_artifact_path(raw_path);
  if (relative.empty()) throw invalid_parameter("Invalid path");
  send_artifact_file(*proxy_store(), relative, request, response);
}

void ArtifactHandlers::delete_proxy(const std::string& raw_path, httplib::Response& response) const {
  const std::string relative = normalize_artifact_path(raw_path);
  if (relative.empty()) throw invalid_parameter("Invalid path");
  proxy_store()->remove(relative);
  send_json(response, 200, Json::object());
}

void ArtifactHandlers::upload_from_body(const std::string& raw_path, const httplib::Request& request,
                                        httplib::Response& response) const {
  const std::string relative = normalize_artifact_path(raw_path);
  auto upload = proxy_store()->begin_upload(relative, request.body.size());
  upload->write(request.body.data(), request.body.size());
  upload->commit();
  send_json(response, 200, Json::object());
}

void ArtifactHandlers::multipart_call(const std::string& raw_path, const httplib::Request& request,
                                      httplib::Response& response) const {
  // The official order: the path, then the request fields, then whether the store can do it.
  const std::string directory = normalize_artifact_path(raw_path);
  const RequestMessage message = RequestMessage::from_http(request);
  // `path` names the file; as in MLflow only its last segment is used, but it
  // must be safe as a whole all the same.
  const std::string file_name = artifact_basename(normalize_artifact_path(message.required_string("path")));
  if (file_name.empty()) throw invalid_parameter("Invalid path");
  const std::string relative = join_artifact_path(directory, file_name);

  if (request.path.find("/mpu/create/") != std::string::npos) {
    // The store checks the count (a local one refuses the call first, as in MLflow).
    const int num_parts = clamped_part_number(message.optional_int64("num_parts").value_or(0));
    const MultipartUploadStart start = proxy_store()->create_multipart_upload(relative, num_parts);
    send_json(response, 200, to_json(start));
    return;
  }
  const std::string upload_id = message.string_or_empty("upload_id");
  if (request.path.find("/mpu/complete/") != std::string::npos) {
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
  send_json(response, 200, Json::object());
}

void ArtifactHandlers::upload(const httplib::Request& request, httplib::Response& response,
                              const httplib::ContentReader& reader) const {
  bool body_read = false;
  try {
    const auto path = after_prefix(request.path, "/artifacts/");
    if (!path) throw invalid_parameter("Invalid path");
    const std::string relative = normalize_artifact_path(*path);
    if (request.is_multipart_form_data()) {
      throw invalid_parameter("Artifact uploads take the file's raw bytes as the body, not multipart/form-data.");
    }
    // With a Content-Length the store is told the size (S3 then takes the body in one streamed PUT).
    auto upload = proxy_store()->begin_upload(relative, content_length(request));
    std::exception_ptr write_failure;
    body_read = true;
    const bool complete = reader([&](const char* data, std::size_t length) {
      try {
        upload->write(data, length);
        return true;
      } catch (...) {
        write_failure = std::current_exception();
        return false;
      }
    });
    if (write_failure) {
      response.set_header("Connection", "close");
      std::rethrow_exception(write_failure);
    }
    if (!complete) {
      // The client went away or sent a broken body: the upload object removes
      // its temporary file and the target stays as it was.
      response.set_header("Connection", "close");
      throw MlflowException(ErrorCode::kBadRequest, "The upload body was incomplete; nothing was stored.");
    }
    upload->commit();
    send_json(response, 200, Json::object());
  } catch (const MlflowException& error) {
    if (!body_read) discard_body(request, response, reader);
    send_error(response, error);
  } catch (const std::exception& error) {
    if (!body_read) discard_body(request, response, reader);
    send_error(response, 500, "INTERNAL_ERROR", error.what());
  }
}

bool ArtifactHandlers::is_upload_path(const std::string& path) const {
  return after_prefix(path, "/artifacts/").has_value();
}

std::vector<std::string> ArtifactHandlers::upload_path_patterns() const {
  std::vector<std::string> patterns;
  for (const auto& base : proxy_bases_) patterns.push_back(regex_escaped(base + "/artifacts/") + ".+");
  return patterns;
}

void ArtifactHandlers::get_run_artifact(const httplib::Request& request, httplib::Response& response) const {
  const RequestMessage message = RequestMessage::from_query({request.params.begin(), request.params.end()});
  std::string run_id = message.string_or_empty("run_id");
  if (run_id.empty()) run_id = message.string_or_empty("run_uuid");
  if (!message.has("path")) throw invalid_parameter("Missing value for required parameter 'path'.");
  const std::string relative = normalize_artifact_path(message.string_or_empty("path"));
  if (relative.empty()) throw invalid_parameter("Invalid path");
  const Run run = tracking_.get_run(run_id);
  const ArtifactLocation location = locator_.resolve(run.info.artifact_uri, relative);
  send_artifact_file(*location.store, location.relative, request, response);
}

void ArtifactHandlers::get_model_version_artifact(const httplib::Request& request,
                                                  httplib::Response& response) const {
  const RequestMessage message = RequestMessage::from_query({request.params.begin(), request.params.end()});
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
  send_artifact_file(*location.store, location.relative, request, response);
}

void ArtifactHandlers::upload_run_artifact(const httplib::Request& request, httplib::Response& response) const {
  const std::string run_id = request.get_param_value("run_uuid");
  if (run_id.empty()) throw invalid_parameter("Request must specify run_uuid.");
  const std::string path = request.get_param_value("path");
  if (path.empty()) throw invalid_parameter("Request must specify path.");
  const std::string relative = normalize_artifact_path(path);
  if (relative.empty()) throw invalid_parameter("Invalid path");
  if (request.body.size() > kMaxUiUploadBytes) throw invalid_parameter("Artifact size is too large. Max size is 10MB.");
  if (request.body.empty()) throw invalid_parameter("Request must specify data.");
  const Run run = tracking_.get_run(run_id);
  const ArtifactLocation location = locator_.resolve(run.info.artifact_uri, relative);
  auto upload = location.store->begin_upload(location.relative, request.body.size());
  upload->write(request.body.data(), request.body.size());
  upload->commit();
  send_json(response, 200, Json::object());
}

}  // namespace mlflowcpp::server::http
