#include "history_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tessie::powerwall {
namespace {

constexpr std::size_t kMainTotals = 7;  // solar_produced_wh … generator_produced_wh
constexpr std::size_t kAllTotals = kTotalsCount;

void Number(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  v = std::round(v * 1000.0) / 1000.0;
  if (v == 0) v = 0;  // no "-0"
  char buffer[32];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, r.ptr);
}

void Integer(std::string& out, std::int64_t v) {
  char buffer[24];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, r.ptr);
}

// Strings here are ours (times, labels, IANA names, resolution names) but are escaped all the same.
void String(std::string& out, std::string_view s) {
  out.push_back('"');
  const bool plain = std::none_of(s.begin(), s.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (plain) {
    out.append(s);
    out.push_back('"');
    return;
  }
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out.push_back(kHex[(c >> 4) & 0xf]);
      out.push_back(kHex[c & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void Key(std::string& out, std::string_view key) {
  String(out, key);
  out.push_back(':');
}

// The first `count` EnergyTotals fields of `flows` (Fields() order: the main totals come first) as
// `"name":value` pairs, each preceded by a comma.
void TotalFields(std::string& out, const Flows& flows, std::size_t count) {
  const auto fields = Fields(TotalsOf(flows));
  for (std::size_t i = 0; i < count && i < fields.size(); ++i) {
    out.push_back(',');
    Key(out, fields[i].first);
    Number(out, fields[i].second);
  }
}

}  // namespace

std::string HistoryJson(const HistoryBody& body, const std::vector<Bucket>& buckets) {
  std::string out;
  out.reserve(512 + buckets.size() * (body.detail == HistoryBody::Detail::kMain ? 300 : 1100));
  out += "{\"energy_site_id\":";
  Integer(out, body.energy_site_id);
  out += ",\"time_zone\":";
  String(out, body.time_zone);
  out += ",\"resolution\":";
  String(out, ToString(body.resolution));
  out += ",\"from\":";
  String(out, IsoUtc(body.from_ms));
  out += ",\"to\":";
  String(out, IsoUtc(body.to_ms));
  out += ",\"unit\":\"Wh\",\"items\":[";
  const char* label_key = body.resolution == Resolution::kDay     ? "date"
                          : body.resolution == Resolution::kMonth ? "month"
                                                                  : "local_time";
  Flows all{};
  bool first = true;
  for (const auto& b : buckets) {
    Add(all, b.flows);
    if (!first) out.push_back(',');
    first = false;
    out += "{\"time\":\"";
    AppendIsoUtc(out, b.start_ms);
    out += "\",\"end\":\"";
    AppendIsoUtc(out, b.end_ms);
    out += "\",";
    Key(out, label_key);
    String(out, b.label);
    out += ",\"intervals\":";
    Integer(out, b.intervals);
    TotalFields(out, b.flows, body.detail == HistoryBody::Detail::kMain ? kMainTotals : kAllTotals);
    if (body.detail == HistoryBody::Detail::kFlows) {
      out += ",\"flows\":{";
      for (std::size_t i = 0; i < kFlowCount; ++i) {
        if (i > 0) out.push_back(',');
        Key(out, kFlowNames[i]);
        Number(out, b.flows[i]);
      }
      out.push_back('}');
    }
    out.push_back('}');
  }
  out += "],\"totals\":{";
  const std::size_t open = out.size();
  TotalFields(out, all, kAllTotals);
  out.erase(open, 1);  // the first field's comma
  out += "}}";
  return out;
}

}  // namespace tessie::powerwall
