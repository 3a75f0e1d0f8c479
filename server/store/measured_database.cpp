#include "server/store/measured_database.hpp"

#include <chrono>
#include <utility>

namespace mlflowcpp::server::store {
namespace {

// Reports the time from construction to destruction, so a job that throws is measured too.
class CallTimer {
 public:
  CallTimer(StoreMetrics& metrics, DatabaseCall call)
      : metrics_(metrics), call_(call), start_(std::chrono::steady_clock::now()) {}
  CallTimer(const CallTimer&) = delete;
  CallTimer& operator=(const CallTimer&) = delete;
  ~CallTimer() { metrics_.database_call(call_, std::chrono::steady_clock::now() - start_); }

 private:
  StoreMetrics& metrics_;
  DatabaseCall call_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

MeasuredDatabase::MeasuredDatabase(std::shared_ptr<sql::Database> database, std::shared_ptr<StoreMetrics> metrics)
    : database_(std::move(database)), metrics_(std::move(metrics)) {}

void MeasuredDatabase::write(const Job& job) {
  CallTimer timer(*metrics_, DatabaseCall::kWrite);
  database_->write(job);
}

void MeasuredDatabase::read(const Job& job) {
  CallTimer timer(*metrics_, DatabaseCall::kRead);
  database_->read(job);
}

}  // namespace mlflowcpp::server::store
