// tessie-stats: the plugin host. See docs/architecture.md.
#include <Poco/Crypto/Crypto.h>
#include <malloc.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "auth.hpp"
#include "config.hpp"
#include "start_check.hpp"
#include "host.hpp"
#include "logger.hpp"
#include "plugin_manager.hpp"
#include "storage.hpp"
#ifdef TESSIE_TEST_SEAMS
#include "test_seams.hpp"  // tests/support: only in tessie-stats-seams, never in tessie-stats
#endif

namespace {

// The environment variables are the ones ReadCoreConfig (config.cpp) and Host::Start (host.cpp) read.
void Usage(std::ostream& out) {
  out << "usage: tessie-stats --config FILE         run the host\n"
         "       tessie-stats --check-config FILE   check FILE, the plugins' sections and what start-up needs; exit\n"
         "       tessie-stats --hash-password       read a password on stdin, print its hash for auth.admin_password\n"
         "       tessie-stats --version\n"
         "\n"
         "environment (each wins over the config file; keep secrets out of the file this way):\n"
         "  TESSIE_ADMIN_PASSWORD       the admin login, instead of auth.admin_password (a hash or plain text)\n"
         "  TESSIE_STORAGE_URL          instead of storage.url (postgresql://... or sqlite:///PATH)\n"
         "  TESSIE_MQTT_PASSWORD        instead of mqtt.password\n"
         "  TESSIE_TESLA_CLIENT_SECRET  instead of tesla.client_secret\n"
         "  TESSIE_JWT_SECRET           signs login tokens, instead of the generated DATA_DIR/jwt-secret.key\n"
         "  TESSIE_ENCRYPTION_KEY       the Tesla token vault key (64 hex digits), instead of DATA_DIR/encryption.key\n"
         "\n"
         "documentation: docs/ in the source tree (configuration.md, tesla-account.md, install.md, mqtt.md,\n"
         "  plugins.md); /usr/share/doc/tessie-stats/ when installed from the Debian package\n";
}

// Big freed blocks are kept for reuse: a large response (a year of hourly energy, 2.5 MB) otherwise has glibc
// return its memory to the kernel and pay the page faults again on the next one (~10 ms per request here).
// Costs at most 32 MB of retained free memory per malloc arena after such a response. glibc's own MALLOC_* or
// GLIBC_TUNABLES settings, when given, win. (One arena for all threads was tried: it cost a fifth of the
// throughput of GET /api/health under 32 connections.)
void TuneMalloc() {
  for (const char* name : {"GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_"}) {
    if (std::getenv(name)) return;
  }
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tessie::core;
  // Every file the host creates (database and its -wal/-shm, key files, revoked tokens, plugin files) is the
  // owner's only, whatever umask the service manager or shell handed over (PostgreSQL's postmaster does the same).
  ::umask(077);
  TuneMalloc();
  // One reference to Poco's OpenSSL initializer for the whole process, taken before any thread starts.
  // Poco 1.11 tears OpenSSL's state down whenever its count of live crypto objects drops to zero; with
  // objects made and freed on several threads that raced and corrupted the heap (pocoproject/poco#1739,
  // seen as a crash under 32 concurrent authenticated requests). Held until exit, the count never drops.
  Poco::Crypto::initializeCrypto();
  std::string mode, file;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--config" || arg == "--check-config") && i + 1 < argc) {
      mode = arg;
      file = argv[++i];
    } else if (arg == "--hash-password" || arg == "--version") {
      mode = arg;
    } else if (arg == "--help" || arg == "-h") {
      Usage(std::cout);
      return 0;
    } else {
      std::cerr << "tessie-stats: unknown argument '" << arg << "'\n";
      Usage(std::cerr);
      return 2;
    }
  }
  if (mode.empty()) {
    Usage(std::cerr);
    return 2;
  }
  if (mode == "--version") {
    std::cout << "tessie-stats " << TESSIE_SDK_VERSION_STRING << " (plugin ABI " << tessie::sdk::kAbiVersion << ")\n";
    return 0;
  }
  if (mode == "--hash-password") {
    std::string password;
    std::getline(std::cin, password);
    if (password.empty()) {
      std::cerr << "tessie-stats: empty password\n";
      return 2;
    }
    std::cout << HashPassword(password) << "\n";
    return 0;
  }

  // Signals are waited for synchronously by the main thread; every thread started below inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  LogSink log(std::cerr);
  ComponentLogger logger(log, "host");
  std::unique_ptr<Host> host;
  try {
    const auto doc = ConfigDocument::Load(file);
    CoreConfig config = ReadCoreConfig(doc);
    if (config.plugin_dir.empty()) config.plugin_dir = DefaultPluginDir();
    auto plugins = std::make_unique<PluginManager>(log);
    plugins->Discover(config.plugin_dir, doc);
    plugins->ValidateConfigs(doc);
    // What Host::Start would refuse, said before anything starts, the same for --check-config and --config.
    const auto problems = StartProblems(config, doc);
    for (const auto& problem : problems) std::cerr << "tessie-stats: cannot start: " << log.Redact(problem) << "\n";
    if (!problems.empty()) return 2;
    if (mode == "--check-config") {
      std::size_t loaded = 0, failed = 0;
      for (const auto& p : plugins->Status()) {
        if (p.state == PluginState::kLoaded) ++loaded;
        if (p.state == PluginState::kFailed) ++failed;
      }
      // The PostgreSQL server must answer (a passing condition, so exit 1: the unit may retry).
      if (!config.storage_url.empty() && config.storage_url.rfind("sqlite://", 0) != 0) {
        try {
          ProbePostgres(config.storage_url);
        } catch (const std::exception& e) {
          std::cerr << "tessie-stats: cannot start: storage.url: " << log.Redact(e.what()) << "\n";
          std::cout << file << ": NOT OK (the database cannot be reached)\n";
          return 1;
        }
      }
      const auto dependencies = plugins->DependencyProblems();
      for (const auto& problem : dependencies) std::cerr << "tessie-stats: " << problem << "\n";
      if (failed || !dependencies.empty()) {
        std::cout << file << ": NOT OK (" << loaded << " plugin(s) enabled"
                  << (failed ? ", " + std::to_string(failed) + " failed to load" : "")
                  << (dependencies.empty() ? "" : ", " + std::to_string(dependencies.size()) + " missing dependency")
                  << ")\n";
        return 1;
      }
      std::cout << file << ": OK (" << loaded << " plugin(s) enabled)\n";
      return 0;
    }
    logger.Info(std::string("tessie-stats ") + TESSIE_SDK_VERSION_STRING + " starting with " + file);
    host = std::make_unique<Host>(std::move(config), std::move(plugins), log);
#ifdef TESSIE_TEST_SEAMS
    host->SetFleetRefreshHook(tessie::testing::CrashAfterTokenRefreshFromEnvironment());
#endif
    host->Start();
  } catch (const ConfigFileError& e) {
    std::cerr << "tessie-stats: config error: " << log.Redact(e.what()) << "\n";
    return 2;
  } catch (const std::exception& e) {
    logger.Error(std::string("cannot start: ") + e.what());
    if (host) host->Stop();
    return 1;
  }

  int received = 0;
  sigwait(&signals, &received);
  logger.Info(std::string("received ") + (received == SIGINT ? "SIGINT" : "SIGTERM"));
  host->Stop();
  return 0;
}
