#pragma once
// Optional values between typed models, SQL parameters, result rows and JSON: what every plugin's store and
// routes need (an absent reading is NULL in the database and null in JSON, never 0). Header-only, plain logic.
#include <Poco/Dynamic/Var.h>
#include <Poco/Types.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "tessie/sdk/storage.hpp"

namespace tessie::sdk {
inline namespace v1 {

// A SQL parameter: NULL when empty (or a non-finite double); a bool as 0/1 and any other integer as int64 (the columns are integers on
// both backends), floating point as double, text as string.
template <typename T>
SqlValue ToSql(const std::optional<T>& value) {
  if (!value) return SqlValue();
  if constexpr (std::is_same_v<T, bool>) {
    return SqlValue(static_cast<std::int64_t>(*value ? 1 : 0));
  } else if constexpr (std::is_integral_v<T>) {
    return SqlValue(static_cast<std::int64_t>(*value));
  } else if constexpr (std::is_floating_point_v<T>) {
    // NaN and infinity have no SQL value (PostgreSQL would store them, SQLite turns NaN into NULL): NULL on both.
    return std::isfinite(*value) ? SqlValue(static_cast<double>(*value)) : SqlValue();
  } else {
    static_assert(std::is_convertible_v<T, std::string>, "ToSql takes optional bool, integers, doubles or strings");
    return SqlValue(std::string(*value));
  }
}

// A JSON value: null when empty, otherwise the value itself (integers as int64, so the JSON number is exact).
template <typename T>
Poco::Dynamic::Var ToVar(const std::optional<T>& value) {
  if (!value) return Poco::Dynamic::Var();
  if constexpr (std::is_same_v<T, bool>) {
    return Poco::Dynamic::Var(*value);
  } else if constexpr (std::is_integral_v<T>) {
    return Poco::Dynamic::Var(static_cast<Poco::Int64>(*value));
  } else if constexpr (std::is_floating_point_v<T>) {
    return Poco::Dynamic::Var(static_cast<double>(*value));
  } else {
    static_assert(std::is_convertible_v<T, std::string>, "ToVar takes optional bool, integers, doubles or strings");
    return Poco::Dynamic::Var(std::string(*value));
  }
}

// Column `i` of a result row, or nullopt when it is NULL. Converts like SqlRow::Int/Double/String (a REAL read
// as an int is truncated; text is parsed and throws std::invalid_argument when it is no number).
inline std::optional<std::int64_t> OptInt(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Int(i);
}
inline std::optional<double> OptDouble(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Double(i);
}
inline std::optional<std::string> OptString(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.String(i);
}
inline std::optional<bool> OptBool(const SqlRow& row, std::size_t i) {
  if (row.IsNull(i)) return std::nullopt;
  return row.Bool(i);
}

}  // namespace v1
}  // namespace tessie::sdk
