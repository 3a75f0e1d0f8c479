// MlflowClient's model calls: log_model, register_model, download_model. Each
// is built from the artifact and registry calls, as the official client's are.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/errors.hpp>

#include "client/artifact_uri.hpp"
#include "client/mlmodel.hpp"
#include "client/rest_call.hpp"

#include <fstream>
#include <system_error>
#include <thread>

namespace mlflowcpp {

namespace {

namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with everything in it
// when this goes out of scope: the model is assembled there so the caller's
// directory never gains an MLmodel file.
class ScopedTempDir {
 public:
  ScopedTempDir() : path_(fs::temp_directory_path() / ("mlflowcpp-model-" + client::new_model_uuid())) {
    fs::create_directories(path_);
  }
  ~ScopedTempDir() {
    std::error_code ignored;  // cleaning up must not throw from a destructor
    fs::remove_all(path_, ignored);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_text_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw MlflowException(ErrorCode::kInternalError, "cannot write " + path.string());
}

// Adds the model to the run's `mlflow.log-model.history` tag. runs/log-model
// lets the server append in its own transaction, so concurrent log_model calls on
// one run all keep their entry. A server without that endpoint gets the older
// read-append-write of the tag from here, which two concurrent calls can race.
void record_logged_model(MlflowClient& client, const std::string& run_id, const client::Json& model) {
  try {
    client::post(*client.connection(), "runs/log-model",
                 client::Json{{"run_id", run_id}, {"model_json", protocol::dump(model)}});
    return;
  } catch (const MlflowException& error) {
    if (error.code() != ErrorCode::kEndpointNotFound) throw;
  }
  constexpr const char* kHistoryTag = "mlflow.log-model.history";
  client::Json history = client::Json::array();
  for (const auto& tag : client.get_run(run_id).data.tags) {
    if (tag.key != kHistoryTag) continue;
    client::Json previous = client::Json::parse(tag.value, nullptr, /*allow_exceptions=*/false);
    if (previous.is_array()) history = std::move(previous);
  }
  history.push_back(model);
  client.set_tag(run_id, kHistoryTag, protocol::dump(history));
}

// How long to wait between two looks at a version still being registered.
constexpr std::chrono::milliseconds kRegistrationPollInterval{200};

}  // namespace

std::string MlflowClient::log_model(const std::string& run_id, const std::filesystem::path& local_dir,
                                    const std::string& artifact_path, const ModelInfo& info) {
  if (!fs::is_directory(local_dir)) {
    throw invalid_parameter("log_model needs a directory of model files, got " + local_dir.string());
  }
  const std::string model_path = client::checked_relative_path(artifact_path);
  if (model_path.empty()) throw invalid_parameter("log_model needs a non-empty artifact_path");

  client::MlmodelDocument document;
  document.artifact_path = model_path;
  document.run_id = run_id;
  document.model_uuid = client::new_model_uuid();
  document.utc_time_created = client::utc_time_created_now();
  document.info = info;

  ScopedTempDir staging;
  fs::copy(local_dir, staging.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  write_text_file(staging.path() / "MLmodel", client::mlmodel_to_yaml(document));
  log_artifacts(run_id, staging.path(), model_path);

  record_logged_model(*this, run_id, client::mlmodel_to_json(document));
  return "runs:/" + run_id + "/" + model_path;
}

ModelVersion MlflowClient::register_model(const std::string& source, const std::string& name,
                                          std::chrono::milliseconds timeout) {
  try {
    create_registered_model(name);
  } catch (const MlflowException& error) {
    // Registering a further version of an existing model is the common case.
    if (error.code() != ErrorCode::kResourceAlreadyExists) throw;
  }

  CreateModelVersionRequest request;
  request.name = name;
  request.source = source;
  if (client::is_runs_uri(source)) {
    // The registry stores where the files are, not the run-relative URI.
    const client::RunsUri runs_uri = client::parse_runs_uri(source);
    const Run run = get_run(runs_uri.run_id);
    request.run_id = runs_uri.run_id;
    request.source = runs_uri.path.empty() ? run.info.artifact_uri : run.info.artifact_uri + "/" + runs_uri.path;
  }
  ModelVersion version = create_model_version(request);

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (version.status == ModelVersionStatus::kPendingRegistration) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw MlflowException(ErrorCode::kDeadlineExceeded, "model version " + version.version + " of '" + name +
                                                              "' still pending registration after " +
                                                              std::to_string(timeout.count()) + " ms");
    }
    std::this_thread::sleep_for(kRegistrationPollInterval);
    version = get_model_version(name, version.version);
  }
  if (version.status == ModelVersionStatus::kFailedRegistration) {
    throw MlflowException(ErrorCode::kInternalError, "registration of version " + version.version + " of '" + name +
                                                         "' failed: " + version.status_message.value_or(""));
  }
  return version;
}

std::string MlflowClient::download_model(const std::string& model_uri, const std::string& local_dst) {
  const bool is_models_uri = model_uri.rfind("models:/", 0) == 0;
  const std::string artifact_uri = is_models_uri ? resolve_model_uri(model_uri) : model_uri;
  return download_artifacts_from_uri(artifact_uri, local_dst).string();
}

}  // namespace mlflowcpp
