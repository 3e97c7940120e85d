#pragma once
// Matching what the host found (drives, charging sessions over REST) against what the simulator did
// (GET /sim/truth), for the end-to-end tests. Each test asserts its own tolerances on the pairs.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace tessie::testing {

// UTC epoch ms of an ISO 8601 / RFC 3339 time.
double ParseMs(const std::string& iso);

// One of the simulator's drives or charges and every host record that overlaps it in time.
struct TruthMatch {
  Poco::JSON::Object::Ptr truth;
  double start_ms = 0, end_ms = 0;  // the truth's
  struct Found {
    Poco::JSON::Object::Ptr record;
    double start_ms = 0, end_ms = 0;  // the host's
  };
  std::vector<Found> found;
};

// The simulator's drives of at least `min_duration_s`, each with the host's drives (start_time, end_time)
// that overlap it.
std::vector<TruthMatch> MatchDrives(const Poco::JSON::Array::Ptr& truth, const Poco::JSON::Array::Ptr& host,
                                    double min_duration_s = 300);
// The simulator's charges, each with the host's sessions (started_at, ended_at; an open one counts as an
// instant) that overlap it, a session seen up to `late_start_ms` after the charge ended included (the host
// notices a charge at its next poll).
std::vector<TruthMatch> MatchCharges(const Poco::JSON::Array::Ptr& truth, const Poco::JSON::Array::Ptr& host,
                                     double late_start_ms);

}  // namespace tessie::testing
