#pragma once

// Artifacts over HTTP:
// - the mlflow-artifacts proxy under /api/2.0/mlflow-artifacts/ and
//   {static_prefix}/ajax-api/2.0/mlflow-artifacts/: download (GET), upload
//   (PUT, streamed to the store), delete (DELETE), listing (GET .../artifacts?path=)
//   and the multipart calls (presigned part URLs for an s3:// destination,
//   NOT_IMPLEMENTED for a local one);
// - the UI's downloads {static_prefix}/get-artifact?run_id=&path= and
//   {static_prefix}/model-versions/get-artifact?name=&version=&path=;
// - the UI's small upload POST {static_prefix}/ajax-api/2.0/mlflow/upload-artifact?run_uuid=&path=
//   (raw body of at most 10 MB into the run's artifacts).
// Bodies are streamed both ways, between the socket and the disk or S3: no file
// is ever held in memory whole (an upload to S3 without Content-Length goes as
// a multipart upload, one 8 MiB part in memory at a time). Every path is normalised and confined to its artifact
// root (see artifact_location.hpp) before any file or S3 key is formed.

#include "server/artifacts/artifact_location.hpp"
#include "server/http/router.hpp"
#include "server/service/registry_service.hpp"
#include "server/service/tracking_service.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace httplib {
class ContentReader;
}

namespace mlflowcpp::server::http {

struct ArtifactRouteOptions {
  std::string static_prefix;          // "" or "/prefix"
  // Off (--no-serve-artifacts): every proxy route answers 503 with a plain-text body.
  bool serve_artifacts = true;
  // --artifacts-only: model-versions/get-artifact answers 503 like the other registry routes.
  bool artifacts_only = false;
};

class ArtifactHandlers {
 public:
  // `registry` may be null: then model-versions/get-artifact is not registered.
  // Both services must outlive the handlers.
  ArtifactHandlers(TrackingService& tracking, RegistryService* registry, ArtifactRouteOptions options);

  // The exact-path routes: the proxy listing, get-artifact, model-versions/get-artifact.
  void register_routes(Router& router);

  // The routes below a path prefix (download, delete, multipart calls, and
  // uploads that arrive with their body already read). False when `request`
  // is not under any of the proxy's prefixes.
  bool dispatch_prefixed(const httplib::Request& request, httplib::Response& response) const;

  // PUT of one file, its body read through `reader` straight into the store.
  void upload(const httplib::Request& request, httplib::Response& response,
              const httplib::ContentReader& reader) const;
  // Whether `path` is one `upload` serves (for body size limits).
  bool is_upload_path(const std::string& path) const;
  // Regular expressions (httplib route patterns) of the upload paths.
  std::vector<std::string> upload_path_patterns() const;
  bool serves_proxy() const { return options_.serve_artifacts; }

 private:
  // The proxy's storage; NOT_IMPLEMENTED for a destination no store serves.
  std::shared_ptr<const ArtifactStore> proxy_store() const;
  // The proxy path after `prefix` ("dir/f.txt"), when `path` starts with it.
  std::optional<std::string> after_prefix(const std::string& path, const std::string& suffix) const;

  void list_proxy(const httplib::Request& request, httplib::Response& response) const;
  void download_proxy(const std::string& raw_path, const httplib::Request& request,
                      httplib::Response& response) const;
  void delete_proxy(const std::string& raw_path, httplib::Response& response) const;
  void upload_from_body(const std::string& raw_path, const httplib::Request& request,
                        httplib::Response& response) const;
  // mpu/create, mpu/complete or mpu/abort (NOT_IMPLEMENTED by a local destination).
  void multipart_call(const std::string& raw_path, const httplib::Request& request,
                      httplib::Response& response) const;
  void get_run_artifact(const httplib::Request& request, httplib::Response& response) const;
  void get_model_version_artifact(const httplib::Request& request, httplib::Response& response) const;
  void upload_run_artifact(const httplib::Request& request, httplib::Response& response) const;
  void send_disabled(const httplib::Request& request, httplib::Response& response) const;

  TrackingService& tracking_;
  RegistryService* registry_;
  ArtifactRouteOptions options_;
  const ArtifactLocator& locator_;  // the tracking service's (its lister's)
  std::vector<std::string> proxy_bases_;           // "/api/2.0/mlflow-artifacts", the ajax one
};

}  // namespace mlflowcpp::server::http
