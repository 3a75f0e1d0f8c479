#include "server/artifacts/artifact_store.hpp"

#include <mlflowcpp/errors.hpp>

#include <fmt/format.h>

namespace mlflowcpp::server {
namespace {

[[noreturn]] void throw_multipart_unsupported(const ArtifactStore& store) {
  throw MlflowException(ErrorCode::kNotImplemented,
                        fmt::format("Multipart upload is not supported for the current artifact repository ({}); "
                                    "upload the file with a single PUT.",
                                    store.root_description()));
}

}  // namespace

MultipartUploadStart ArtifactStore::create_multipart_upload(const std::string&, int) const {
  throw_multipart_unsupported(*this);
}

void ArtifactStore::complete_multipart_upload(const std::string&, const std::string&,
                                              const std::vector<MultipartUploadPart>&) const {
  throw_multipart_unsupported(*this);
}

void ArtifactStore::abort_multipart_upload(const std::string&, const std::string&) const {
  throw_multipart_unsupported(*this);
}

}  // namespace mlflowcpp::server
