#pragma once

// Removing the artifacts of a run that `mlflowcpp gc` deletes for good, wherever its artifact_uri points:
// - a local path, file: or s3:// URI: removed directly with the server's artifact stores (S3 settings from the
//   environment, as the server takes them);
// - an mlflow-artifacts: URI or an http(s) URL of an artifact proxy: through the proxy's DELETE call of the
//   tracking server at `tracking_uri` when one is given (the server that owns the destination), else directly
//   below the artifacts destination, as a server with these settings would resolve it.

#include "server/artifacts/artifact_location.hpp"

#include <mlflowcpp/connection.hpp>

#include <memory>
#include <optional>
#include <string>

namespace mlflowcpp::cli {

class RunArtifactRemover {
 public:
  // `tracking_connection`: the tracking server whose artifact proxy removes mlflow-artifacts: locations; none to
  // remove them below `artifacts_destination` here.
  RunArtifactRemover(const std::string& artifacts_destination, std::shared_ptr<Connection> tracking_connection);

  // Removes everything below `artifact_uri`. Returns why nothing could be removed when the location is of a kind
  // no store here reaches (gs://, ...), as MLflow's gc goes on past an artifact URL it cannot resolve; throws
  // MlflowException when the removal failed (storage unreachable, refused).
  std::optional<std::string> remove(const std::string& artifact_uri) const;

 private:
  void remove_through_proxy(const std::string& destination_relative_path) const;

  server::ArtifactLocator locator_;
  std::shared_ptr<Connection> tracking_connection_;
};

}  // namespace mlflowcpp::cli
