#pragma once
// The plugin's local Optional <-> SQL/JSON conversions, kept in this one file so that phase 2 of issue 14 can
// replace them with the SDK's row/JSON helpers in one place.
#include <Poco/Dynamic/Var.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tessie/sdk/storage.hpp"

namespace tessie::powerwall {

using sdk::SqlRow;
using sdk::SqlValue;

inline SqlValue Sql(const std::optional<double>& v) { return v ? SqlValue(*v) : SqlValue(); }
inline SqlValue Sql(const std::optional<int>& v) { return v ? SqlValue(static_cast<std::int64_t>(*v)) : SqlValue(); }
inline SqlValue Sql(const std::optional<bool>& v) {
  return v ? SqlValue(static_cast<std::int64_t>(*v ? 1 : 0)) : SqlValue();
}
inline SqlValue Sql(const std::optional<std::string>& v) { return v ? SqlValue(*v) : SqlValue(); }
inline SqlValue Flag(bool b) { return static_cast<std::int64_t>(b ? 1 : 0); }

inline std::optional<double> OptDouble(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<double>(r.Double(i));
}
inline std::optional<std::int64_t> OptInt(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<std::int64_t>(r.Int(i));
}
inline std::optional<int> OptInt32(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<int>(static_cast<int>(r.Int(i)));
}
inline std::optional<bool> OptBool(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<bool>(r.Int(i) != 0);
}
inline std::optional<std::string> OptString(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<std::string>(r.String(i));
}

// JSON null for nullopt.
template <typename T>
Poco::Dynamic::Var Json(const std::optional<T>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

}  // namespace tessie::powerwall
