#pragma once

// The JSON form of MLflow 3's logged models, exactly as the official MLflow
// server sends it: `model_type` and `source_run_id` present whenever the
// database holds a value (even ""), `status_message` never sent, `tags`,
// `params` and `metrics` left out when empty, a metric's dataset fields only
// when it has a dataset. Internal to the library, the server and the tests;
// never installed.

#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/logged_model.hpp>

#include "protocol/json_codec.hpp"

namespace mlflowcpp::protocol {

Json to_json(const LoggedModelTag& tag);
Json to_json(const LoggedModelParameter& param);
Json to_json(const LoggedModelMetric& metric);
Json to_json(const LoggedModelInfo& info);
Json to_json(const LoggedModelData& data);
Json to_json(const LoggedModel& model);

// Response bodies: {"model": {...}} (create, get, finalize) and
// {"models": [...], "next_page_token": "..."} (search; both keys left out when empty).
Json logged_model_response(const LoggedModel& model);
Json logged_models_page_response(const Page<LoggedModel>& page);

// The reverse direction, for the client reading responses. Unknown fields are
// ignored; a missing field takes its default. Throws MlflowException
// (INTERNAL_ERROR) when a field has the wrong JSON type or the status is not
// one of LoggedModelStatus.
LoggedModelTag logged_model_tag_from_json(const Json& json);
LoggedModelParameter logged_model_parameter_from_json(const Json& json);
LoggedModelMetric logged_model_metric_from_json(const Json& json);
LoggedModelInfo logged_model_info_from_json(const Json& json);
LoggedModelData logged_model_data_from_json(const Json& json);
LoggedModel logged_model_from_json(const Json& json);
Page<LoggedModel> logged_models_page_from_json(const Json& json);

}  // namespace mlflowcpp::protocol
