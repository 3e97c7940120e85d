#pragma once
// IANA time zones for rules that depend on local time (tessie/local_time.hpp).
#include "tessie/local_time.hpp"

namespace tessie::drivers {

using LocalTime = local_time::LocalDateTime;
using TimeZone = local_time::Zone;

}  // namespace tessie::drivers
