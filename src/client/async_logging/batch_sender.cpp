#include "client/async_logging/batch_sender.hpp"

#include "client/rest_call.hpp"
#include "protocol/json_lists.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

namespace mlflowcpp::client {
namespace {

// The queue items an entry of a request stands for (more than one when repeated keys were folded) and their room.
struct Held {
  std::size_t items = 0;
  std::size_t bytes = 0;
  Held& operator+=(const Held& other) {
    items += other.items;
    bytes += other.bytes;
    return *this;
  }
};

}  // namespace

// The items of one run in a pass, by kind, each with what it holds of the queue.
struct BatchSender::RunItems {
  std::vector<Metric> metrics;
  std::vector<Param> params;
  std::vector<RunTag> tags;
  std::vector<Held> metric_bytes, param_bytes, tag_bytes;

  void clear() {
    metrics.clear(), params.clear(), tags.clear();
    metric_bytes.clear(), param_bytes.clear(), tag_bytes.clear();
  }
};

namespace {

Metric to_metric(LogItem& item) {
  Metric metric(std::move(item.key), item.value, item.timestamp, item.step);
  if (item.model) {
    metric.model_id = std::move(item.model->model_id);
    metric.dataset_name = std::move(item.model->dataset_name);
    metric.dataset_digest = std::move(item.model->dataset_digest);
  }
  return metric;
}

// A param logged twice with one value is one param; a tag set twice keeps its
// last value (one request may not carry a key twice). The bytes of the items
// folded away join those of the item they were folded into.
template <typename Entry>
void fold_repeated_keys(std::vector<Entry>& entries, std::vector<Held>& bytes, bool keep_last) {
  if (entries.size() < 2) return;
  std::unordered_map<std::string, std::size_t> first_index;
  std::vector<Entry> kept;
  std::vector<Held> kept_bytes;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    auto [found, inserted] = first_index.emplace(entries[i].key, kept.size());
    if (!inserted && (keep_last || kept[found->second].value == entries[i].value)) {
      if (keep_last) kept[found->second].value = std::move(entries[i].value);
      kept_bytes[found->second] += bytes[i];
      continue;
    }
    // A param with a second value goes on as it is: the server reports the conflict.
    kept.push_back(std::move(entries[i]));
    kept_bytes.push_back(bytes[i]);
  }
  entries = std::move(kept);
  bytes = std::move(kept_bytes);
}

Held sum(const std::vector<Held>& held, std::size_t from, std::size_t count) {
  Held total;
  for (std::size_t i = from; i < from + count; ++i) total += held[i];
  return total;
}

}  // namespace

BatchSender::BatchSender(std::shared_ptr<Connection> connection, LogBatchLimits limits)
    : connection_(std::move(connection)), limits_(limits) {}

void BatchSender::send(LogPass& pass, const DoneReport& on_done, const FailureReport& on_failure) {
  // Most passes hold one run; others are split by run, keeping each run's order.
  std::vector<uint32_t> runs;
  for (const LogItem& item : pass.items) {
    if (std::find(runs.begin(), runs.end(), item.run) == runs.end()) runs.push_back(item.run);
  }
  RunItems items;
  for (uint32_t run : runs) {
    items.clear();
    for (LogItem& item : pass.items) {
      if (item.run != run) continue;
      const Held bytes{1, footprint(item)};
      switch (item.kind) {
        case LogItemKind::kMetric:
          items.metrics.push_back(to_metric(item));
          items.metric_bytes.push_back(bytes);
          break;
        case LogItemKind::kParam:
          items.params.push_back({std::move(item.key), std::move(item.text)});
          items.param_bytes.push_back(bytes);
          break;
        case LogItemKind::kTag:
          items.tags.push_back({std::move(item.key), std::move(item.text)});
          items.tag_bytes.push_back(bytes);
          break;
      }
    }
    send_run(pass.run_ids.at(run), items, on_done, on_failure);
  }
  pass.items.clear();
}

void BatchSender::send_run(const std::string& run_id, RunItems& items, const DoneReport& on_done,
                           const FailureReport& on_failure) {
  fold_repeated_keys(items.params, items.param_bytes, false);
  fold_repeated_keys(items.tags, items.tag_bytes, true);
  std::size_t next_metric = 0, next_param = 0, next_tag = 0;
  for (const LogBatchChunk& chunk : plan_log_batch(items.metrics, items.params, items.tags, limits_)) {
    Held others = sum(items.metric_bytes, next_metric, chunk.metrics.size());
    others += sum(items.tag_bytes, next_tag, chunk.tags.size());
    const std::size_t param_first = next_param;
    next_metric += chunk.metrics.size();
    next_param += chunk.params.size();
    next_tag += chunk.tags.size();

    auto report = [&](const std::optional<MlflowException>& error, const Held& held) {
      if (held.items == 0) return;
      if (error) on_failure(run_id, *error, held.items);
      on_done(held.items, held.bytes, !error);
    };
    auto error = post_chunk(run_id, chunk);
    const bool params_only = chunk.metrics.empty() && chunk.tags.empty();
    if (!error || chunk.params.empty() || (chunk.params.size() == 1 && params_only)) {
      Held all = others;
      all += sum(items.param_bytes, param_first, chunk.params.size());
      report(error, all);
      continue;
    }
    // Refused with params in it: find out which items the refusal was about.
    if (!params_only) report(post_chunk(run_id, LogBatchChunk{chunk.metrics, {}, chunk.tags}), others);
    for (std::size_t i = 0; i < chunk.params.size(); ++i) {
      report(post_chunk(run_id, LogBatchChunk{{}, {chunk.params[i]}, {}}), items.param_bytes[param_first + i]);
    }
  }
}

std::optional<MlflowException> BatchSender::post_chunk(const std::string& run_id, const LogBatchChunk& chunk) {
  if (chunk.metrics.empty() && chunk.params.empty() && chunk.tags.empty()) return std::nullopt;
  Json body{{"run_id", run_id}};
  if (!chunk.metrics.empty()) body["metrics"] = protocol::list_to_json(chunk.metrics);
  if (!chunk.params.empty()) body["params"] = protocol::list_to_json(chunk.params);
  if (!chunk.tags.empty()) body["tags"] = protocol::list_to_json(chunk.tags);
  try {
    post(*connection_, "runs/log-batch", body);
    return std::nullopt;
  } catch (const MlflowException& error) {
    return error;
  } catch (const std::exception& error) {
    return MlflowException(ErrorCode::kInternalError, std::string("Asynchronous logging: ") + error.what());
  }
}

}  // namespace mlflowcpp::client
