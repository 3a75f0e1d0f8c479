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
#include "server/http/route.hpp"
#include "server/http/route_group.hpp"
#include "server/service/registry_service.hpp"
#include "server/service/tracking_service.hpp"

#include <cstddef>
#include <memory>
#include <string>

namespace mlflowcpp::server::http {

class Reply;

// Streams the file `relative` of `store` as an attachment, with the official
// server's headers, its bytes passed on from the store as the socket takes
// them: every artifact download route answers through this.
void send_artifact_file(const ArtifactStore& store, const std::string& relative, Reply& reply);

class ArtifactHandlers : public RouteGroup {
 public:
  // `registry` may be null: then model-versions/get-artifact is not registered.
  // Both services must outlive the handlers. `max_upload_bytes` caps a proxy
  // upload (PUT .../artifacts/<path>); 0 = no cap.
  ArtifactHandlers(TrackingService& tracking, RegistryService* registry, std::size_t max_upload_bytes = 0);

  // The proxy's routes are of ApiFamily::kArtifactProxy (off with --no-serve-artifacts),
  // model-versions/get-artifact of kRegistry (off with --artifacts-only).
  void register_routes(Router& router) override;

 private:
  enum class MultipartCall { kCreate, kComplete, kAbort };

  // The proxy's storage; NOT_IMPLEMENTED for a destination no store serves.
  std::shared_ptr<const ArtifactStore> proxy_store() const;

  void list_proxy(Request& request, Reply& reply) const;
  void download_proxy(Request& request, Reply& reply) const;
  void delete_proxy(Request& request, Reply& reply) const;
  // PUT of one file, its body read as it arrives straight into the store.
  void upload_proxy(Request& request, Reply& reply) const;
  // mpu/create, mpu/complete or mpu/abort (NOT_IMPLEMENTED by a local destination).
  void multipart_call(MultipartCall call, Request& request, Reply& reply) const;
  void get_run_artifact(Request& request, Reply& reply) const;
  void get_model_version_artifact(Request& request, Reply& reply) const;
  void upload_run_artifact(Request& request, Reply& reply) const;

  TrackingService& tracking_;
  RegistryService* registry_;
  std::size_t max_upload_bytes_;
  const ArtifactLocator& locator_;  // the tracking service's (its lister's)
};

}  // namespace mlflowcpp::server::http
