#include "testing/server_process.hpp"

#include <signal.h>

#include <boost/process/child.hpp>
#include <httplib.h>
#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "testing/child_launch.hpp"
#include "testing/free_port.hpp"

namespace mlflowcpp::testing {

namespace {

constexpr int kStartAttempts = 4;

// One GET <prefix>/health with short timeouts; true on 200. Over HTTPS (any certificate) with `tls`.
bool health_answers(int port, const std::string& static_prefix, bool tls) {
  httplib::Client probe((tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port));
  probe.enable_server_certificate_verification(false);
  probe.set_connection_timeout(0, 200000);
  probe.set_read_timeout(1, 0);
  auto result = probe.Get((static_prefix + "/health").c_str());
  return result && result->status == 200;
}

}  // namespace

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  // /health moves with --static-prefix; take it from the arguments when not given.
  const auto& args = options_.extra_args;
  const auto flag = std::find(args.begin(), args.end(), "--static-prefix");
  if (options_.static_prefix.empty() && flag != args.end() && flag + 1 != args.end()) options_.static_prefix = *(flag + 1);
  if (options_.work_dir.empty()) {
    owned_dir_ = std::make_unique<TempDir>("mlflowcpp-server");
    work_dir_ = owned_dir_->path();
  } else {
    work_dir_ = options_.work_dir;
    std::filesystem::create_directories(work_dir_);
  }
  start();
}

ServerProcess::~ServerProcess() {
  try {
    stop();
  } catch (...) {
    // A destructor must not throw; the child dies with us anyway (PDEATHSIG).
  }
}

std::filesystem::path ServerProcess::artifacts_dir() const {
  return options_.artifacts_destination ? std::filesystem::path(*options_.artifacts_destination)
                                        : work_dir_ / "mlartifacts";
}

std::vector<std::string> ServerProcess::command_line(int port) const {
  std::vector<std::string> args = {"server", "--host", "127.0.0.1", "--port", std::to_string(port)};
  if (options_.pass_backend_store_uri) {
    args.push_back("--backend-store-uri");
    args.push_back(options_.backend_store_uri.value_or("sqlite:///" + db_path().string()));
  }
  args.push_back("--artifacts-destination");
  args.push_back(artifacts_dir().string());
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  return args;
}

void ServerProcess::start() {
  // The first attempt reuses the previous port on restart (clients may hold it).
  int port = port_ != 0 ? port_ : find_free_port();
  for (int attempt = 1; attempt <= kStartAttempts; ++attempt) {
    if (try_start_on(port)) {
      port_ = port;
      return;
    }
    // The child exited during startup: most likely the port was taken between
    // probing and binding. Any other cause shows up again on the next attempt.
    port = find_free_port();
  }
  throw std::runtime_error("mlflowcpp server exited during startup " + std::to_string(kStartAttempts) +
                           " times; log " + log_path().string() + ":\n" + log());
}

bool ServerProcess::try_start_on(int port) {
  const auto args = command_line(port);
  std::string shown = server_binary();
  for (const auto& arg : args) shown += " " + arg;
  std::ofstream(log_path(), std::ios::app) << "---- starting: " << shown << "\n";

  child_ = detail::launch_child(server_binary(), args, options_.environment, log_path().string());
  bool exited = false;
  bool healthy = wait_until(
      [&] {
        if (!child_->running()) {
          exited = true;
          return true;
        }
        return health_answers(port, options_.static_prefix, options_.tls);
      },
      options_.startup_timeout);
  // A healthy answer from a process that then turns out dead came from someone
  // else on that port: treat it as a failed attempt.
  if (healthy && !exited && !child_->running()) exited = true;
  if (exited) {
    last_exit_code_ = detail::exit_code_of(*child_);
    child_.reset();
    return false;
  }
  if (!healthy) {
    child_->terminate();
    child_->wait();
    child_.reset();
    throw std::runtime_error("mlflowcpp server did not answer " + options_.static_prefix + "/health within " +
                             std::to_string(options_.startup_timeout.count()) + " ms; log:\n" + log());
  }
  return true;
}

bool ServerProcess::running() { return child_ && child_->running(); }

int ServerProcess::pid() const { return child_ ? static_cast<int>(child_->id()) : -1; }

int ServerProcess::stop() {
  if (!child_) return last_exit_code_;
  if (child_->running()) {
    ::kill(child_->id(), SIGTERM);
    if (!detail::wait_for_exit(*child_, options_.stop_timeout)) {
      child_->terminate();
      child_->wait();
    }
  }
  last_exit_code_ = detail::exit_code_of(*child_);
  child_.reset();
  return last_exit_code_;
}

void ServerProcess::kill9() {
  if (!child_) return;
  if (child_->running()) {
    child_->terminate();  // SIGKILL
    child_->wait();
  }
  last_exit_code_ = -1;
  child_.reset();
}

void ServerProcess::restart() {
  stop();
  start();
}

ClientOptions ServerProcess::client_options() const {
  ClientOptions options;
  options.tracking_uri = base_url();
  options.max_retries = 0;
  options.timeout_seconds = 60;
  return options;
}

void ServerProcess::signal(int signal_number) {
  if (child_ && child_->running()) ::kill(child_->id(), signal_number);
}

HttpClient ServerProcess::client(std::chrono::seconds timeout) const { return HttpClient(port_, timeout); }

std::string ServerProcess::log() const { return read_file(log_path()); }

std::filesystem::path copy_fixture_database(const std::string& fixture_file, const std::filesystem::path& work_dir) {
  const auto copy = work_dir / "mlflow.db";
  std::filesystem::copy_file(std::filesystem::path(MLFLOWCPP_FIXTURES_DIR) / fixture_file, copy);
  return copy;
}

ServerOptions on_fixture_copy(const std::string& fixture_file, const std::filesystem::path& work_dir) {
  copy_fixture_database(fixture_file, work_dir);
  ServerOptions options;
  options.work_dir = work_dir;
  return options;
}

}  // namespace mlflowcpp::testing
