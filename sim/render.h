#pragma once

#include <Poco/JSON/Object.h>

#include <set>
#include <string>

#include "energy_model.h"
#include "vehicle_model.h"

namespace tessie::sim {

// Fleet API response bodies (the part inside {"response": ...}) built from the models.
// Thread-safety: as the models passed in (EnergyModel methods extend its cache).

// for_products adds vehicle_config, command_signing and release_notes_supported, as /products lists them.
Poco::JSON::Object::Ptr RenderVehicleSummary(const VehicleModel& model, std::int64_t account_id,
                                             const std::string& state, bool for_products, double now_s);
// sections: vehicle_data `endpoints` names; location_data adds the position fields to drive_state.
Poco::JSON::Object::Ptr RenderVehicleData(const VehicleModel& model, std::int64_t account_id, const std::string& state,
                                          const std::set<std::string>& sections, double now_s);
Poco::JSON::Object::Ptr RenderProductsSite(EnergyModel& site, double now_s);
Poco::JSON::Object::Ptr RenderSiteInfo(const EnergyModel& site);
Poco::JSON::Object::Ptr RenderLiveStatus(EnergyModel& site, double now_s);
// period: day (5-minute rows) | week | month (daily rows) | year (monthly rows) | lifetime (yearly rows),
// buckets in `zone`; only steps that have ended by now_s count.
Poco::JSON::Object::Ptr RenderEnergyHistory(EnergyModel& site, const std::string& period, double from_s, double to_s,
                                            const TimeZone& zone, double now_s);
Poco::JSON::Object::Ptr RenderBackupHistory(const EnergyModel& site, double from_s, double to_s, const TimeZone& zone,
                                            double now_s);
// Energy flows as the calendar_history field names, in the real field order.
Poco::JSON::Object::Ptr RenderEnergyRow(const std::string& timestamp, const EnergyFlows& flows);

std::string GatewaySerial(const EnergySiteSpec& spec);

}  // namespace tessie::sim
