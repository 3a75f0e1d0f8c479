#pragma once

// The tracking API over HTTP: one handler per endpoint that reads the request
// (RequestMessage), calls the TrackingService and writes the response envelope
// the official 2.9.2 server sends. Errors become {"error_code", "message"} with
// the code's status; nothing a client sends can produce a 5xx by itself.

#include "server/http/request.hpp"
#include "server/http/request_message.hpp"
#include "server/http/route.hpp"
#include "server/http/route_group.hpp"
#include "server/service/tracking_service.hpp"

#include <functional>
#include <string>

namespace mlflowcpp::server::http {

class TrackingHandlers : public RouteGroup {
 public:
  // `service` must outlive the handlers.
  explicit TrackingHandlers(TrackingService& service) : service_(service) {}

  // Registers each endpoint under /api/2.0/mlflow/ and {static_prefix}/ajax-api/2.0/mlflow/,
  // and the UI-only endpoints under the ajax prefix alone.
  void register_routes(Router& router) override;

 private:
  // Most endpoints answer a JSON DOM; metric series and experiment searches answer pre-serialised text.
  template <typename Body>
  using Endpoint = Body (TrackingHandlers::*)(const Request&, const RequestMessage&);
  template <typename Body>
  Handler wrap(Endpoint<Body> endpoint);

  protocol::Json create_experiment(const Request&, const RequestMessage& message);
  protocol::Json get_experiment(const Request&, const RequestMessage& message);
  protocol::Json get_experiment_by_name(const Request&, const RequestMessage& message);
  protocol::JsonText search_experiments(const Request&, const RequestMessage& message);
  protocol::Json update_experiment(const Request&, const RequestMessage& message);
  protocol::Json delete_experiment(const Request&, const RequestMessage& message);
  protocol::Json restore_experiment(const Request&, const RequestMessage& message);
  protocol::Json set_experiment_tag(const Request&, const RequestMessage& message);
  protocol::Json delete_experiment_tag(const Request&, const RequestMessage& message);

  protocol::Json create_run(const Request&, const RequestMessage& message);
  protocol::Json get_run(const Request&, const RequestMessage& message);
  protocol::Json update_run(const Request&, const RequestMessage& message);
  protocol::Json delete_run(const Request&, const RequestMessage& message);
  protocol::Json restore_run(const Request&, const RequestMessage& message);
  protocol::Json search_runs(const Request&, const RequestMessage& message);

  protocol::Json log_metric(const Request&, const RequestMessage& message);
  protocol::Json log_param(const Request&, const RequestMessage& message);
  protocol::Json set_tag(const Request&, const RequestMessage& message);
  protocol::Json delete_tag(const Request&, const RequestMessage& message);
  // Reads its own body: the regular shape straight into entities, the rest through RequestMessage.
  protocol::Json log_batch(const Request& request);
  protocol::Json log_inputs(const Request&, const RequestMessage& message);
  protocol::Json log_outputs(const Request&, const RequestMessage& message);
  protocol::Json log_model(const Request&, const RequestMessage& message);

  protocol::JsonText get_metric_history(const Request&, const RequestMessage& message);
  protocol::JsonText get_metric_history_bulk(const Request&, const RequestMessage& message);
  protocol::JsonText get_metric_history_bulk_interval(const Request&, const RequestMessage& message);
  protocol::Json search_datasets(const Request&, const RequestMessage& message);
  protocol::Json list_artifacts(const Request&, const RequestMessage& message);

  TrackingService& service_;
};

}  // namespace mlflowcpp::server::http
