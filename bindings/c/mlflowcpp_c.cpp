// The C API over MlflowClient. Every entry point catches everything: no C++
// exception may cross into C (or Fortran), it would terminate the program.

#include "mlflowcpp/mlflowcpp_c.h"

#include <mlflowcpp/client.hpp>
#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/fluent.hpp>
#include <mlflowcpp/version.hpp>

#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct mlflowcpp_client {
  mlflowcpp::MlflowClient client;
};

struct mlflowcpp_run {
  mlflowcpp::ActiveRun run;
};

namespace {

// Copies `text` into a fixed C array, truncated, always NUL-terminated.
template <std::size_t N>
void copy_truncated(char (&target)[N], const std::string& text) {
  const std::size_t length = std::min(text.size(), N - 1);
  std::memcpy(target, text.data(), length);
  target[length] = '\0';
}

int fail(mlflowcpp_error* error, int status, const std::string& message, const std::string& error_code = {},
         int http_status = 0) {
  if (error != nullptr) {
    error->status = status;
    error->http_status = http_status;
    error->required_size = 0;
    copy_truncated(error->error_code, error_code);
    copy_truncated(error->message, message);
  }
  return status;
}

int succeed(mlflowcpp_error* error) {
  if (error != nullptr) {
    error->status = MLFLOWCPP_OK;
    error->http_status = 0;
    error->required_size = 0;
    error->error_code[0] = '\0';
    error->message[0] = '\0';
  }
  return MLFLOWCPP_OK;
}

// A refusal of the arguments themselves, before anything is sent.
struct InvalidArgument {
  std::string message;
};

// An output buffer that cannot take the answer, with the size it needs.
struct BufferTooSmall {
  std::size_t required;
};

// Runs `body` and turns what it throws into a status and the error record.
template <typename Body>
int guarded(mlflowcpp_error* error, Body&& body) {
  try {
    body();
    return succeed(error);
  } catch (const InvalidArgument& invalid) {
    return fail(error, MLFLOWCPP_ERROR_INVALID_ARGUMENT, invalid.message);
  } catch (const BufferTooSmall& too_small) {
    fail(error, MLFLOWCPP_ERROR_BUFFER_TOO_SMALL,
         "the output buffer needs " + std::to_string(too_small.required) + " bytes");
    if (error != nullptr) error->required_size = too_small.required;
    return MLFLOWCPP_ERROR_BUFFER_TOO_SMALL;
  } catch (const mlflowcpp::TransportError& e) {
    return fail(error, MLFLOWCPP_ERROR_TRANSPORT, e.what(), e.error_code(), e.http_status());
  } catch (const mlflowcpp::MlflowException& e) {
    return fail(error, MLFLOWCPP_ERROR_SERVER, e.what(), e.error_code(), e.http_status());
  } catch (const std::bad_alloc&) {
    return fail(error, MLFLOWCPP_ERROR_INTERNAL, "out of memory");
  } catch (const std::exception& e) {
    return fail(error, MLFLOWCPP_ERROR_INTERNAL, e.what());
  } catch (...) {
    return fail(error, MLFLOWCPP_ERROR_INTERNAL, "unknown error");
  }
}

void require(const void* pointer, const char* name) {
  if (pointer == nullptr) throw InvalidArgument{std::string(name) + " must not be NULL"};
}

bool is_final(mlflowcpp::RunStatus status) {
  return status == mlflowcpp::RunStatus::kFinished || status == mlflowcpp::RunStatus::kFailed ||
         status == mlflowcpp::RunStatus::kKilled;
}

std::string optional_text(const char* text) { return text == nullptr ? std::string() : std::string(text); }

// Writes `value` into the caller's buffer, or reports the size it needs.
void write_out(const std::string& value, char* buffer, std::size_t size) {
  if (value.size() + 1 > size) throw BufferTooSmall{value.size() + 1};
  std::memcpy(buffer, value.c_str(), value.size() + 1);
}

// A param or tag call: (run, key, value) with every argument required.
using RunKeyValueCall = void (mlflowcpp::MlflowClient::*)(const std::string&, const std::string&, const std::string&);
int set_run_key_value(mlflowcpp_client* client, const char* run_id, const char* key, const char* value,
                      mlflowcpp_error* error, RunKeyValueCall call) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    require(key, "key");
    require(value, "value");
    (client->client.*call)(run_id, key, value);
  });
}

}  // namespace

extern "C" {

const char* mlflowcpp_version(void) { return mlflowcpp::kVersion; }

int mlflowcpp_client_new(const char* tracking_uri, mlflowcpp_client** client, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    *client = nullptr;
    mlflowcpp::ClientOptions options;
    if (tracking_uri != nullptr) options.tracking_uri = tracking_uri;
    *client = new mlflowcpp_client{mlflowcpp::MlflowClient(options)};
  });
}

void mlflowcpp_client_free(mlflowcpp_client* client) { delete client; }

int mlflowcpp_client_set_async_logging(mlflowcpp_client* client, int enabled, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    if ((enabled != 0) == client->client.async_logging()) return;
    if (enabled == 0) {
      client->client.disable_async_logging();
      return;
    }
    const mlflowcpp::ResolvedClientOptions* resolved = client->client.connection()->resolved_options();
    client->client.enable_async_logging(resolved ? mlflowcpp::async_logging_options(*resolved)
                                                 : mlflowcpp::AsyncLoggingOptions{});
  });
}

int mlflowcpp_flush(mlflowcpp_client* client, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    client->client.flush();
  });
}

int mlflowcpp_create_experiment(mlflowcpp_client* client, const char* name, const char* artifact_location,
                                char* experiment_id, size_t experiment_id_size, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(name, "name");
    require(experiment_id, "experiment_id");
    write_out(client->client.create_experiment(name, optional_text(artifact_location)), experiment_id,
              experiment_id_size);
  });
}

int mlflowcpp_get_or_create_experiment(mlflowcpp_client* client, const char* name, char* experiment_id,
                                       size_t experiment_id_size, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(name, "name");
    require(experiment_id, "experiment_id");
    std::string id;
    if (auto existing = client->client.get_experiment_by_name(name)) {
      id = existing->experiment_id;
    } else {
      try {
        id = client->client.create_experiment(name);
      } catch (const mlflowcpp::MlflowException& e) {
        // Another process created it between the lookup and the create.
        if (e.code() != mlflowcpp::ErrorCode::kResourceAlreadyExists) throw;
        id = client->client.get_experiment_by_name(name).value().experiment_id;
      }
    }
    write_out(id, experiment_id, experiment_id_size);
  });
}

int mlflowcpp_create_run(mlflowcpp_client* client, const char* experiment_id, const char* run_name, char* run_id,
                         size_t run_id_size, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(experiment_id, "experiment_id");
    require(run_id, "run_id");
    mlflowcpp::CreateRunRequest request;
    request.experiment_id = experiment_id;
    request.run_name = optional_text(run_name);
    write_out(client->client.create_run(request).info.run_id, run_id, run_id_size);
  });
}

int mlflowcpp_set_terminated(mlflowcpp_client* client, const char* run_id, const char* status,
                             mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    auto run_status = mlflowcpp::RunStatus::kFinished;
    if (status != nullptr) {
      auto parsed = mlflowcpp::parse_run_status(status);
      if (!parsed) throw InvalidArgument{std::string("unknown run status '") + status + "'"};
      run_status = *parsed;
    }
    client->client.set_terminated(run_id, run_status);
  });
}

int mlflowcpp_start_run(mlflowcpp_client* client, const mlflowcpp_run_options* options, mlflowcpp_run** run,
                        mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run, "run");
    *run = nullptr;
    mlflowcpp::StartRunOptions start;
    if (options != nullptr) {
      if (options->experiment_id != nullptr) start.experiment_id = options->experiment_id;
      start.run_name = optional_text(options->run_name);
      if (options->parent_run_id != nullptr) start.parent_run_id = options->parent_run_id;
      switch (options->log_system_metrics) {
        case -1:
          break;
        case 0:
        case 1:
          start.log_system_metrics = options->log_system_metrics == 1;
          break;
        default:
          throw InvalidArgument{"log_system_metrics must be -1 (the environment decides), 0 or 1, not " +
                                std::to_string(options->log_system_metrics)};
      }
    }
    // The run takes a copy of the client: the copy shares its connection and asynchronous logging.
    *run = new mlflowcpp_run{mlflowcpp::start_run(client->client, std::move(start))};
  });
}

const char* mlflowcpp_run_id(const mlflowcpp_run* run) { return run == nullptr ? nullptr : run->run.run_id().c_str(); }

int mlflowcpp_end_run(mlflowcpp_run* run, const char* status, mlflowcpp_error* error) {
  // Freed on every path: what the run cannot end here, its destructor tries once more.
  std::unique_ptr<mlflowcpp_run> owned(run);
  return guarded(error, [&] {
    require(run, "run");
    auto run_status = mlflowcpp::RunStatus::kFinished;
    if (status != nullptr) {
      auto parsed = mlflowcpp::parse_run_status(status);
      if (!parsed || !is_final(*parsed)) {
        // What the program meant is unknown; a run left RUNNING would look alive forever.
        owned->run.end(mlflowcpp::RunStatus::kFailed);
        throw InvalidArgument{std::string("unknown final run status '") + status +
                              "' (FINISHED, FAILED or KILLED); the run was ended FAILED"};
      }
      run_status = *parsed;
    }
    owned->run.end(run_status);
  });
}

int mlflowcpp_log_metric(mlflowcpp_client* client, const char* run_id, const char* key, double value,
                         int64_t timestamp_ms, int64_t step, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    require(key, "key");
    mlflowcpp::MetricOptions options;
    options.step = step;
    if (timestamp_ms != 0) options.timestamp = timestamp_ms;
    client->client.log_metric(run_id, key, value, options);
  });
}

int mlflowcpp_log_metrics(mlflowcpp_client* client, const char* run_id, size_t count, const char* const* keys,
                          const double* values, int64_t timestamp_ms, int64_t step, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    if (count == 0) return;
    require(keys, "keys");
    require(values, "values");
    const int64_t timestamp = timestamp_ms != 0 ? timestamp_ms : mlflowcpp::now_epoch_millis();
    std::vector<mlflowcpp::Metric> metrics;
    metrics.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (keys[i] == nullptr) throw InvalidArgument{"keys[" + std::to_string(i) + "] must not be NULL"};
      metrics.push_back(mlflowcpp::Metric{keys[i], values[i], timestamp, step});
    }
    client->client.log_batch(run_id, metrics);
  });
}

int mlflowcpp_log_model_metric(mlflowcpp_client* client, const char* run_id, const char* key, double value,
                               int64_t timestamp_ms, int64_t step, const char* model_id, const char* dataset_name,
                               const char* dataset_digest, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    require(key, "key");
    require(model_id, "model_id");
    mlflowcpp::MetricOptions options;
    options.step = step;
    if (timestamp_ms != 0) options.timestamp = timestamp_ms;
    options.model_id = model_id;
    if (dataset_name != nullptr) options.dataset_name = dataset_name;
    if (dataset_digest != nullptr) options.dataset_digest = dataset_digest;
    client->client.log_metric(run_id, key, value, options);
  });
}

int mlflowcpp_create_logged_model(mlflowcpp_client* client, const char* experiment_id, const char* name,
                                  const char* source_run_id, char* model_id, size_t model_id_size,
                                  char* artifact_uri, size_t artifact_uri_size, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(experiment_id, "experiment_id");
    require(model_id, "model_id");
    mlflowcpp::CreateLoggedModelRequest request;
    request.experiment_id = experiment_id;
    request.name = optional_text(name);
    request.source_run_id = optional_text(source_run_id);
    const mlflowcpp::LoggedModel model = client->client.create_logged_model(request);
    // Both sizes are checked before either buffer is written.
    if (artifact_uri != nullptr && model.info.artifact_uri.size() + 1 > artifact_uri_size) {
      throw BufferTooSmall{model.info.artifact_uri.size() + 1};
    }
    write_out(model.info.model_id, model_id, model_id_size);
    if (artifact_uri != nullptr) write_out(model.info.artifact_uri, artifact_uri, artifact_uri_size);
  });
}

int mlflowcpp_finalize_logged_model(mlflowcpp_client* client, const char* model_id, const char* status,
                                    mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(model_id, "model_id");
    auto model_status = mlflowcpp::LoggedModelStatus::kReady;
    if (status != nullptr) {
      const std::string text = status;
      if (text == "FAILED") {
        model_status = mlflowcpp::LoggedModelStatus::kUploadFailed;
      } else if (text != "READY") {
        auto parsed = mlflowcpp::parse_logged_model_status(text);
        if (!parsed || (*parsed != mlflowcpp::LoggedModelStatus::kReady &&
                        *parsed != mlflowcpp::LoggedModelStatus::kUploadFailed)) {
          throw InvalidArgument{"unknown final logged model status '" + text + "'"};
        }
        model_status = *parsed;
      }
    }
    client->client.finalize_logged_model(model_id, model_status);
  });
}

int mlflowcpp_log_param(mlflowcpp_client* client, const char* run_id, const char* key, const char* value,
                        mlflowcpp_error* error) {
  return set_run_key_value(client, run_id, key, value, error, &mlflowcpp::MlflowClient::log_param);
}

int mlflowcpp_set_tag(mlflowcpp_client* client, const char* run_id, const char* key, const char* value,
                      mlflowcpp_error* error) {
  return set_run_key_value(client, run_id, key, value, error, &mlflowcpp::MlflowClient::set_tag);
}

int mlflowcpp_log_artifact(mlflowcpp_client* client, const char* run_id, const char* local_file,
                           const char* artifact_path, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    require(local_file, "local_file");
    client->client.log_artifact(run_id, local_file, optional_text(artifact_path));
  });
}

int mlflowcpp_download_artifacts(mlflowcpp_client* client, const char* run_id, const char* artifact_path,
                                 const char* local_dir, mlflowcpp_error* error) {
  return guarded(error, [&] {
    require(client, "client");
    require(run_id, "run_id");
    require(local_dir, "local_dir");
    client->client.download_artifacts(run_id, optional_text(artifact_path), local_dir);
  });
}

}  // extern "C"
