#pragma once

// The logged-model service: MLflow 3's rules for the logged-model calls
// (required values, name rules, key and value limits, the statuses a model
// may be finalized with, paging bounds) in front of the store. It knows
// nothing of HTTP; the handlers turn requests into these calls and results
// into JSON (protocol/logged_model_json.hpp). Every rule violation throws
// MlflowException (INVALID_PARAMETER_VALUE); the store adds what needs the
// database (RESOURCE_DOES_NOT_EXIST, an inactive experiment, changed params).

#include "server/store/logged_model_store.hpp"

#include <mlflowcpp/logged_model.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlflowcpp::server {

class LoggedModelService {
 public:
  // Column sizes of MLflow 3's schema and MLflow 3's value limits: an
  // over-long value is a 400, never a database error.
  static constexpr std::size_t kMaxNameLength = 500;          // logged_models.name
  static constexpr std::size_t kMaxModelTypeLength = 500;     // logged_models.model_type
  static constexpr std::size_t kMaxSourceRunIdLength = 32;    // logged_models.source_run_id
  static constexpr std::size_t kMaxKeyLength = 255;           // param_key, tag_key
  static constexpr std::size_t kMaxParamValueLength = 6000;   // MLflow's MAX_PARAM_VAL_LENGTH
  static constexpr std::size_t kMaxTagValueLength = 8000;     // MLflow 3's MAX_TAG_VAL_LENGTH
  static constexpr std::size_t kMaxDatasetNameLength = 500;   // logged_model_metrics.dataset_name
  static constexpr std::size_t kMaxDatasetDigestLength = 36;  // logged_model_metrics.dataset_digest

  explicit LoggedModelService(LoggedModelStore& store);

  // A model without a name gets a generated one ("adjective-noun-NNN").
  LoggedModel create_logged_model(const CreateLoggedModelRequest& request);
  LoggedModel get_logged_model(const std::string& model_id);
  void delete_logged_model(const std::string& model_id);
  // `status` as the request carries it (a proto name or number); only READY
  // and UPLOAD_FAILED end a model's upload.
  LoggedModel finalize_logged_model(const std::string& model_id, const std::string& status);
  void set_logged_model_tags(const std::string& model_id, const std::vector<LoggedModelTag>& tags);
  void delete_logged_model_tag(const std::string& model_id, const std::string& key);
  void log_logged_model_params(const std::string& model_id, const std::vector<LoggedModelParameter>& params);
  // max_results within search::page_size_limits(kLoggedModels); 0 asks for the store's default page.
  Page<LoggedModel> search_logged_models(SearchLoggedModelsRequest request);

 private:
  LoggedModelStore& store_;
};

}  // namespace mlflowcpp::server
