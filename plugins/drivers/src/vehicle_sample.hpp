#pragma once
// The vehicle plugin's event reduced to what drive detection needs. Plain logic.
#include "drive_detector.hpp"
#include "drive_recorder.hpp"
#include "tessie/sdk/events/vehicle.hpp"

namespace tessie::drivers {

// `state` must have data (has_data). The time is the event's, else the data's own timestamp; a car that is
// charging or starting to charge is `charging`.
DriveSample ToSample(const sdk::events::VehicleState& state);
VehicleLabel LabelOf(const sdk::events::VehicleState& state);

}  // namespace tessie::drivers
