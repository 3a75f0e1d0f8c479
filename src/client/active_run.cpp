#include <mlflowcpp/fluent.hpp>

#include "client/system_metrics/system_metrics_sampler.hpp"

#include <charconv>
#include <exception>
#include <iostream>
#include <optional>

namespace mlflowcpp {

ActiveRun::ActiveRun(MlflowClient client, RunInfo info, int uncaught_exceptions_at_start)
    : client_(std::move(client)), info_(std::move(info)), uncaught_exceptions_at_start_(uncaught_exceptions_at_start) {}

ActiveRun::~ActiveRun() { end_on_scope_exit(); }

ActiveRun::ActiveRun(ActiveRun&& other) noexcept
    : client_(other.client_),  // a copy: the moved-from run keeps a usable (if idle) client
      info_(std::move(other.info_)),
      uncaught_exceptions_at_start_(other.uncaught_exceptions_at_start_),
      ended_(other.ended_),
      system_metrics_(std::move(other.system_metrics_)) {
  other.ended_ = true;
}

ActiveRun& ActiveRun::operator=(ActiveRun&& other) noexcept {
  if (this != &other) {
    end_on_scope_exit();
    client_ = other.client_;
    info_ = std::move(other.info_);
    uncaught_exceptions_at_start_ = other.uncaught_exceptions_at_start_;
    ended_ = other.ended_;
    system_metrics_ = std::move(other.system_metrics_);
    other.ended_ = true;
  }
  return *this;
}

void ActiveRun::end_on_scope_exit() noexcept {
  if (ended_) return;
  // More exceptions in flight than when the run started: this scope is unwinding.
  RunStatus status =
      std::uncaught_exceptions() > uncaught_exceptions_at_start_ ? RunStatus::kFailed : RunStatus::kFinished;
  try {
    end(status);
  } catch (const std::exception& error) {
    if (ended_) {
      std::cerr << "mlflowcpp: run " << info_.run_id << " ended " << to_string(status) << ", but " << error.what()
                << '\n';
      return;
    }
    ended_ = true;
    std::cerr << "mlflowcpp: could not end run " << info_.run_id << " as " << to_string(status) << ": "
              << error.what() << '\n';
  } catch (...) {
    ended_ = true;
    std::cerr << "mlflowcpp: could not end run " << info_.run_id << '\n';
  }
}

void ActiveRun::end(RunStatus status) {
  if (ended_) return;
  // Before the final status: nothing the sampler logs may arrive after it.
  system_metrics_.reset();
  // What failed in the background must not keep the run open: end it, then report.
  std::optional<MlflowException> logging_failure;
  try {
    client_.flush();
  } catch (const MlflowException& error) {
    logging_failure = error;
  }
  info_ = client_.set_terminated(info_.run_id, status);
  ended_ = true;
  if (logging_failure) throw *logging_failure;
}

void ActiveRun::log_metric(const std::string& key, double value, int64_t step, std::optional<int64_t> timestamp) {
  client_.log_metric(info_.run_id, key, value, MetricOptions{step, timestamp});
}

void ActiveRun::log_metric(const std::string& key, double value, const MetricOptions& options) {
  client_.log_metric(info_.run_id, key, value, options);
}

void ActiveRun::log_metrics(const std::map<std::string, double>& metrics, int64_t step) {
  int64_t timestamp = now_epoch_millis();
  std::vector<Metric> batch;
  batch.reserve(metrics.size());
  for (const auto& [key, value] : metrics) batch.push_back({key, value, timestamp, step});
  client_.log_batch(info_.run_id, batch);
}

void ActiveRun::log_param(const std::string& key, const std::string& value) {
  client_.log_param(info_.run_id, key, value);
}

void ActiveRun::log_params(const std::map<std::string, std::string>& params) {
  std::vector<Param> batch;
  batch.reserve(params.size());
  for (const auto& [key, value] : params) batch.push_back({key, value});
  client_.log_batch(info_.run_id, {}, batch);
}

void ActiveRun::set_tag(const std::string& key, const std::string& value) { client_.set_tag(info_.run_id, key, value); }

void ActiveRun::set_tags(const std::map<std::string, std::string>& tags) {
  std::vector<RunTag> batch;
  batch.reserve(tags.size());
  for (const auto& [key, value] : tags) batch.push_back({key, value});
  client_.log_batch(info_.run_id, {}, {}, batch);
}

void ActiveRun::delete_tag(const std::string& key) { client_.delete_tag(info_.run_id, key); }

void ActiveRun::log_batch(const std::vector<Metric>& metrics, const std::vector<Param>& params,
                          const std::vector<RunTag>& tags) {
  client_.log_batch(info_.run_id, metrics, params, tags);
}

void ActiveRun::log_inputs(const std::vector<DatasetInput>& datasets) { client_.log_inputs(info_.run_id, datasets); }

ActiveRun ActiveRun::start_nested_run(StartRunOptions options) {
  options.parent_run_id = info_.run_id;
  if (!options.experiment_id && !options.experiment_name) options.experiment_id = info_.experiment_id;
  return start_run(client_, std::move(options));
}

// Python's str() of a float: shortest round-trip digits, with ".0" on whole numbers.
std::string ActiveRun::format_param_value(double value) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string text(buffer, result.ptr);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // 'n': inf and nan
  return text;
}

std::string ActiveRun::format_param_value(long long value) { return std::to_string(value); }
std::string ActiveRun::format_param_value(unsigned long long value) { return std::to_string(value); }

}  // namespace mlflowcpp
