/*
 * The C API of mlflowcpp: MLflow tracking from C, Fortran (bindings/fortran)
 * or any language with a C foreign-function interface.
 *
 * Conventions:
 * - Every call returns MLFLOWCPP_OK (0) or an error status, and fills the
 *   caller's mlflowcpp_error (when not NULL) with the MLflow error code name
 *   ("RESOURCE_ALREADY_EXISTS", ...), the HTTP status and a message.
 * - Strings in are NUL-terminated UTF-8; NULL means "not given" where a
 *   parameter is optional. Strings out go into a caller buffer with its size;
 *   a buffer too small gives MLFLOWCPP_ERROR_BUFFER_TOO_SMALL and the size
 *   needed (with the NUL) in `error->required_size`.
 * - A client is safe to use from several threads at once; an mlflowcpp_error
 *   belongs to the thread that passed it.
 *
 * Example:
 *   mlflowcpp_client* client = NULL;
 *   mlflowcpp_error error;
 *   char run_id[MLFLOWCPP_ID_SIZE];
 *   if (mlflowcpp_client_new(NULL, &client, &error) != MLFLOWCPP_OK) { puts(error.message); return 1; }
 *   mlflowcpp_create_run(client, "0", "c-run", run_id, sizeof run_id, &error);
 *   mlflowcpp_log_metric(client, run_id, "loss", 0.25, 0, 1, &error);
 *   mlflowcpp_set_terminated(client, run_id, "FINISHED", &error);
 *   mlflowcpp_client_free(client);
 */
#ifndef MLFLOWCPP_MLFLOWCPP_C_H
#define MLFLOWCPP_MLFLOWCPP_C_H

#include <mlflowcpp/mlflowcpp_c_export.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return statuses. */
#define MLFLOWCPP_OK 0
#define MLFLOWCPP_ERROR_SERVER 1              /* the server answered with an MLflow error */
#define MLFLOWCPP_ERROR_TRANSPORT 2           /* the server could not be reached (after retries) */
#define MLFLOWCPP_ERROR_INVALID_ARGUMENT 3    /* a required argument was NULL or malformed */
#define MLFLOWCPP_ERROR_BUFFER_TOO_SMALL 4    /* an output buffer cannot take the answer */
#define MLFLOWCPP_ERROR_INTERNAL 5            /* anything else (e.g. out of memory) */

/* Large enough for any experiment or run id. */
#define MLFLOWCPP_ID_SIZE 64

typedef struct mlflowcpp_error {
  int status;                 /* the return status of the call */
  int http_status;            /* the server's HTTP status; 0 when none */
  char error_code[64];        /* e.g. "RESOURCE_DOES_NOT_EXIST"; "" when none */
  char message[1024];         /* truncated to fit, always NUL-terminated */
  size_t required_size;       /* with MLFLOWCPP_ERROR_BUFFER_TOO_SMALL: the size needed */
} mlflowcpp_error;

typedef struct mlflowcpp_client mlflowcpp_client;

/* The library's version, e.g. "0.1.0". */
MLFLOWCPP_C_EXPORT const char* mlflowcpp_version(void);

/* A client for `tracking_uri` ("http://host:5000"); NULL takes MLFLOW_TRACKING_URI.
 * Either way the other MLFLOW_* variables apply, as in the Python client: credentials
 * (MLFLOW_TRACKING_USERNAME and _PASSWORD, else ~/.mlflow/credentials; or
 * MLFLOW_TRACKING_TOKEN), TLS settings and retries. Nothing is sent yet. */
MLFLOWCPP_C_EXPORT int mlflowcpp_client_new(const char* tracking_uri, mlflowcpp_client** client,
                                            mlflowcpp_error* error);
/* Sends what asynchronous logging still holds (reporting failures on stderr), then frees the client. */
MLFLOWCPP_C_EXPORT void mlflowcpp_client_free(mlflowcpp_client* client);

/* Asynchronous logging (off unless MLFLOW_ENABLE_ASYNC_LOGGING=true or switched on here):
 * mlflowcpp_log_metric(s), _log_param and _set_tag queue their values and return at once;
 * a background thread sends them. Their failures are reported by mlflowcpp_flush().
 * `enabled` 0 switches it off, after sending what is queued. */
MLFLOWCPP_C_EXPORT int mlflowcpp_client_set_async_logging(mlflowcpp_client* client, int enabled,
                                                          mlflowcpp_error* error);
/* Blocks until everything logged before the call has reached the server; returns the
 * first failure since the previous flush (MLFLOWCPP_ERROR_SERVER with the server's code,
 * e.g. a param logged again with another value), with a count of the items not stored.
 * MLFLOWCPP_OK at once when logging synchronously. */
MLFLOWCPP_C_EXPORT int mlflowcpp_flush(mlflowcpp_client* client, mlflowcpp_error* error);

/* Experiments. `artifact_location` may be NULL. */
MLFLOWCPP_C_EXPORT int mlflowcpp_create_experiment(mlflowcpp_client* client, const char* name,
                                                   const char* artifact_location, char* experiment_id,
                                                   size_t experiment_id_size, mlflowcpp_error* error);
/* The id of the experiment named `name`, created when it does not exist (as mlflow.set_experiment). */
MLFLOWCPP_C_EXPORT int mlflowcpp_get_or_create_experiment(mlflowcpp_client* client, const char* name,
                                                          char* experiment_id, size_t experiment_id_size,
                                                          mlflowcpp_error* error);

/* Runs. `run_name` may be NULL (the server picks one). */
MLFLOWCPP_C_EXPORT int mlflowcpp_create_run(mlflowcpp_client* client, const char* experiment_id, const char* run_name,
                                            char* run_id, size_t run_id_size, mlflowcpp_error* error);
/* `status`: "FINISHED", "FAILED", "KILLED" (NULL: FINISHED). The end time is now. What
 * asynchronous logging holds for the run is sent first (call mlflowcpp_flush() for its failures). */
MLFLOWCPP_C_EXPORT int mlflowcpp_set_terminated(mlflowcpp_client* client, const char* run_id, const char* status,
                                                mlflowcpp_error* error);

/* Runs with the fluent lifecycle of the C++ API (mlflowcpp::start_run), for system metrics.
 * mlflowcpp_start_run creates a run (with the system tags mlflow.user, mlflow.source.name, ...)
 * and, when system metrics are on, a thread that samples the machine and logs
 * system/cpu_utilization_percentage and the others to the run every
 * MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL seconds (README.md, "System metrics").
 * mlflowcpp_end_run stops that thread, sends what asynchronous logging holds and ends the run.
 * Log to the run with the calls above and below, given mlflowcpp_run_id(run).
 *
 * As in the C++ API, MLFLOW_RUN_ID (when set) names a run to resume instead of creating one.
 * The run keeps its own share of the client's connection: it may outlive the client. */
typedef struct mlflowcpp_run mlflowcpp_run;

/* Start with MLFLOWCPP_RUN_OPTIONS_INIT: a zeroed struct turns system metrics off. */
typedef struct mlflowcpp_run_options {
  const char* experiment_id; /* NULL: MLFLOW_EXPERIMENT_NAME (created when missing), MLFLOW_EXPERIMENT_ID, else "0" */
  const char* run_name;      /* NULL or "": the server picks one */
  const char* parent_run_id; /* not NULL: a nested run, tagged mlflow.parentRunId */
  int log_system_metrics;    /* -1: MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING decides; 0: off; 1: on */
} mlflowcpp_run_options;

#define MLFLOWCPP_RUN_OPTIONS_INIT {NULL, NULL, NULL, -1}

/* Starts a run; `options` NULL means MLFLOWCPP_RUN_OPTIONS_INIT. On success `*run` is a
 * handle for mlflowcpp_end_run, which frees it; on failure it is NULL and no run was created. */
MLFLOWCPP_C_EXPORT int mlflowcpp_start_run(mlflowcpp_client* client, const mlflowcpp_run_options* options,
                                           mlflowcpp_run** run, mlflowcpp_error* error);
/* The run's id (valid until mlflowcpp_end_run); NULL when `run` is NULL. */
MLFLOWCPP_C_EXPORT const char* mlflowcpp_run_id(const mlflowcpp_run* run);
/* Stops the system metrics, sends what asynchronous logging holds for the client, and ends the
 * run with `status`: "FINISHED", "FAILED" or "KILLED" (NULL: FINISHED); the end time is now.
 * The handle is freed whatever the outcome, so a run cannot be ended twice:
 * - a logging failure that the final flush reports comes back as the error, the run ended anyway;
 * - an unknown `status` gives MLFLOWCPP_ERROR_INVALID_ARGUMENT and the run ends FAILED;
 * - when the server refuses or cannot be reached, freeing the handle makes one last attempt
 *   to end the run FINISHED and reports its failure on stderr. */
MLFLOWCPP_C_EXPORT int mlflowcpp_end_run(mlflowcpp_run* run, const char* status, mlflowcpp_error* error);

/* Logging. `timestamp_ms` 0 means now. */
MLFLOWCPP_C_EXPORT int mlflowcpp_log_metric(mlflowcpp_client* client, const char* run_id, const char* key, double value,
                                            int64_t timestamp_ms, int64_t step, mlflowcpp_error* error);
/* `count` metrics sharing one timestamp and step, in as few requests as the server allows. */
MLFLOWCPP_C_EXPORT int mlflowcpp_log_metrics(mlflowcpp_client* client, const char* run_id, size_t count,
                                             const char* const* keys, const double* values, int64_t timestamp_ms,
                                             int64_t step, mlflowcpp_error* error);
/* MLflow 3: a metric value measured on the logged model `model_id`, optionally on a
 * dataset (`dataset_name`, `dataset_digest` may be NULL). Servers before MLflow 3 store
 * it as a plain run metric. */
MLFLOWCPP_C_EXPORT int mlflowcpp_log_model_metric(mlflowcpp_client* client, const char* run_id, const char* key,
                                                  double value, int64_t timestamp_ms, int64_t step,
                                                  const char* model_id, const char* dataset_name,
                                                  const char* dataset_digest, mlflowcpp_error* error);
MLFLOWCPP_C_EXPORT int mlflowcpp_log_param(mlflowcpp_client* client, const char* run_id, const char* key,
                                           const char* value, mlflowcpp_error* error);
MLFLOWCPP_C_EXPORT int mlflowcpp_set_tag(mlflowcpp_client* client, const char* run_id, const char* key,
                                         const char* value, mlflowcpp_error* error);

/* MLflow 3 logged models (servers before MLflow 3 answer ENDPOINT_NOT_FOUND). A new
 * model in the experiment, pending until finalized; `name` and `source_run_id` may be
 * NULL. Its id ("m-" + 32 hex digits) goes into `model_id`; where its files belong
 * (an artifact URI) into `artifact_uri` unless that is NULL. */
MLFLOWCPP_C_EXPORT int mlflowcpp_create_logged_model(mlflowcpp_client* client, const char* experiment_id,
                                                     const char* name, const char* source_run_id, char* model_id,
                                                     size_t model_id_size, char* artifact_uri,
                                                     size_t artifact_uri_size, mlflowcpp_error* error);
/* `status`: "READY" or "FAILED" (or the protocol's names, LOGGED_MODEL_READY and
 * LOGGED_MODEL_UPLOAD_FAILED); NULL: READY. */
MLFLOWCPP_C_EXPORT int mlflowcpp_finalize_logged_model(mlflowcpp_client* client, const char* model_id,
                                                       const char* status, mlflowcpp_error* error);

/* Artifacts: stores `local_file` as <artifact_path>/<its file name> (`artifact_path` NULL or "": the run's root). */
MLFLOWCPP_C_EXPORT int mlflowcpp_log_artifact(mlflowcpp_client* client, const char* run_id, const char* local_file,
                                              const char* artifact_path, mlflowcpp_error* error);
/* Downloads `artifact_path` ("" for everything) of the run into the directory `local_dir`. */
MLFLOWCPP_C_EXPORT int mlflowcpp_download_artifacts(mlflowcpp_client* client, const char* run_id,
                                                    const char* artifact_path, const char* local_dir,
                                                    mlflowcpp_error* error);

#ifdef __cplusplus
}
#endif

#endif /* MLFLOWCPP_MLFLOWCPP_C_H */
