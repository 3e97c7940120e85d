#pragma once
// Civil dates and IANA time zones for the local days, weeks, months and years of the stats
// (tessie/local_time.hpp).
#include "tessie/local_time.hpp"

namespace tessie::solar {

using local_time::AddDays;
using local_time::CivilDate;
using local_time::CivilFromDays;
using local_time::DaysFromCivil;
using local_time::IsoWeekday;
using local_time::IsValidDate;
using local_time::ToString;
using LocalZone = local_time::Zone;

}  // namespace tessie::solar
