// SqlTrackingStore: runs, and logging metrics, params, tags and inputs.

#include "server/store/random_ids.hpp"
#include "server/store/sql_dialect.hpp"
#include "server/store/sql_entity_reader.hpp"
#include "server/store/sql_run_model_links.hpp"
#include "server/store/sql_store_checks.hpp"
#include "server/store/sql_tracking_store.hpp"
#include "server/store/sql_transactions.hpp"
#include "server/store/sql_values.hpp"

#include <mlflowcpp/errors.hpp>

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace mlflowcpp::server::store {

namespace {

constexpr const char* kRunNameTag = "mlflow.runName";

// Tags are last-writer-wins.
void write_run_tag_row(sql::Connection& connection, const std::string& run_id, const RunTag& tag) {
  auto upsert = connection.statement(sql_dialect::upsert(
      connection.dialect(), "tags (key, value, run_uuid) VALUES (?, ?, ?)", {"key", "run_uuid"}, {"value"}));
  upsert->bind(1, tag.key);
  upsert->bind(2, tag.value);
  upsert->bind(3, run_id);
  upsert->execute();
}

// A tag set on a run: the run's name follows tag mlflow.runName.
void upsert_run_tag(sql::Connection& connection, const std::string& run_id, const RunTag& tag) {
  write_run_tag_row(connection, run_id, tag);
  if (tag.key == kRunNameTag) {
    auto rename = connection.statement("UPDATE runs SET name = ? WHERE run_uuid = ?");
    rename->bind(1, tag.value);
    rename->bind(2, run_id);
    rename->execute();
  }
}

// Params are write-once: the same value again is a no-op, another value an error.
void insert_params(sql::Connection& connection, const std::string& run_id, const std::vector<Param>& params) {
  std::unordered_set<std::string> keys;
  std::vector<std::string> duplicates;
  for (const auto& param : params) {
    if (!keys.insert(param.key).second) duplicates.push_back(param.key);
  }
  if (!duplicates.empty()) {
    std::string list;
    for (const auto& key : duplicates) list += (list.empty() ? "" : ", ") + key;
    throw MlflowException(ErrorCode::kInvalidParameterValue,
                          "Duplicate parameter keys have been submitted: [" + list + "]. Please ensure the request "
                          "contains only one param value per param key.");
  }
  std::vector<const Param*> in_write_order;
  in_write_order.reserve(params.size());
  for (const auto& param : params) in_write_order.push_back(&param);
  if (sql_dialect::writes_batches_in_key_order(connection.dialect())) {
    std::sort(in_write_order.begin(), in_write_order.end(),
              [](const Param* a, const Param* b) { return a->key < b->key; });
  }
  // MySQL's key column compares without case (utf8mb4_general_ci), MLflow's
  // check of the logged params does not: "K" is a new param there, whose
  // INSERT then collides with "k" (below).
  const bool mysql = connection.dialect() == sql::Dialect::kMysql;
  for (const Param* each : in_write_order) {
    const Param& param = *each;
    {
      auto existing = connection.statement(mysql ? "SELECT value FROM params WHERE run_uuid = ? AND BINARY key = ?"
                                                 : "SELECT value FROM params WHERE run_uuid = ? AND key = ?");
      existing->bind(1, run_id);
      existing->bind(2, param.key);
      if (existing->step()) {
        const std::string old_value = existing->column(0).as_string();
        if (old_value == param.value) continue;
        throw MlflowException(ErrorCode::kInvalidParameterValue,
                              "Changing param values is not allowed. Param with key='" + param.key +
                                  "' was already logged with value='" + old_value + "' for run ID='" + run_id +
                                  "'. Attempted logging new value '" + param.value + "'.");
      }
    }
    auto insert = connection.statement("INSERT INTO params (key, value, run_uuid) VALUES (?, ?, ?)");
    insert->bind(1, param.key);
    insert->bind(2, param.value);
    insert->bind(3, run_id);
    try {
      insert->execute();
    } catch (const sql::DatabaseError& error) {
      if (!mysql || error.kind() != sql::DatabaseError::Kind::kUniqueViolation) throw;
      // The same key, logged meanwhile by another writer: the caller runs the
      // job again and finds it. A key differing only in case from a logged one:
      // MLflow's server answers the IntegrityError with BAD_REQUEST (400).
      auto same = connection.statement("SELECT 1 FROM params WHERE run_uuid = ? AND BINARY key = ?");
      same->bind(1, run_id);
      same->bind(2, param.key);
      if (same->step()) throw;
      throw MlflowException(ErrorCode::kBadRequest,
                            "Param with key='" + param.key + "' collides with a param of run ID='" + run_id +
                                "' whose key differs only in letter case (the database compares keys without case)");
    }
  }
}

constexpr size_t kRowsPerInsert = 50;

std::string metrics_insert_sql(sql::Dialect dialect, size_t rows) {
  // A point logged twice is no error (the primary key covers every column).
  std::string into_and_values = "metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ";
  const std::string row_values = std::string("(?, ?, ?, ?, ?, ") + sql_dialect::kBooleanParameter + ")";
  for (size_t row = 0; row < rows; ++row) into_and_values += (row == 0 ? "" : ", ") + row_values;
  return sql_dialect::insert_ignoring_duplicates(dialect, into_and_values);
}

// The metric INSERT of `rows` rows (1 or kRowsPerInsert), built once per dialect.
const std::string& metrics_insert(sql::Dialect dialect, size_t rows) {
  static const std::string kSqlite[2] = {metrics_insert_sql(sql::Dialect::kSqlite, 1),
                                         metrics_insert_sql(sql::Dialect::kSqlite, kRowsPerInsert)};
  static const std::string kPostgres[2] = {metrics_insert_sql(sql::Dialect::kPostgres, 1),
                                           metrics_insert_sql(sql::Dialect::kPostgres, kRowsPerInsert)};
  static const std::string kMysql[2] = {metrics_insert_sql(sql::Dialect::kMysql, 1),
                                        metrics_insert_sql(sql::Dialect::kMysql, kRowsPerInsert)};
  const std::string* forms = dialect == sql::Dialect::kPostgres ? kPostgres
                             : dialect == sql::Dialect::kMysql  ? kMysql
                                                                : kSqlite;
  return forms[rows == kRowsPerInsert ? 1 : 0];
}

// The greatest point of one key of a run, for latest_metrics.
struct LatestMetric {
  const Metric* metric;
  StoredMetricValue stored;
};

// MySQL's ON DUPLICATE KEY UPDATE has no WHERE, and its assignments see the
// columns assigned before them, so the conditional upsert is two statements:
// create the row if it is missing, then replace it by a greater point. The
// UPDATE tests its condition on the row it has locked, so concurrent writers
// still leave the greatest point any of them logged.
void upsert_latest_metrics_mysql(sql::Connection& connection, const std::string& run_id,
                                 const std::vector<LatestMetric>& latest) {
  auto insert = connection.statement(sql_dialect::insert_ignoring_duplicates(
      sql::Dialect::kMysql,
      std::string("latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ") +
          sql_dialect::kBooleanParameter + ", ?)"));
  auto update =
      connection.statement(std::string("UPDATE latest_metrics SET value = ?, timestamp = ?, step = ?, is_nan = ") +
                           sql_dialect::kBooleanParameter +
                           " WHERE key = ? AND run_uuid = ? AND (?, ?, ?) > (step, COALESCE(timestamp, 0), value)");
  for (const LatestMetric& entry : latest) {
    insert->bind(1, entry.metric->key);
    insert->bind(2, entry.stored.value);
    insert->bind(3, static_cast<int64_t>(entry.metric->timestamp));
    insert->bind(4, static_cast<int64_t>(entry.metric->step));
    insert->bind(5, entry.stored.is_nan);
    insert->bind(6, run_id);
    insert->execute();
    insert->reset();
    update->bind(1, entry.stored.value);
    update->bind(2, static_cast<int64_t>(entry.metric->timestamp));
    update->bind(3, static_cast<int64_t>(entry.metric->step));
    update->bind(4, entry.stored.is_nan);
    update->bind(5, entry.metric->key);
    update->bind(6, run_id);
    update->bind(7, static_cast<int64_t>(entry.metric->step));
    update->bind(8, static_cast<int64_t>(entry.metric->timestamp));
    update->bind(9, entry.stored.value);
    update->execute();
    update->reset();
  }
}

// Metric points are appended (an identical point is ignored: the metrics
// primary key covers every column); latest_metrics keeps, per key, the point
// with the greatest (step, timestamp, stored value).
void insert_metrics(sql::Connection& connection, const std::string& run_id, const std::vector<Metric>& metrics) {
  if (metrics.empty()) return;
  using Latest = LatestMetric;
  // The best point of each key so far, found by a view of the key into `metrics`.
  std::unordered_map<std::string_view, size_t> latest_index;
  std::vector<Latest> latest;  // first-seen key order: latest_metrics rows are created in it
  // Points go in as multi-row INSERTs: one statement execution per
  // kRowsPerInsert points costs far less than one per point.
  const sql::Dialect dialect = connection.dialect();
  size_t next = 0;
  while (next < metrics.size()) {
    const size_t rows = metrics.size() - next >= kRowsPerInsert ? kRowsPerInsert : 1;
    auto insert = connection.statement(metrics_insert(dialect, rows));
    for (size_t row = 0; row < rows; ++row) {
      const Metric& metric = metrics[next + row];
      const StoredMetricValue stored = store_metric_value(metric.value);
      const int column = static_cast<int>(row) * 6;
      insert->bind(column + 1, metric.key);
      insert->bind(column + 2, stored.value);
      insert->bind(column + 3, static_cast<int64_t>(metric.timestamp));
      insert->bind(column + 4, run_id);
      insert->bind(column + 5, static_cast<int64_t>(metric.step));
      insert->bind(column + 6, stored.is_nan);

      auto [position, inserted] = latest_index.emplace(std::string_view(metric.key), latest.size());
      if (inserted) {
        latest.push_back({&metric, stored});
        continue;
      }
      Latest& current = latest[position->second];
      if (std::make_tuple(metric.step, metric.timestamp, stored.value) >
          std::make_tuple(current.metric->step, current.metric->timestamp, current.stored.value)) {
        current = {&metric, stored};
      }
    }
    insert->execute();
    next += rows;
  }
  // One atomic statement per key, with no read before it: with several
  // writers at once (PostgreSQL), the row ends as the greatest point any of
  // them logged, whatever order their transactions commit in.
  static const std::string kUpsertLatest =
      std::string("INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ") +
      sql_dialect::kBooleanParameter +
      ", ?) "
      "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
      "step = excluded.step, is_nan = excluded.is_nan "
      "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
      "(latest_metrics.step, COALESCE(latest_metrics.timestamp, 0), latest_metrics.value)";
  if (dialect == sql::Dialect::kMysql) {
    upsert_latest_metrics_mysql(connection, run_id, latest);
    return;
  }
  auto upsert = connection.statement(kUpsertLatest);
  for (const Latest& entry : latest) {
    upsert->bind(1, entry.metric->key);
    upsert->bind(2, entry.stored.value);
    upsert->bind(3, static_cast<int64_t>(entry.metric->timestamp));
    upsert->bind(4, static_cast<int64_t>(entry.metric->step));
    upsert->bind(5, entry.stored.is_nan);
    upsert->bind(6, run_id);
    upsert->execute();
  }
}

std::string run_name_from_tags(const std::vector<RunTag>& tags) {
  for (const auto& tag : tags) {
    if (tag.key == kRunNameTag) return tag.value;
  }
  return {};
}

}  // namespace

Run SqlTrackingStore::create_run(const CreateRunRequest& request) {
  Run run;
  // Drawn before the transaction, which may run more than once.
  const std::string run_id = ids_->uuid4_hex();
  const std::string generated_name = ids_->run_name();
  write_transaction(*database_, [&](sql::Connection& connection) {
    Experiment experiment = require_experiment(connection, request.experiment_id);
    if (experiment.lifecycle_stage != LifecycleStage::kActive) {
      // INVALID_PARAMETER_VALUE (400), as MLflow's SQL store answers.
      throw MlflowException(ErrorCode::kInvalidParameterValue,
                            "The experiment " + experiment.experiment_id +
                                " must be in the 'active' state. Current state is deleted.");
    }
    std::vector<RunTag> tags = request.tags;
    const std::string name_tag = run_name_from_tags(tags);
    if (!request.run_name.empty() && !name_tag.empty() && request.run_name != name_tag) {
      throw MlflowException(ErrorCode::kInvalidParameterValue,
                            "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different "
                            "values (run_name='" + request.run_name + "', mlflow.runName='" + name_tag + "').");
    }
    std::string run_name = !request.run_name.empty() ? request.run_name : !name_tag.empty() ? name_tag : generated_name;
    if (name_tag.empty()) tags.push_back({kRunNameTag, run_name});

    {
      auto insert = connection.statement(
          "INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, "
          "start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time) "
          "VALUES (?, ?, 'UNKNOWN', '', '', ?, 'RUNNING', ?, NULL, '', 'active', ?, ?, NULL)");
      insert->bind(1, run_id);
      insert->bind(2, run_name);
      insert->bind(3, request.user_id);
      insert->bind(4, static_cast<int64_t>(request.start_time));
      insert->bind(5, append_to_uri_path(append_to_uri_path(experiment.artifact_location, run_id), "artifacts"));
      insert->bind(6, static_cast<int64_t>(std::stoll(experiment.experiment_id)));
      insert->execute();
    }
    // Only the run's own name tag may rename it, and it already agrees.
    for (const auto& tag : tags) write_run_tag_row(connection, run_id, tag);
    auto runs = load_runs(connection, {run_id});
    run = std::move(runs.at(0));
  });
  return run;
}

RunInfo SqlTrackingStore::update_run(const UpdateRunRequest& request) {
  RunInfo info;
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, request.run_id);
    if (request.status) {
      auto update = connection.statement("UPDATE runs SET status = ? WHERE run_uuid = ?");
      update->bind(1, run_status_column(*request.status));
      update->bind(2, request.run_id);
      update->execute();
    }
    if (request.end_time) {
      auto update = connection.statement("UPDATE runs SET end_time = ? WHERE run_uuid = ?");
      update->bind(1, static_cast<int64_t>(*request.end_time));
      update->bind(2, request.run_id);
      update->execute();
    }
    if (request.run_name && !request.run_name->empty()) {
      upsert_run_tag(connection, request.run_id, {kRunNameTag, *request.run_name});
    }
    info = require_run(connection, request.run_id);
  });
  return info;
}

Run SqlTrackingStore::get_run(const std::string& run_id) {
  std::vector<Run> runs;
  const RunModelLinks model_links{has_mlflow3_tables(), has_mlflow3_tables()};
  read_transaction(*database_,
                   [&](sql::Connection& connection) { runs = load_runs(connection, {run_id}, model_links); });
  if (runs.empty()) throw run_not_found(run_id);
  return std::move(runs.front());
}

std::string SqlTrackingStore::experiment_id_of_run(const std::string& run_id) {
  std::string experiment_id;
  read_transaction(*database_,
                   [&](sql::Connection& connection) { experiment_id = require_run(connection, run_id).experiment_id; });
  return experiment_id;
}

void SqlTrackingStore::delete_run(const std::string& run_id) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_run(connection, run_id);
    auto update =
        connection.statement("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?");
    update->bind(1, static_cast<int64_t>(now_millis()));
    update->bind(2, run_id);
    update->execute();
  });
}

void SqlTrackingStore::restore_run(const std::string& run_id) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_run(connection, run_id);
    auto update =
        connection.statement("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?");
    update->bind(1, run_id);
    update->execute();
  });
}

void SqlTrackingStore::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                                 const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  // A 2.9 database has no logged models: the metrics' model fields are ignored there.
  const bool record_model_metrics =
      has_mlflow3_tables() &&
      std::any_of(metrics.begin(), metrics.end(), [](const Metric& metric) { return !metric.model_id.empty(); });
  // Re-run when another server inserted one of these params meanwhile: the
  // next run compares against its value.
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, run_id);
    insert_params(connection, run_id, params);
    insert_metrics(connection, run_id, metrics);
    if (record_model_metrics) insert_logged_model_metrics(connection, require_run(connection, run_id), metrics);
    // As params; a stable sort, so the last of one key's values still wins.
    std::vector<const RunTag*> tags_in_write_order;
    tags_in_write_order.reserve(tags.size());
    for (const auto& tag : tags) tags_in_write_order.push_back(&tag);
    if (sql_dialect::writes_batches_in_key_order(connection.dialect())) {
      std::stable_sort(tags_in_write_order.begin(), tags_in_write_order.end(),
                       [](const RunTag* a, const RunTag* b) { return a->key < b->key; });
    }
    for (const RunTag* tag : tags_in_write_order) upsert_run_tag(connection, run_id, *tag);
  });
}

void SqlTrackingStore::set_tag(const std::string& run_id, const RunTag& tag) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, run_id);
    upsert_run_tag(connection, run_id, tag);
  });
}

void SqlTrackingStore::update_tag(const std::string& run_id, const std::string& key, const TagUpdate& next) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, run_id);
    // The run's row is locked before the tag is read: two updates of a tag not yet set would otherwise
    // both read it as absent (PostgreSQL; SQLite's one writer runs them one after the other anyway).
    auto lock = connection.statement("SELECT 1 FROM runs WHERE run_uuid = ?" +
                                     std::string(sql_dialect::row_lock(connection.dialect())));
    lock->bind(1, run_id);
    lock->step();
    std::optional<std::string> current;
    {
      auto read = connection.statement("SELECT value FROM tags WHERE run_uuid = ? AND key = ?");
      read->bind(1, run_id);
      read->bind(2, key);
      if (read->step() && !read->column(0).is_null()) current = read->column(0).as_string();
    }
    upsert_run_tag(connection, run_id, {key, next(current)});
  });
}

void SqlTrackingStore::delete_tag(const std::string& run_id, const std::string& key) {
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, run_id);
    auto remove = connection.statement("DELETE FROM tags WHERE run_uuid = ? AND key = ?");
    remove->bind(1, run_id);
    remove->bind(2, key);
    if (remove->execute() == 0) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist,
                            "No tag with name: " + key + " in run with id " + run_id);
    }
  });
}

void SqlTrackingStore::log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets,
                                  const std::vector<ModelInput>& models) {
  // Ids a new dataset and a new input would get, drawn before the
  // transaction, which may run more than once.
  struct NewIds {
    std::string dataset_uuid;
    std::string input_uuid;
  };
  std::vector<NewIds> new_ids;
  new_ids.reserve(datasets.size());
  for (size_t i = 0; i < datasets.size(); ++i) new_ids.push_back({ids_->uuid4_hex(), ids_->uuid4_hex()});
  const bool record_models = has_mlflow3_tables();
  std::vector<std::string> model_input_uuids;
  if (record_models) {
    for (size_t i = 0; i < models.size(); ++i) model_input_uuids.push_back(ids_->uuid4_hex());
  }
  // Re-run when another server inserted the same dataset or input meanwhile:
  // the next run finds it.
  write_transaction_rechecking(*database_, [&](sql::Connection& connection) {
    RunInfo run = require_run(connection, run_id);
    require_active_run(connection, run_id);
    const int64_t experiment_id = std::stoll(run.experiment_id);
    // A dataset is (name, digest) within an experiment; the first mention in a
    // request wins, as does the first logging of it to a run.
    std::set<std::pair<std::string, std::string>> seen;
    for (size_t index = 0; index < datasets.size(); ++index) {
      const DatasetInput& input = datasets[index];
      const Dataset& dataset = input.dataset;
      if (!seen.insert({dataset.name, dataset.digest}).second) continue;

      std::string dataset_uuid;
      {
        auto find = connection.statement(
            "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?");
        find->bind(1, static_cast<int64_t>(experiment_id));
        find->bind(2, dataset.name);
        find->bind(3, dataset.digest);
        if (find->step()) dataset_uuid = find->column(0).as_string();
      }
      if (dataset_uuid.empty()) {
        dataset_uuid = new_ids[index].dataset_uuid;
        auto insert = connection.statement(
            "INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, "
            "dataset_schema, dataset_profile) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert->bind(1, dataset_uuid);
        insert->bind(2, static_cast<int64_t>(experiment_id));
        insert->bind(3, dataset.name);
        insert->bind(4, dataset.digest);
        insert->bind(5, dataset.source_type);
        insert->bind(6, dataset.source);
        // MLflow stores an absent schema or profile as "" (the proto default).
        insert->bind(7, dataset.schema.value_or(""));
        insert->bind(8, dataset.profile.value_or(""));
        insert->execute();
      }

      {
        auto find = connection.statement(
            "SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND destination_type = 'RUN' "
            "AND destination_id = ?");
        find->bind(1, dataset_uuid);
        find->bind(2, run_id);
        if (find->step()) continue;  // already an input of this run
      }
      const std::string& input_uuid = new_ids[index].input_uuid;
      {
        auto insert = connection.statement(
            "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) "
            "VALUES (?, 'DATASET', ?, 'RUN', ?)");
        insert->bind(1, input_uuid);
        insert->bind(2, dataset_uuid);
        insert->bind(3, run_id);
        insert->execute();
      }
      for (const auto& tag : input.tags) {
        auto insert = connection.statement(sql_dialect::upsert(connection.dialect(),
                                                               "input_tags (input_uuid, name, value) VALUES (?, ?, ?)",
                                                               {"input_uuid", "name"}, {"value"}));
        insert->bind(1, input_uuid);
        insert->bind(2, tag.key);
        insert->bind(3, tag.value);
        insert->execute();
      }
    }
    if (record_models) {
      for (const auto& model : models) require_live_logged_model(connection, model.model_id);
      insert_run_model_inputs(connection, run_id, models, model_input_uuids);
    }
  });
}

void SqlTrackingStore::log_outputs(const std::string& run_id, const std::vector<ModelOutput>& models) {
  if (!has_mlflow3_tables()) {
    throw mlflow3_schema_required("Run outputs");
  }
  std::vector<std::string> input_uuids;  // drawn before the transaction, which may run more than once
  input_uuids.reserve(models.size());
  for (size_t i = 0; i < models.size(); ++i) input_uuids.push_back(ids_->uuid4_hex());
  write_transaction(*database_, [&](sql::Connection& connection) {
    require_active_run(connection, run_id);
    for (const auto& model : models) require_live_logged_model(connection, model.model_id);
    upsert_run_outputs(connection, run_id, models, input_uuids);
  });
}

}  // namespace mlflowcpp::server::store
