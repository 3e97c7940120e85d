// PostgreSQL support as a module the host loads only when storage.url is postgresql://: libpq and what it
// pulls in (GnuTLS, Kerberos, LDAP...) stay out of a SQLite-only host's memory.
#include <Poco/Data/PooledSessionImpl.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include "postgresql_module.hpp"

namespace {

// The connection under a session from Poco's pool (PooledSessionImpl keeps it behind a protected accessor).
struct PooledAccess : Poco::Data::PooledSessionImpl {
  static Poco::Data::SessionImpl* Inner(Poco::Data::PooledSessionImpl& pooled) {
    return (pooled.*(&PooledAccess::access))();
  }
};

PGconn* Connection(Poco::Data::Session& session) {
  Poco::Data::SessionImpl* impl = session.impl();
  if (auto* pooled = dynamic_cast<Poco::Data::PooledSessionImpl*>(impl)) impl = PooledAccess::Inner(*pooled);
  auto* pg = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(impl);
  if (pg == nullptr) throw std::logic_error("not a PostgreSQL session");
  return pg->handle();
}

// Parameters in libpq's text form; the server infers each type from where it is used.
struct TextParams {
  std::vector<std::string> text;
  std::vector<const char*> values;
  explicit TextParams(const tessie::sdk::SqlParams& params) {
    text.reserve(params.size());
    for (const auto& p : params) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              text.emplace_back();
            } else if constexpr (std::is_same_v<T, bool>) {
              text.emplace_back(v ? "true" : "false");
            } else if constexpr (std::is_same_v<T, std::string>) {
              text.push_back(v);
            } else {
              char buffer[32];
              const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);  // shortest round trip
              text.emplace_back(buffer, r.ptr);
            }
          },
          p);
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : text[i].c_str());
    }
  }
};

// Column types by OID (pg_type.h): what each becomes in an SqlRow.
enum class Kind { kInt, kDouble, kBool, kBytes, kText };
Kind KindOf(Oid type) {
  switch (type) {
    case 20:  // int8
    case 21:  // int2
    case 23:  // int4
    case 26:  // oid
      return Kind::kInt;
    case 700:   // float4
    case 701:   // float8
    case 1700:  // numeric
      return Kind::kDouble;
    case 16:
      return Kind::kBool;
    case 17:
      return Kind::kBytes;
    default:
      return Kind::kText;
  }
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void tessie_register_postgresql() {
  Poco::Data::PostgreSQL::Connector::registerConnector();
}

// One round trip (PQexecParams, text results) on the session's connection, inside its transaction; each
// value read from libpq's result without going through Poco's record set.
extern "C" __attribute__((visibility("default"))) void tessie_postgresql_query_each(
    Poco::Data::Session& session, const std::string& sql, const tessie::sdk::SqlParams& params,
    const std::function<void(const tessie::sdk::SqlRow&)>& each) {
  PGconn* conn = Connection(session);
  const TextParams text(params);
  const std::unique_ptr<PGresult, void (*)(PGresult*)> result(
      PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr, text.values.data(), nullptr, nullptr,
                   0),
      PQclear);
  const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    std::string message = result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    throw tessie::sdk::StorageError(message.empty() ? "PostgreSQL error" : message);
  }
  const int rows = PQntuples(result.get());
  const int cols = PQnfields(result.get());
  std::vector<Kind> kinds;
  for (int c = 0; c < cols; ++c) kinds.push_back(KindOf(PQftype(result.get(), c)));
  tessie::sdk::SqlRow row;
  row.values.resize(static_cast<std::size_t>(cols));
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      auto& value = row.values[static_cast<std::size_t>(c)];
      if (PQgetisnull(result.get(), r, c)) {
        value = std::monostate{};
        continue;
      }
      const char* data = PQgetvalue(result.get(), r, c);
      const auto size = static_cast<std::size_t>(PQgetlength(result.get(), r, c));
      switch (kinds[static_cast<std::size_t>(c)]) {
        case Kind::kInt: {
          std::int64_t v = 0;
          std::from_chars(data, data + size, v);
          value = v;
          break;
        }
        case Kind::kDouble:
          value = std::strtod(data, nullptr);  // also "NaN", "Infinity"
          break;
        case Kind::kBool:
          value = data[0] == 't';
          break;
        case Kind::kBytes: {
          std::size_t length = 0;
          const std::unique_ptr<unsigned char, void (*)(void*)> bytes(
              PQunescapeBytea(reinterpret_cast<const unsigned char*>(data), &length), PQfreemem);
          value = std::string(reinterpret_cast<const char*>(bytes.get()), bytes ? length : 0);
          break;
        }
        case Kind::kText:
          if (auto* s = std::get_if<std::string>(&value)) {
            s->assign(data, size);
          } else {
            value = std::string(data, size);
          }
      }
    }
    each(row);
  }
}
