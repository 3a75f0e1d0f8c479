#include "testing/postgres_process.hpp"

#include <pwd.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "testing/data_dir_template.hpp"
#include "testing/free_port.hpp"

namespace mlflowcpp::testing {

namespace {

// The Debian package's programs (not the pg_wrapper scripts in /usr/bin,
// which pick a cluster and a version for themselves).
const std::filesystem::path kPostgresBin = "/usr/lib/postgresql/15/bin";
constexpr const char* kSystemUser = "postgres";

bool running_as_root() { return ::geteuid() == 0; }

// Gives `path` to the system user postgres, who runs the server when we are root.
void give_to_postgres_user(const std::filesystem::path& path) {
  const passwd* user = ::getpwnam(kSystemUser);
  if (user == nullptr) {
    throw std::runtime_error(
        "PostgreSQL tests run as root need the system user 'postgres' "
        "(apt-get install postgresql)");
  }
  if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::system_error(errno, std::generic_category(), "chown " + path.string());
  }
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Runs a PostgreSQL program as the owner of the data directories: the system user postgres when we are root
// (initdb and pg_ctl refuse root), ourselves otherwise.
CommandResult run_as_owner(const std::string& program, const std::vector<std::string>& args,
                           std::chrono::milliseconds timeout) {
  if (!running_as_root()) return run_command(program, args, {}, timeout);
  std::vector<std::string> as_postgres = {"-u", kSystemUser, "--", program};
  as_postgres.insert(as_postgres.end(), args.begin(), args.end());
  return run_command("/usr/sbin/runuser", as_postgres, {}, timeout);
}

// initdb's data directory for this PostgreSQL build, with trust authentication or this password for the user
// postgres (data_dir_template.hpp). Loopback only; no sync: a test database dies with the test.
std::filesystem::path template_data_dir(const std::string& password, std::chrono::milliseconds timeout) {
  const auto initdb = kPostgresBin / "initdb";
  const std::string key = program_identity(initdb) + ":" + (password.empty() ? "trust" : "password:" + password);
  return data_dir_template("mlflowcpp-postgres", key, [&](const std::filesystem::path& staging) {
    if (running_as_root()) give_to_postgres_user(staging);
    std::vector<std::string> initdb_args = {
        "-D",        (staging / "data").string(), "-U", "postgres", "-E", "UTF8", "--locale=C",
        "--no-sync", "--no-instructions"};
    if (password.empty()) {
      initdb_args.insert(initdb_args.end(), {"-A", "trust"});
    } else {
      const auto password_file = staging / "password";
      write_file(password_file, password + "\n");
      if (running_as_root()) give_to_postgres_user(password_file);
      initdb_args.insert(initdb_args.end(), {"-A", "scram-sha-256", "--pwfile", password_file.string()});
    }
    const auto initialized = run_as_owner(initdb.string(), initdb_args, timeout);
    if (initialized.timed_out || initialized.exit_code != 0) {
      throw std::runtime_error("initdb failed:\n" + initialized.output);
    }
  });
}

}  // namespace

PostgresProcess::PostgresProcess(PostgresOptions options)
    : options_(std::move(options)), dir_("mlflowcpp-postgres"), data_dir_(dir_ / "data") {
  if (!std::filesystem::exists(kPostgresBin / "initdb")) {
    throw std::runtime_error("PostgreSQL 15 is not installed (" + (kPostgresBin / "initdb").string() +
                             " is missing): run scripts/install-deps.sh --test");
  }
  if (running_as_root()) give_to_postgres_user(dir_.path());

  // cp -a keeps the files' owner (postgres when we are root), which the server needs.
  const auto template_dir = template_data_dir(options_.password, options_.startup_timeout);
  const auto copied =
      run_command("/bin/cp", {"-a", template_dir.string(), data_dir_.string()}, {}, options_.startup_timeout);
  if (copied.timed_out || copied.exit_code != 0) {
    throw std::runtime_error("cannot copy the PostgreSQL data directory template:\n" + copied.output);
  }
  {
    // No Unix socket: the server is reached over loopback TCP only, so two
    // servers never compete for a socket path.
    std::ofstream conf(data_dir_ / "postgresql.conf", std::ios::app);
    conf << "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n";
    for (const auto& setting : options_.settings) {
      const auto equals = setting.find('=');
      if (equals == std::string::npos) throw std::invalid_argument("PostgreSQL setting without '=': " + setting);
      conf << setting.substr(0, equals) << " = '" << setting.substr(equals + 1) << "'\n";
    }
    if (!conf) throw std::runtime_error("cannot write " + (data_dir_ / "postgresql.conf").string());
  }

  // A free port may be taken before the server binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (try_start_on(find_free_port())) {
      start_watchdog();
      return;
    }
  }
  throw std::runtime_error("PostgreSQL did not start on any of 5 free ports:\n" + log());
}

PostgresProcess::~PostgresProcess() { stop(); }

bool PostgresProcess::try_start_on(int port) {
  port_ = port;
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(options_.startup_timeout).count();
  // -w polls until the server accepts connections, for at most -t seconds.
  const auto started = run_as_owner((kPostgresBin / "pg_ctl").string(),
                                    {"start", "-w", "-t", std::to_string(seconds), "-D", data_dir_.string(), "-l",
                                     (dir_ / "postgres.log").string(), "-o", "-p " + std::to_string(port)},
                                    options_.startup_timeout + std::chrono::seconds(5));
  if (!started.timed_out && started.exit_code == 0) {
    running_ = true;
    return true;
  }
  const std::string server_log = log();
  if (server_log.find("could not bind") != std::string::npos ||
      server_log.find("Address already in use") != std::string::npos) {
    return false;
  }
  running_ = true;  // it may be running but slow: stop() must still run
  stop();
  throw std::runtime_error("PostgreSQL did not start:\n" + started.output + "\n" + server_log);
}

void PostgresProcess::start_watchdog() const {
  // pg_ctl detaches the server from us, so a test killed before its
  // destructors run would leave it behind. A detached shell waits for this
  // process to die while the server runs, then stops the server and removes
  // the directory; after a normal stop it just ends.
  const std::string pg_ctl = (kPostgresBin / "pg_ctl").string();
  const std::string as_owner = running_as_root() ? std::string("/usr/sbin/runuser -u ") + kSystemUser + " -- " : "";
  const std::string script =
      "( while kill -0 \"$1\" 2>/dev/null && [ -f \"$2/postmaster.pid\" ]; do sleep 1; done; "
      "if [ -f \"$2/postmaster.pid\" ]; then " +
      as_owner + pg_ctl +
      " stop -m immediate -D \"$2\"; rm -rf \"$3\"; fi "
      ") </dev/null >/dev/null 2>&1 &";
  const auto started = run_command(
      "/bin/sh",
      {"-c", script, "postgres-watchdog", std::to_string(::getpid()), data_dir_.string(), dir_.path().string()}, {},
      std::chrono::seconds(10));
  if (started.exit_code != 0) throw std::runtime_error("cannot start the PostgreSQL watchdog: " + started.output);
}

void PostgresProcess::stop() noexcept {
  if (!running_) return;
  running_ = false;
  try {
    // Immediate: no checkpoint; the data directory is removed next anyway.
    run_as_owner((kPostgresBin / "pg_ctl").string(), {"stop", "-w", "-m", "immediate", "-D", data_dir_.string()},
                 std::chrono::seconds(30));
  } catch (...) {  // nothing more can be done from a destructor
  }
}

std::string PostgresProcess::uri(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

std::string PostgresProcess::create_database(const std::string& database) {
  psql("postgres", "CREATE DATABASE " + quote_identifier(database));
  return uri(database);
}

CommandResult PostgresProcess::run_psql(const std::string& database, const std::vector<std::string>& args) const {
  std::vector<std::string> all = {
      "-X", "-q",       "-A", "-t",    "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", std::to_string(port_),
      "-U", "postgres", "-d", database};
  all.insert(all.end(), args.begin(), args.end());
  // Notices go to stderr, which run_command mixes into the output.
  return run_command((kPostgresBin / "psql").string(), all,
                     {{"PGOPTIONS", std::string("-c client_min_messages=warning")},
                      {"PGPASSWORD", options_.password.empty() ? std::nullopt : std::optional(options_.password)}},
                     std::chrono::seconds(120));
}

std::string PostgresProcess::psql(const std::string& database, const std::string& sql) const {
  const auto result = run_psql(database, {"-c", sql});
  if (result.timed_out || result.exit_code != 0) {
    throw std::runtime_error("psql failed on '" + sql + "':\n" + result.output);
  }
  return result.output;
}

void PostgresProcess::psql_file(const std::string& database, const std::filesystem::path& file) const {
  const auto result = run_psql(database, {"-f", file.string()});
  if (result.timed_out || result.exit_code != 0) {
    throw std::runtime_error("psql failed on " + file.string() + ":\n" + result.output);
  }
}

std::string PostgresProcess::log() const { return read_file(dir_ / "postgres.log"); }

}  // namespace mlflowcpp::testing
