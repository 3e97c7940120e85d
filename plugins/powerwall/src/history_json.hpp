#pragma once
// The JSON body of GET /api/energy/sites/:id/history, written directly into one string: a year at hour
// resolution is 8,784 buckets, too many to build as Poco::JSON objects within the route's latency budget.
#include <cstdint>
#include <string>
#include <vector>

#include "energy_math.hpp"

namespace tessie::powerwall {

struct HistoryBody {
  std::int64_t energy_site_id = 0;
  std::string time_zone;
  Resolution resolution = Resolution::kHour;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  enum class Detail {
    kMain,       // per bucket: solar, home, grid import/export, battery charge/discharge, generator
    kBreakdown,  // and the from → to breakdown (solar_to_home_wh, …)
    kFlows,      // and the 16 calendar_history flows
  };
  Detail detail = Detail::kMain;
};

// {"energy_site_id", "time_zone", "resolution", "from", "to", "unit": "Wh", "items": [...], "totals": {...}}.
// Each item: time, end, then local_time (5min, hour), date (day) or month, intervals, then the totals `detail`
// names; "totals" always has every EnergyTotals field. Energy is rounded to 0.001 Wh.
//
// Written a bucket at a time, so that a caller streaming rows from storage never holds all the buckets.
class HistoryWriter {
 public:
  // `expected_buckets` only sizes the buffer.
  HistoryWriter(const HistoryBody& body, std::size_t expected_buckets);
  void Add(const Bucket& bucket);
  // The whole body; the writer is spent afterwards.
  std::string Finish();

 private:
  HistoryBody::Detail detail_;
  const char* label_key_;
  std::string out_;
  Flows all_{};
  bool first_ = true;
};

std::string HistoryJson(const HistoryBody& body, const std::vector<Bucket>& buckets);

}  // namespace tessie::powerwall
