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

HistoryWriter::HistoryWriter(const HistoryBody& body, std::size_t expected_buckets)
    : detail_(body.detail),
      label_key_(body.resolution == Resolution::kDay     ? "date"
                 : body.resolution == Resolution::kMonth ? "month"
                                                         : "local_time") {
  out_.reserve(512 + expected_buckets * (detail_ == HistoryBody::Detail::kMain ? 300 : 1100));
  out_ += "{\"energy_site_id\":";
  Integer(out_, body.energy_site_id);
  out_ += ",\"time_zone\":";
  String(out_, body.time_zone);
  out_ += ",\"resolution\":";
  String(out_, ToString(body.resolution));
  out_ += ",\"from\":";
  String(out_, IsoUtc(body.from_ms));
  out_ += ",\"to\":";
  String(out_, IsoUtc(body.to_ms));
  out_ += ",\"unit\":\"Wh\",\"items\":[";
}

void HistoryWriter::Add(const Bucket& b) {
  powerwall::Add(all_, b.flows);
  if (!first_) out_.push_back(',');
  first_ = false;
  out_ += "{\"time\":\"";
  AppendIsoUtc(out_, b.start_ms);
  out_ += "\",\"end\":\"";
  AppendIsoUtc(out_, b.end_ms);
  out_ += "\",";
  Key(out_, label_key_);
  String(out_, b.label);
  out_ += ",\"intervals\":";
  Integer(out_, b.intervals);
  TotalFields(out_, b.flows, detail_ == HistoryBody::Detail::kMain ? kMainTotals : kAllTotals);
  if (detail_ == HistoryBody::Detail::kFlows) {
    out_ += ",\"flows\":{";
    for (std::size_t i = 0; i < kFlowCount; ++i) {
      if (i > 0) out_.push_back(',');
      Key(out_, kFlowNames[i]);
      Number(out_, b.flows[i]);
    }
    out_.push_back('}');
  }
  out_.push_back('}');
}

std::string HistoryWriter::Finish() {
  out_ += "],\"totals\":{";
  const std::size_t open = out_.size();
  TotalFields(out_, all_, kAllTotals);
  out_.erase(open, 1);  // the first field's comma
  out_ += "}}";
  return std::move(out_);
}

std::string HistoryJson(const HistoryBody& body, const std::vector<Bucket>& buckets) {
  HistoryWriter writer(body, buckets.size());
  for (const auto& b : buckets) writer.Add(b);
  return writer.Finish();
}

}  // namespace tessie::powerwall
