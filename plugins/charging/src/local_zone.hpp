#pragma once
// IANA time zones (tessie/local_time.hpp) for local months, local dates and time-of-use periods.
#include "tessie/local_time.hpp"

namespace tessie::charging {

using local_time::AddDays;
using local_time::CivilDate;
using local_time::CivilFromDays;
using local_time::DaysFromCivil;
using LocalZone = local_time::Zone;

}  // namespace tessie::charging
