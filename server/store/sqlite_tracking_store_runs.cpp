// SqliteTrackingStore: runs, and logging metrics, params, tags and inputs.

#include "server/store/random_ids.hpp"
#include "server/store/sqlite_entity_reader.hpp"
#include "server/store/sqlite_store_checks.hpp"
#include "server/store/sqlite_tracking_store.hpp"
#include "server/store/sqlite_values.hpp"

#include <mlflowcpp/errors.hpp>

#include <string_view>
#include <unordered_map>
#include <set>
#include <tuple>
#include <unordered_set>

namespace mlflowcpp::server::store {

namespace {

constexpr const char* kRunNameTag = "mlflow.runName";

// Tags are last-writer-wins; the run's name follows tag mlflow.runName.
void upsert_run_tag(SqliteConnection& connection, const std::string& run_id, const RunTag& tag) {
  {
    auto upsert = connection.statement(
        "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) "
        "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value");
    upsert->bind(1, tag.key);
    upsert->bind(2, tag.value);
    upsert->bind(3, run_id);
    upsert->exec();
  }
  if (tag.key == kRunNameTag) {
    auto rename = connection.statement("UPDATE runs SET name = ? WHERE run_uuid = ?");
    rename->bind(1, tag.value);
    rename->bind(2, run_id);
    rename->exec();
  }
}

// Params are write-once: the same value again is a no-op, another value an error.
void insert_params(SqliteConnection& connection, const std::string& run_id, const std::vector<Param>& params) {
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
  for (const auto& param : params) {
    {
      auto existing = connection.statement("SELECT value FROM params WHERE run_uuid = ? AND key = ?");
      existing->bind(1, run_id);
      existing->bind(2, param.key);
      if (existing->executeStep()) {
        std::string old_value = existing->getColumn(0).isNull() ? std::string() : existing->getColumn(0).getString();
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
    insert->exec();
  }
}

constexpr size_t kRowsPerInsert = 50;

std::string metrics_insert_sql(size_t rows) {
  std::string sql = "INSERT OR IGNORE INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES ";
  for (size_t row = 0; row < rows; ++row) sql += row == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)";
  return sql;
}

// Metric points are appended (an identical point is ignored: the metrics
// primary key covers every column); latest_metrics keeps, per key, the point
// with the greatest (step, timestamp, stored value).
void insert_metrics(SqliteConnection& connection, const std::string& run_id, const std::vector<Metric>& metrics) {
  if (metrics.empty()) return;
  struct Latest {
    const Metric* metric;
    StoredMetricValue stored;
  };
  // The best point of each key so far, found by a view of the key into `metrics`.
  std::unordered_map<std::string_view, size_t> latest_index;
  std::vector<Latest> latest;  // first-seen key order: latest_metrics rows are created in it
  // Points go in as multi-row INSERTs: one statement execution per
  // kRowsPerInsert points costs far less than one per point.
  static const std::string kInsertMany = metrics_insert_sql(kRowsPerInsert);
  static const std::string kInsertOne = metrics_insert_sql(1);
  size_t next = 0;
  while (next < metrics.size()) {
    const size_t rows = metrics.size() - next >= kRowsPerInsert ? kRowsPerInsert : 1;
    auto insert = connection.statement(rows == kRowsPerInsert ? kInsertMany : kInsertOne);
    for (size_t row = 0; row < rows; ++row) {
      const Metric& metric = metrics[next + row];
      const StoredMetricValue stored = store_metric_value(metric.value);
      const int column = static_cast<int>(row) * 6;
      insert->bindNoCopy(column + 1, metric.key);
      insert->bind(column + 2, stored.value);
      insert->bind(column + 3, static_cast<int64_t>(metric.timestamp));
      insert->bindNoCopy(column + 4, run_id);
      insert->bind(column + 5, static_cast<int64_t>(metric.step));
      insert->bind(column + 6, stored.is_nan ? 1 : 0);

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
    insert->exec();
    next += rows;
  }
  auto upsert = connection.statement(
      "INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid) VALUES (?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, "
      "step = excluded.step, is_nan = excluded.is_nan "
      "WHERE (excluded.step, excluded.timestamp, excluded.value) > "
      "(latest_metrics.step, COALESCE(latest_metrics.timestamp, 0), latest_metrics.value)");
  upsert->bindNoCopy(6, run_id);
  for (const Latest& entry : latest) {
    upsert->bindNoCopy(1, entry.metric->key);
    upsert->bind(2, entry.stored.value);
    upsert->bind(3, static_cast<int64_t>(entry.metric->timestamp));
    upsert->bind(4, static_cast<int64_t>(entry.metric->step));
    upsert->bind(5, entry.stored.is_nan ? 1 : 0);
    upsert->exec();
    upsert->tryReset();
  }
}

std::string run_name_from_tags(const std::vector<RunTag>& tags) {
  for (const auto& tag : tags) {
    if (tag.key == kRunNameTag) return tag.value;
  }
  return {};
}

}  // namespace

Run SqliteTrackingStore::create_run(const CreateRunRequest& request) {
  Run run;
  write([&](SqliteConnection& connection) {
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
    std::string run_name = !request.run_name.empty() ? request.run_name : !name_tag.empty() ? name_tag : ids_->run_name();
    if (name_tag.empty()) tags.push_back({kRunNameTag, run_name});

    const std::string run_id = ids_->uuid4_hex();
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
      insert->exec();
    }
    for (const auto& tag : tags) {
      // Only the run's own name tag may rename it, and it already agrees.
      auto upsert = connection.statement(
          "INSERT INTO tags (key, value, run_uuid) VALUES (?, ?, ?) "
          "ON CONFLICT (key, run_uuid) DO UPDATE SET value = excluded.value");
      upsert->bind(1, tag.key);
      upsert->bind(2, tag.value);
      upsert->bind(3, run_id);
      upsert->exec();
    }
    auto runs = load_runs(connection, {run_id});
    run = std::move(runs.at(0));
  });
  return run;
}

RunInfo SqliteTrackingStore::update_run(const UpdateRunRequest& request) {
  RunInfo info;
  write([&](SqliteConnection& connection) {
    require_active_run(connection, request.run_id);
    if (request.status) {
      auto update = connection.statement("UPDATE runs SET status = ? WHERE run_uuid = ?");
      update->bind(1, run_status_column(*request.status));
      update->bind(2, request.run_id);
      update->exec();
    }
    if (request.end_time) {
      auto update = connection.statement("UPDATE runs SET end_time = ? WHERE run_uuid = ?");
      update->bind(1, static_cast<int64_t>(*request.end_time));
      update->bind(2, request.run_id);
      update->exec();
    }
    if (request.run_name && !request.run_name->empty()) {
      upsert_run_tag(connection, request.run_id, {kRunNameTag, *request.run_name});
    }
    info = require_run(connection, request.run_id);
  });
  return info;
}

Run SqliteTrackingStore::get_run(const std::string& run_id) {
  std::vector<Run> runs;
  read([&](SqliteConnection& connection) { runs = load_runs(connection, {run_id}); });
  if (runs.empty()) throw run_not_found(run_id);
  return std::move(runs.front());
}

void SqliteTrackingStore::delete_run(const std::string& run_id) {
  write([&](SqliteConnection& connection) {
    require_run(connection, run_id);
    auto update =
        connection.statement("UPDATE runs SET lifecycle_stage = 'deleted', deleted_time = ? WHERE run_uuid = ?");
    update->bind(1, static_cast<int64_t>(now_millis()));
    update->bind(2, run_id);
    update->exec();
  });
}

void SqliteTrackingStore::restore_run(const std::string& run_id) {
  write([&](SqliteConnection& connection) {
    require_run(connection, run_id);
    auto update =
        connection.statement("UPDATE runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = ?");
    update->bind(1, run_id);
    update->exec();
  });
}

void SqliteTrackingStore::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                                    const std::vector<Param>& params, const std::vector<RunTag>& tags) {
  write([&](SqliteConnection& connection) {
    require_active_run(connection, run_id);
    insert_params(connection, run_id, params);
    insert_metrics(connection, run_id, metrics);
    for (const auto& tag : tags) upsert_run_tag(connection, run_id, tag);
  });
}

void SqliteTrackingStore::set_tag(const std::string& run_id, const RunTag& tag) {
  write([&](SqliteConnection& connection) {
    require_active_run(connection, run_id);
    upsert_run_tag(connection, run_id, tag);
  });
}

void SqliteTrackingStore::delete_tag(const std::string& run_id, const std::string& key) {
  write([&](SqliteConnection& connection) {
    require_active_run(connection, run_id);
    auto remove = connection.statement("DELETE FROM tags WHERE run_uuid = ? AND key = ?");
    remove->bind(1, run_id);
    remove->bind(2, key);
    if (remove->exec() == 0) {
      throw MlflowException(ErrorCode::kResourceDoesNotExist,
                            "No tag with name: " + key + " in run with id " + run_id);
    }
  });
}

void SqliteTrackingStore::log_inputs(const std::string& run_id, const std::vector<DatasetInput>& datasets) {
  write([&](SqliteConnection& connection) {
    RunInfo run = require_run(connection, run_id);
    require_active_run(connection, run_id);
    const int64_t experiment_id = std::stoll(run.experiment_id);
    // A dataset is (name, digest) within an experiment; the first mention in a
    // request wins, as does the first logging of it to a run.
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& input : datasets) {
      const Dataset& dataset = input.dataset;
      if (!seen.insert({dataset.name, dataset.digest}).second) continue;

      std::string dataset_uuid;
      {
        auto find = connection.statement(
            "SELECT dataset_uuid FROM datasets WHERE experiment_id = ? AND name = ? AND digest = ?");
        find->bind(1, static_cast<int64_t>(experiment_id));
        find->bind(2, dataset.name);
        find->bind(3, dataset.digest);
        if (find->executeStep()) dataset_uuid = find->getColumn(0).getString();
      }
      if (dataset_uuid.empty()) {
        dataset_uuid = ids_->uuid4_hex();
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
        insert->exec();
      }

      {
        auto find = connection.statement(
            "SELECT 1 FROM inputs WHERE source_type = 'DATASET' AND source_id = ? AND destination_type = 'RUN' "
            "AND destination_id = ?");
        find->bind(1, dataset_uuid);
        find->bind(2, run_id);
        if (find->executeStep()) continue;  // already an input of this run
      }
      const std::string input_uuid = ids_->uuid4_hex();
      {
        auto insert = connection.statement(
            "INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id) "
            "VALUES (?, 'DATASET', ?, 'RUN', ?)");
        insert->bind(1, input_uuid);
        insert->bind(2, dataset_uuid);
        insert->bind(3, run_id);
        insert->exec();
      }
      for (const auto& tag : input.tags) {
        auto insert = connection.statement(
            "INSERT INTO input_tags (input_uuid, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (input_uuid, name) DO UPDATE SET value = excluded.value");
        insert->bind(1, input_uuid);
        insert->bind(2, tag.key);
        insert->bind(3, tag.value);
        insert->exec();
      }
    }
  });
}

}  // namespace mlflowcpp::server::store
