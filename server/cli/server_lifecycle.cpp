#include "server/cli/server_lifecycle.hpp"

#include <fmt/format.h>

#include <cstdlib>

namespace mlflowcpp::cli {
namespace {

using Clock = std::chrono::steady_clock;

// How often the watching thread looks whether the server has stopped.
constexpr std::chrono::milliseconds kPollInterval{100};
// After the connections are cut their handlers only have to notice; one stuck
// elsewhere (a slow remote artifact store) must not keep the process alive.
constexpr std::chrono::seconds kCutGrace{10};

bool is_stop_signal(int signal_number) { return signal_number == SIGTERM || signal_number == SIGINT; }

std::string plural(std::size_t count, const char* one, const char* many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

}  // namespace

ServerLifecycle::ServerLifecycle(SignalWatcher& signals, server::http::HttpServer& server, const ReloadActions& reloads,
                                 ShutdownTiming timing, std::ostream& log)
    : signals_(signals), server_(server), reloads_(reloads), timing_(timing), log_(log), thread_([this] { watch(); }) {}

void ServerLifecycle::finish() {
  finished_ = true;
  if (thread_.joinable()) thread_.join();
}

void ServerLifecycle::watch() {
  while (!finished_) {
    const int signal_number = signals_.next_signal(kPollInterval);
    if (signal_number == SIGHUP) {
      reloads_.run_all(log_);
    } else if (is_stop_signal(signal_number)) {
      shut_down(signal_number);
      return;
    }
  }
}

void ServerLifecycle::shut_down(int signal_number) {
  log_ << fmt::format("mlflowcpp server: {}: shutting down\n", signal_name(signal_number)) << std::flush;
  // A signal that arrives while the server is still starting must not be lost: stop() only acts on a running server.
  while (!server_.is_running() && !finished_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (finished_) return;

  server_.begin_draining();
  if (timing_.delay.count() > 0) {
    log_ << fmt::format("mlflowcpp server: /health answers 503; still serving for {} s before closing the listener\n",
                        timing_.delay.count())
         << std::flush;
    const Clock::time_point delay_end = Clock::now() + timing_.delay;
    while (Clock::now() < delay_end && !finished_) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(delay_end - Clock::now());
      const int next = signals_.next_signal(std::min(left, kPollInterval * 5));
      if (is_stop_signal(next)) {
        server_.stop();
        cut_connections(fmt::format("second {}", signal_name(next)).c_str());
        return;
      }
    }
  }

  server_.stop();
  const server::http::ConnectionCounts open = server_.open_connections();
  log_ << fmt::format("mlflowcpp server: stopped accepting connections; waiting up to {} s for {} in progress\n",
                      timing_.timeout.count(), plural(open.busy, "request", "requests"))
       << std::flush;
  const int second = wait_for_server_end(Clock::now() + timing_.timeout);
  if (!server_.is_running()) return;
  cut_connections(second != 0 ? fmt::format("second {}", signal_name(second)).c_str()
                              : fmt::format("{} s shutdown timeout passed", timing_.timeout.count()).c_str());
}

int ServerLifecycle::wait_for_server_end(Clock::time_point until) {
  while (server_.is_running()) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    if (left.count() <= 0) return 0;
    const int next = signals_.next_signal(std::min(left, kPollInterval));
    if (is_stop_signal(next)) return next;
  }
  return 0;
}

void ServerLifecycle::cut_connections(const char* reason) {
  const server::http::ConnectionCounts cut = server_.cut_connections();
  log_ << fmt::format("mlflowcpp server: {}: cut {} in progress and {}\n", reason,
                      plural(cut.busy, "request", "requests"), plural(cut.idle, "idle connection", "idle connections"))
       << std::flush;
  const Clock::time_point give_up = Clock::now() + kCutGrace;
  while (server_.is_running() && Clock::now() < give_up) std::this_thread::sleep_for(kPollInterval);
  if (!server_.is_running()) return;
  // Every acknowledged write has committed already; what is still running was never answered.
  log_ << fmt::format("mlflowcpp server: {} still running {} s after the cut; exiting without them\n",
                      plural(server_.open_connections().busy, "request is", "requests are"), kCutGrace.count())
       << std::flush;
  std::_Exit(0);
}

}  // namespace mlflowcpp::cli
