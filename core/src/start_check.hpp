#pragma once
// What the host needs to start beyond a valid config file, checked without starting anything (main.cpp runs it for
// --check-config and --config). Kept out of config.cpp so that the config parser stays free of storage code (the
// fuzz build compiles config.cpp alone).
#include <string>
#include <vector>

#include "config.hpp"

namespace tessie::core {

// What Host::Start needs beyond well-formed keys: an admin password (file or TESSIE_ADMIN_PASSWORD), a data_dir
// that exists or can be created and is writable by this user, key files there (or their TESSIE_* variables) in the
// form the host reads, a database file it can open. One line per problem, "WHERE: KEY: what is wrong; what to do",
// never with a secret; empty when the host can start. Reads the environment and the file system, changes nothing.
std::vector<std::string> StartProblems(const CoreConfig& config, const ConfigDocument& doc);

}  // namespace tessie::core
