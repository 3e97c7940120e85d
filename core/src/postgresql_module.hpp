#pragma once
// What the host looks up in its PostgreSQL module (libtessie_storage_postgresql.so), by these names.
#include <functional>
#include <string>

#include "tessie/sdk/storage.hpp"

namespace Poco::Data {
class Session;
}

namespace tessie::core {

// Registers Poco's PostgreSQL connector.
using RegisterPostgresFn = void();
inline constexpr const char* kRegisterPostgres = "tessie_register_postgresql";

// Runs `sql` ($n placeholders) on the session's connection in one round trip and calls `each` per row.
// Throws sdk::StorageError with the server's message.
using PostgresQueryEachFn = void(Poco::Data::Session& session, const std::string& sql, const sdk::SqlParams& params,
                                 const std::function<void(const sdk::SqlRow&)>& each);
inline constexpr const char* kPostgresQueryEach = "tessie_postgresql_query_each";

}  // namespace tessie::core
