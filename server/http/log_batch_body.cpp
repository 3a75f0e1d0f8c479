#include "server/http/log_batch_body.hpp"

#include "protocol/json_codec.hpp"
#include "server/service/validation.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace mlflowcpp::server::http {
namespace {

using protocol::Json;

// The fields this reader knows, at the top and inside the list elements.
enum class Field {
  kNone,
  kRunId,
  kRunUuid,
  kMetrics,
  kParams,
  kTags,
  kKey,
  kValue,
  kTimestamp,
  kStep,
  kModelId,
  kDatasetName,
  kDatasetDigest,
};

enum class Level { kBeforeBody, kBody, kList, kElement, kAfterBody };

// nlohmann's SAX interface. Every callback answers false (stop) on anything
// outside the regular shape; the caller then falls back to the general reader.
class LogBatchReader {
 public:
  explicit LogBatchReader(LogBatchBody& out) : out_(out) {}

  bool null() { return false; }
  bool boolean(bool) { return false; }
  bool binary(Json::binary_t&) { return false; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  bool number_integer(Json::number_integer_t value) { return take_integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) {
    if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return take_integer(static_cast<std::int64_t>(value));
    }
    return take_double(static_cast<double>(value));
  }
  bool number_float(Json::number_float_t value, const std::string&) { return take_double(value); }

  bool string(std::string& text) {
    const Field field = take_pending();
    if (level_ == Level::kBody) {
      if (field == Field::kRunId) return (run_id_ = std::move(text), true);
      if (field == Field::kRunUuid) return (run_uuid_ = std::move(text), true);
      return false;
    }
    if (level_ != Level::kElement) return false;
    if (list_ == Field::kMetrics) {
      Metric& metric = out_.metrics.back();
      switch (field) {
        case Field::kKey:
          metric.key = std::move(text);
          return true;
        case Field::kModelId:
          metric.model_id = std::move(text);
          return true;
        case Field::kDatasetName:
          metric.dataset_name = std::move(text);
          return true;
        case Field::kDatasetDigest:
          metric.dataset_digest = std::move(text);
          return true;
        case Field::kValue: {
          // Protobuf's JSON form writes NaN and the infinities as strings.
          const auto value = protocol::double_from_json(Json(std::move(text)));
          if (!value) return false;
          metric.value = *value;
          return true;
        }
        default:
          return false;
      }
    }
    if (field == Field::kKey) {
      key_of_element() = std::move(text);
    } else if (field == Field::kValue) {
      value_of_element() = std::move(text);
    } else {
      return false;
    }
    return true;
  }

  bool start_object(std::size_t) {
    if (level_ == Level::kBeforeBody) {
      level_ = Level::kBody;
      return true;
    }
    if (level_ != Level::kList) return false;
    level_ = Level::kElement;
    element_fields_ = 0;
    if (list_ == Field::kMetrics) {
      out_.metrics.emplace_back();
    } else if (list_ == Field::kParams) {
      out_.params.emplace_back();
    } else {
      out_.tags.emplace_back();
    }
    return true;
  }

  bool key(std::string& name) {
    if (level_ == Level::kBody) return expect(body_field(name), body_fields_);
    if (level_ == Level::kElement) return expect(element_field(name), element_fields_);
    return false;
  }

  bool end_object() {
    if (level_ == Level::kBody) {
      level_ = Level::kAfterBody;
      return true;
    }
    if (level_ != Level::kElement) return false;
    level_ = Level::kList;
    // The required fields; a key must not be empty (the general reader reports it missing).
    if (list_ == Field::kMetrics) {
      return has(element_fields_, Field::kValue) && has(element_fields_, Field::kTimestamp) &&
             !out_.metrics.back().key.empty();
    }
    return !key_of_element().empty();
  }

  bool start_array(std::size_t) {
    const Field field = take_pending();
    if (level_ != Level::kBody || (field != Field::kMetrics && field != Field::kParams && field != Field::kTags)) {
      return false;
    }
    level_ = Level::kList;
    list_ = field;
    return true;
  }

  bool end_array() {
    if (level_ != Level::kList) return false;
    level_ = Level::kBody;
    list_ = Field::kNone;
    return true;
  }

  // run_id, or its legacy name run_uuid when run_id is absent or empty; "" when neither is given.
  std::string run_id() { return run_id_.empty() ? std::move(run_uuid_) : std::move(run_id_); }
  bool finished() const { return level_ == Level::kAfterBody; }

 private:
  static unsigned bit(Field field) { return 1u << static_cast<unsigned>(field); }
  static bool has(unsigned fields, Field field) { return (fields & bit(field)) != 0; }

  static Field body_field(const std::string& name) {
    if (name == "run_id") return Field::kRunId;
    if (name == "metrics") return Field::kMetrics;
    if (name == "params") return Field::kParams;
    if (name == "tags") return Field::kTags;
    if (name == "run_uuid") return Field::kRunUuid;
    return Field::kNone;
  }

  Field element_field(const std::string& name) const {
    if (name == "key") return Field::kKey;
    if (name == "value") return Field::kValue;
    if (list_ != Field::kMetrics) return Field::kNone;
    if (name == "timestamp") return Field::kTimestamp;
    if (name == "step") return Field::kStep;
    if (name == "model_id") return Field::kModelId;
    if (name == "dataset_name") return Field::kDatasetName;
    if (name == "dataset_digest") return Field::kDatasetDigest;
    return Field::kNone;
  }

  // A known field, once per object: the next value is for it.
  bool expect(Field field, unsigned& seen) {
    if (field == Field::kNone || has(seen, field)) return false;
    seen |= bit(field);
    pending_ = field;
    return true;
  }

  Field take_pending() {
    const Field field = pending_;
    pending_ = Field::kNone;
    return field;
  }

  bool take_integer(std::int64_t value) {
    const Field field = take_pending();
    if (level_ != Level::kElement || list_ != Field::kMetrics) return false;
    Metric& metric = out_.metrics.back();
    switch (field) {
      case Field::kValue:
        metric.value = static_cast<double>(value);
        return true;
      case Field::kTimestamp:
        metric.timestamp = value;
        return true;
      case Field::kStep:
        metric.step = value;
        return true;
      default:
        return false;
    }
  }

  bool take_double(double value) {
    const Field field = take_pending();
    if (level_ != Level::kElement || list_ != Field::kMetrics || field != Field::kValue) return false;
    out_.metrics.back().value = value;
    return true;
  }

  std::string& key_of_element() { return list_ == Field::kParams ? out_.params.back().key : out_.tags.back().key; }
  std::string& value_of_element() {
    return list_ == Field::kParams ? out_.params.back().value : out_.tags.back().value;
  }

  LogBatchBody& out_;
  Level level_ = Level::kBeforeBody;
  Field list_ = Field::kNone;     // the list being read (kMetrics, kParams, kTags)
  Field pending_ = Field::kNone;  // the field whose value comes next
  unsigned body_fields_ = 0;      // fields seen in the body, as bits
  unsigned element_fields_ = 0;   // fields seen in the current element
  std::string run_id_;
  std::string run_uuid_;
};

}  // namespace

std::optional<LogBatchBody> read_log_batch_body(std::string_view body) {
  LogBatchBody parsed;
  // One allocation instead of ten growths for a full batch; a metric takes at least ~40 bytes of JSON.
  parsed.metrics.reserve(std::min(body.size() / 40 + 1, validation::kMaxMetricsPerBatch));
  LogBatchReader reader(parsed);
  const bool complete = Json::sax_parse(body.begin(), body.end(), &reader, nlohmann::json::input_format_t::json,
                                        /*strict=*/true);
  if (!complete || !reader.finished()) return std::nullopt;
  parsed.run_id = reader.run_id();
  if (parsed.run_id.empty()) return std::nullopt;
  return parsed;
}

}  // namespace mlflowcpp::server::http
