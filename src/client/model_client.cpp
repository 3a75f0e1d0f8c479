// MlflowClient's model calls: log_model, register_model, download_model. Each
// is built from the artifact and registry calls, as the official client's are.

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/errors.hpp>

#include "client/artifact_uri.hpp"
#include "client/mlmodel.hpp"
#include "client/model_uri.hpp"
#include "client/rest_call.hpp"
#include "client/server_features.hpp"

#include <mlflowcpp/artifacts.hpp>

#include <fstream>
#include <map>
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

// The model directory as log_model uploads it: the caller's files and the
// MLmodel file, in a temporary directory that goes away with this object.
class StagedModel {
 public:
  StagedModel(const fs::path& local_dir, const client::MlmodelDocument& document) {
    fs::copy(local_dir, dir_.path(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    write_text_file(dir_.path() / "MLmodel", client::mlmodel_to_yaml(document));
  }
  const fs::path& path() const { return dir_.path(); }

 private:
  ScopedTempDir dir_;
};

// Answers to POST logged-models meaning "this server keeps no logged models":
// a server before MLflow 3 does not know the endpoint (remembered, it will not
// learn it); an MLflow 3 server whose database still has MLflow 2.9's schema
// refuses (not remembered: the database may be upgraded while the client lives).
enum class NoLoggedModels { kNo, kOldServer, kOldDatabase };

NoLoggedModels reason_for_no_logged_models(const MlflowException& error) {
  const auto code = error.code();
  if (code == ErrorCode::kEndpointNotFound) return NoLoggedModels::kOldServer;
  if (code == ErrorCode::kNotImplemented || code == ErrorCode::kInvalidState ||
      error.error_code() == "FEATURE_DISABLED") {
    return NoLoggedModels::kOldDatabase;
  }
  return NoLoggedModels::kNo;
}

// The logged model's params: the run's, then the caller's (which win on a shared key), as MLflow 3's client does.
std::vector<LoggedModelParameter> model_params(const Run& run, const std::vector<LoggedModelParameter>& extra) {
  std::map<std::string, std::string> merged;
  for (const auto& param : run.data.params) merged[param.key] = param.value;
  for (const auto& param : extra) merged[param.key] = param.value;
  std::vector<LoggedModelParameter> params;
  params.reserve(merged.size());
  for (auto& [key, value] : merged) params.push_back({key, value});
  return params;
}

// The logged model for log_model, or nullopt when the server keeps none
// (`features`, when given, learns which; see NoLoggedModels).
std::optional<LoggedModel> create_if_supported(MlflowClient& client, client::ServerFeatures* features,
                                               const CreateLoggedModelRequest& request) {
  using Support = client::ServerFeatures::LoggedModels;
  try {
    LoggedModel model = client.create_logged_model(request);
    if (features) features->set_logged_models(Support::kSupported);
    return model;
  } catch (const MlflowException& error) {
    const NoLoggedModels reason = reason_for_no_logged_models(error);
    if (reason == NoLoggedModels::kNo) throw;
    if (reason == NoLoggedModels::kOldServer && features) features->set_logged_models(Support::kUnsupported);
    return std::nullopt;
  }
}

// MLflow 3's order after creating the model: link it to the run, write the
// model directory and upload it to the model's own location, finalize. A
// failure on the way leaves the model marked as failed, so nothing reads half
// its files as a model, and the caller gets the error that stopped it.
void link_upload_finalize(MlflowClient& client, const LoggedModel& model, const std::string& run_id, int64_t step,
                          const fs::path& local_dir, const client::MlmodelDocument& document,
                          ArtifactProgressCallback progress) {
  const std::string& model_id = model.info.model_id;
  try {
    client.log_outputs(run_id, {{model_id, step}});
    StagedModel staged(local_dir, document);
    auto repository = make_artifact_repository(model.info.artifact_uri, client.connection());
    repository->set_progress_callback(std::move(progress));
    log_artifact_directory(*repository, staged.path(), "");
  } catch (...) {
    try {
      client.finalize_logged_model(model_id, LoggedModelStatus::kUploadFailed);
    } catch (const std::exception&) {  // the first error is the one worth reporting
    }
    throw;
  }
  client.finalize_logged_model(model_id, LoggedModelStatus::kReady);
}

// How long to wait between two looks at a version still being registered.
constexpr std::chrono::milliseconds kRegistrationPollInterval{200};

}  // namespace

std::string MlflowClient::log_model(const std::string& run_id, const std::filesystem::path& local_dir,
                                    const std::string& artifact_path, const ModelInfo& info,
                                    const LogModelOptions& options) {
  if (!fs::is_directory(local_dir)) {
    throw invalid_parameter("log_model needs a directory of model files, got " + local_dir.string());
  }
  const std::string model_path = client::checked_relative_path(artifact_path);
  if (model_path.empty()) throw invalid_parameter("log_model needs a non-empty artifact_path");

  client::MlmodelDocument document;
  document.run_id = run_id;
  document.utc_time_created = client::utc_time_created_now();
  document.info = info;

  // A moved-from client has no features record: it asks the server each time.
  const bool may_have_logged_models =
      !server_features_ || server_features_->logged_models() != client::ServerFeatures::LoggedModels::kUnsupported;
  if (may_have_logged_models) {
    const Run run = get_run(run_id);
    CreateLoggedModelRequest request;
    request.experiment_id = run.info.experiment_id;
    request.name = model_path;
    request.source_run_id = run_id;
    request.model_type = options.model_type;
    request.params = model_params(run, options.params);
    request.tags = options.tags;
    if (const std::optional<LoggedModel> model = create_if_supported(*this, server_features_.get(), request)) {
      // As MLflow 3's client records it: the model's own location and id.
      document.artifact_path = model->info.artifact_uri;
      document.model_uuid = model->info.model_id;
      document.model_id = model->info.model_id;
      link_upload_finalize(*this, *model, run_id, options.step, local_dir, document, artifact_progress());
      return "models:/" + model->info.model_id;
    }
  }

  // A server without logged models: the model lives in the run's artifacts.
  document.artifact_path = model_path;
  document.model_uuid = client::new_model_uuid();
  StagedModel staged(local_dir, document);
  log_artifacts(run_id, staged.path(), model_path);
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
  } else if (source.rfind("models:/", 0) == 0) {
    const client::ModelUri model_uri = client::parse_model_uri(source);
    if (model_uri.kind == client::ModelUri::Kind::kModelId) {
      // MLflow 3: the version keeps the models:/ source and names the logged
      // model; the server takes the version's run from the model's source run
      // (and tags the model with the version), as for MLflow 3's own client.
      request.model_id = model_uri.reference;
    }
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
