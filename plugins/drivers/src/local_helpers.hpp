#pragma once
// Optional ↔ SQL and optional → JSON conversions of this plugin, kept in one file so that they can be
// swapped for the SDK's row/JSON helpers in one place.
#include <Poco/Dynamic/Var.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "tessie/sdk/storage.hpp"

namespace tessie::drivers {

template <class T>
sdk::SqlValue Opt(const std::optional<T>& v) {
  if (!v) return sdk::SqlValue();
  if constexpr (std::is_integral_v<T>) {
    return sdk::SqlValue(static_cast<std::int64_t>(*v));
  } else {
    return sdk::SqlValue(*v);
  }
}

inline std::optional<double> OptDouble(const sdk::SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<double>(row.Double(i));
}
inline std::optional<std::int64_t> OptInt(const sdk::SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<std::int64_t>(row.Int(i));
}
inline std::optional<int> OptSmallInt(const sdk::SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<int>(static_cast<int>(row.Int(i)));
}
inline std::optional<std::string> OptString(const sdk::SqlRow& row, std::size_t i) {
  return row.IsNull(i) ? std::nullopt : std::optional<std::string>(row.String(i));
}

inline double Round(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}
inline Poco::Dynamic::Var JsonNumber(const std::optional<double>& v, int decimals) {
  return v ? Poco::Dynamic::Var(Round(*v, decimals)) : Poco::Dynamic::Var();
}
template <class T>
Poco::Dynamic::Var JsonOpt(const std::optional<T>& v) {
  return v ? Poco::Dynamic::Var(*v) : Poco::Dynamic::Var();
}

}  // namespace tessie::drivers
