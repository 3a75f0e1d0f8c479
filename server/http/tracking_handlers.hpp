#pragma once

// The tracking API over HTTP: one handler per endpoint that reads the request
// (RequestMessage), calls the TrackingService and writes the response envelope
// the official 2.9.2 server sends. Errors become {"error_code", "message"} with
// the code's status; nothing a client sends can produce a 5xx by itself.

#include "server/http/request_message.hpp"
#include "server/http/router.hpp"
#include "server/service/tracking_service.hpp"

#include <functional>
#include <string>

namespace mlflowcpp::server::http {

class TrackingHandlers {
 public:
  // With `artifacts_only` every tracking route answers 503, as `mlflow server --artifacts-only`.
  TrackingHandlers(TrackingService& service, bool artifacts_only);

  // Registers each endpoint under /api/2.0/mlflow/ and {static_prefix}/ajax-api/2.0/mlflow/,
  // and the UI-only endpoints under the ajax prefix alone.
  void register_routes(Router& router, const std::string& static_prefix);

 private:
  // Most endpoints answer a JSON DOM; metric series answer pre-serialised text.
  template <typename Body>
  using Endpoint = Body (TrackingHandlers::*)(const httplib::Request&, const RequestMessage&);
  template <typename Body>
  Router::Handler wrap(Endpoint<Body> endpoint);

  protocol::Json create_experiment(const httplib::Request&, const RequestMessage& message);
  protocol::Json get_experiment(const httplib::Request&, const RequestMessage& message);
  protocol::Json get_experiment_by_name(const httplib::Request&, const RequestMessage& message);
  protocol::Json search_experiments(const httplib::Request&, const RequestMessage& message);
  protocol::Json update_experiment(const httplib::Request&, const RequestMessage& message);
  protocol::Json delete_experiment(const httplib::Request&, const RequestMessage& message);
  protocol::Json restore_experiment(const httplib::Request&, const RequestMessage& message);
  protocol::Json set_experiment_tag(const httplib::Request&, const RequestMessage& message);
  protocol::Json delete_experiment_tag(const httplib::Request&, const RequestMessage& message);

  protocol::Json create_run(const httplib::Request&, const RequestMessage& message);
  protocol::Json get_run(const httplib::Request&, const RequestMessage& message);
  protocol::Json update_run(const httplib::Request&, const RequestMessage& message);
  protocol::Json delete_run(const httplib::Request&, const RequestMessage& message);
  protocol::Json restore_run(const httplib::Request&, const RequestMessage& message);
  protocol::Json search_runs(const httplib::Request&, const RequestMessage& message);

  protocol::Json log_metric(const httplib::Request&, const RequestMessage& message);
  protocol::Json log_param(const httplib::Request&, const RequestMessage& message);
  protocol::Json set_tag(const httplib::Request&, const RequestMessage& message);
  protocol::Json delete_tag(const httplib::Request&, const RequestMessage& message);
  protocol::Json log_batch(const httplib::Request& request, const RequestMessage& message);
  protocol::Json log_inputs(const httplib::Request&, const RequestMessage& message);
  protocol::Json log_model(const httplib::Request&, const RequestMessage& message);

  protocol::JsonText get_metric_history(const httplib::Request&, const RequestMessage& message);
  protocol::JsonText get_metric_history_bulk(const httplib::Request&, const RequestMessage& message);
  protocol::JsonText get_metric_history_bulk_interval(const httplib::Request&, const RequestMessage& message);
  protocol::Json search_datasets(const httplib::Request&, const RequestMessage& message);
  protocol::Json list_artifacts(const httplib::Request&, const RequestMessage& message);

  TrackingService& service_;
  bool artifacts_only_;
};

}  // namespace mlflowcpp::server::http
