#pragma once

#include <Poco/JSON/Object.h>

namespace tessie::sim {

// Fresh (deep, key-ordered) copies of the static parts of Fleet API responses; callers fill in the values
// the simulation drives. Each call parses anew, so results may be modified freely. Thread-safe.
Poco::JSON::Object::Ptr ChargeStateTemplate();
Poco::JSON::Object::Ptr ClimateStateTemplate();
Poco::JSON::Object::Ptr VehicleConfigTemplate();
Poco::JSON::Object::Ptr VehicleStateTemplate();
Poco::JSON::Object::Ptr ChargeScheduleDataTemplate();
Poco::JSON::Object::Ptr SiteInfoTemplate();
Poco::JSON::Object::Ptr ProductsSiteTemplate();

}  // namespace tessie::sim
