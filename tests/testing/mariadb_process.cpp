#include "testing/mariadb_process.hpp"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <stdexcept>
#include <system_error>

#include "testing/child_launch.hpp"
#include "testing/data_dir_template.hpp"
#include "testing/free_port.hpp"
#include "testing/wait.hpp"

namespace mlflowcpp::testing {

namespace {

const std::filesystem::path kServer = "/usr/sbin/mariadbd";
const std::filesystem::path kInstallDb = "/usr/bin/mariadb-install-db";
constexpr const char* kSystemUser = "mysql";

bool running_as_root() { return ::geteuid() == 0; }

// Gives `path` to the system user mysql, who runs the server when we are root.
void give_to_mysql_user(const std::filesystem::path& path) {
  const passwd* user = ::getpwnam(kSystemUser);
  if (user == nullptr) {
    throw std::runtime_error("MariaDB tests run as root need the system user 'mysql' (apt-get install mariadb-server)");
  }
  if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::system_error(errno, std::generic_category(), "chown " + path.string());
  }
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "`";
  for (char c : name) {
    if (c == '`') quoted += '`';
    quoted += c;
  }
  return quoted + "`";
}

// mariadb-install-db's data directory for this mariadbd build and these settings (data_dir_template.hpp).
std::filesystem::path template_data_dir(const std::vector<std::string>& settings, std::chrono::milliseconds timeout) {
  std::string key = program_identity(kServer);
  for (const auto& setting : settings) key += ":" + setting;
  return data_dir_template("mlflowcpp-mariadb", key, [&](const std::filesystem::path& staging) {
    if (running_as_root()) give_to_mysql_user(staging);
    std::vector<std::string> install_args = {"--no-defaults", "--datadir=" + (staging / "data").string(),
                                             "--auth-root-authentication-method=normal", "--skip-test-db",
                                             "--skip-name-resolve"};
    if (running_as_root()) install_args.push_back(std::string("--user=") + kSystemUser);
    // The settings that shape the data files (the redo log's size) must match the servers'.
    install_args.insert(install_args.end(), settings.begin(), settings.end());
    const auto installed_db = run_command(kInstallDb.string(), install_args, {}, timeout);
    if (installed_db.timed_out || installed_db.exit_code != 0) {
      throw std::runtime_error("mariadb-install-db failed:\n" + installed_db.output);
    }
  });
}

}  // namespace

bool MariadbProcess::installed() { return std::filesystem::exists(kServer) && std::filesystem::exists(kInstallDb); }

MariadbProcess::MariadbProcess(MariadbOptions options)
    : options_(std::move(options)), dir_("mlflowcpp-mariadb"), data_dir_(dir_ / "data") {
  if (!installed()) {
    throw std::runtime_error("MariaDB is not installed (" + kServer.string() +
                             " is missing): run scripts/install-deps.sh --test");
  }
  if (running_as_root()) give_to_mysql_user(dir_.path());
  const auto template_dir = template_data_dir(options_.settings, options_.startup_timeout);
  // cp -a keeps the files' owner (mysql when we are root), which mariadbd needs.
  const auto copied =
      run_command("/bin/cp", {"-a", template_dir.string(), data_dir_.string()}, {}, options_.startup_timeout);
  if (copied.timed_out || copied.exit_code != 0) {
    throw std::runtime_error("cannot copy the MariaDB data directory template:\n" + copied.output);
  }
  // A free port may be taken before the server binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = find_free_port();
    try {
      start();
    } catch (const std::exception&) {
      if (attempt == 4 || log().find("Address already in use") == std::string::npos) throw;
      continue;
    }
    break;
  }
  sql("", std::string("CREATE USER '") + kUser + "'@'%' IDENTIFIED BY '" + kPassword + "'");
}

MariadbProcess::~MariadbProcess() { stop(); }

void MariadbProcess::start() {
  std::vector<std::string> args = {"--no-defaults",
                                   "--datadir=" + data_dir_.string(),
                                   "--port=" + std::to_string(port_),
                                   "--bind-address=127.0.0.1",
                                   "--socket=" + (dir_ / "mariadb.sock").string(),
                                   "--pid-file=" + (dir_ / "mariadb.pid").string(),
                                   "--log-error=" + (dir_ / "mariadb.log").string(),
                                   "--skip-log-bin",
                                   "--skip-name-resolve",
                                   "--character-set-server=utf8mb4",
                                   "--collation-server=utf8mb4_general_ci"};
  if (running_as_root()) args.push_back(std::string("--user=") + kSystemUser);
  args.insert(args.end(), options_.settings.begin(), options_.settings.end());
  server_ = detail::launch_child(kServer.string(), args, {}, (dir_ / "mariadbd.out").string());
  const bool ready = wait_until(
      [&] {
        if (!server_->running()) return true;
        const auto ping = run_command("/usr/bin/mariadb-admin",
                                      {"--no-defaults", "-h", "127.0.0.1", "-P", std::to_string(port_), "-u", "root",
                                       "--connect-timeout=2", "ping"},
                                      {}, std::chrono::seconds(5));
        return ping.exit_code == 0;
      },
      options_.startup_timeout, std::chrono::milliseconds(100));
  if (!server_->running()) {
    server_.reset();
    throw std::runtime_error("mariadbd exited during startup:\n" + log());
  }
  if (!ready) {
    stop();
    throw std::runtime_error("mariadbd did not answer within the startup timeout:\n" + log());
  }
  start_watchdog();
}

void MariadbProcess::start_watchdog() const {
  // mariadbd switching to the user mysql clears the signal it would get at
  // our death, so a test killed before its destructors run would leave it
  // behind. A detached shell waits for this process to die while the server
  // runs, then kills the server and removes the directory; after a normal
  // stop it just ends.
  const std::string script =
      "( while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; "
      "if kill -0 \"$2\" 2>/dev/null; then kill -9 \"$2\"; sleep 1; rm -rf \"$3\"; fi "
      ") </dev/null >/dev/null 2>&1 &";
  const auto started = run_command("/bin/sh",
                                   {"-c", script, "mariadb-watchdog", std::to_string(::getpid()),
                                    std::to_string(server_->id()), dir_.path().string()},
                                   {}, std::chrono::seconds(10));
  if (started.exit_code != 0) throw std::runtime_error("cannot start the MariaDB watchdog: " + started.output);
}

void MariadbProcess::stop() noexcept {
  if (!server_) return;
  try {
    report_crash();
    if (server_->running()) {
      ::kill(server_->id(), SIGTERM);  // a clean shutdown: the restart test reopens the data
      if (!detail::wait_for_exit(*server_, std::chrono::seconds(60))) {
        ::kill(server_->id(), SIGKILL);
        server_->wait();
      }
    }
  } catch (...) {  // nothing more can be done from a destructor
  }
  server_.reset();
}

void MariadbProcess::restart() {
  stop();
  start();
}

std::string MariadbProcess::uri(const std::string& database) const {
  return std::string("mysql://") + kUser + ":" + kPassword + "@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string MariadbProcess::create_database(const std::string& database) {
  sql("", "CREATE DATABASE " + quote_identifier(database) +
              " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci; GRANT ALL ON " + quote_identifier(database) +
              ".* TO '" + kUser + "'@'%'");
  return uri(database);
}

CommandResult MariadbProcess::run_client(const std::string& program, const std::vector<std::string>& args) const {
  std::vector<std::string> all = {"--no-defaults", "-h", "127.0.0.1", "-P", std::to_string(port_), "-u", "root"};
  all.insert(all.end(), args.begin(), args.end());
  return run_command(program, all, {}, std::chrono::seconds(120));
}

std::string MariadbProcess::sql(const std::string& database, const std::string& statements) const {
  std::vector<std::string> args = {"--batch", "--skip-column-names", "-e", statements};
  if (!database.empty()) args.push_back(database);
  const auto result = run_client("/usr/bin/mariadb", args);
  if (result.timed_out || result.exit_code != 0) {
    throw std::runtime_error("mariadb failed on '" + statements + "':\n" + result.output);
  }
  return result.output;
}

void MariadbProcess::sql_file(const std::string& database, const std::filesystem::path& file) const {
  if (!std::filesystem::exists(file)) throw std::runtime_error("no SQL file " + file.string());
  // A dump lists tables by name, before the tables their foreign keys name.
  sql(database, "SET FOREIGN_KEY_CHECKS = 0;\n" + read_file(file));
}

std::string MariadbProcess::dump_schema(const std::string& database) const {
  const auto result = run_client("/usr/bin/mariadb-dump", {"--no-data", "--skip-comments", "--compact", database});
  if (result.timed_out || result.exit_code != 0) throw std::runtime_error("mariadb-dump failed:\n" + result.output);
  return result.output;
}

std::string MariadbProcess::log() const { return read_file(dir_ / "mariadb.log"); }

void MariadbProcess::report_crash() const {
  // A server that died under a test (mariadbd writes "got signal" and its stack
  // trace into the log on SIGSEGV) is a server bug our statements triggered; the
  // test only sees a lost connection, and the log goes with the directory.
  const bool died = !server_->running();
  const std::string text = log();
  if (!died && text.find("got signal") == std::string::npos) return;
  constexpr std::size_t kTail = 16000;
  std::cerr << "\n===== mariadbd " << (died ? "is no longer running" : "caught a signal") << " (port " << port_
            << "); the end of its log (" << (dir_ / "mariadb.log").string() << "):\n"
            << (text.size() > kTail ? text.substr(text.size() - kTail) : text) << "\n===== end of the mariadbd log\n"
            << std::flush;
}

}  // namespace mlflowcpp::testing
