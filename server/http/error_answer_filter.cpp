#include "server/http/error_answer_filter.hpp"

#include "server/http/reply.hpp"
#include "server/http/request.hpp"

#include <mlflowcpp/errors.hpp>

#include <exception>
#include <string>

namespace mlflowcpp::server::http {

bool ErrorAnswerFilter::answer_exception(const Request& request, Reply& reply, const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const MlflowException& mlflow_error) {
    reply.error(mlflow_error);
    return true;
  } catch (const std::exception& other) {
    log_failure(request, other.what());
  } catch (...) {
    log_failure(request, "an exception of unknown type");
  }
  reply.error(500, "INTERNAL_ERROR",
              "An internal error occurred (request id " + request.request_id() +
                  "). The server log has the details.");
  return true;
}

void ErrorAnswerFilter::log_failure(const Request& request, std::string_view cause) {
  std::string line = "mlflowcpp server: request ";
  line.append(request.request_id()).append(" ").append(request.method()).append(" ").append(request.path());
  line.append(" failed: ").append(cause).append("\n");
  const std::lock_guard<std::mutex> lock(log_mutex_);
  log_ << line << std::flush;
}

}  // namespace mlflowcpp::server::http
