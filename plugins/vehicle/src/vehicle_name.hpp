#pragma once
#include <string>

namespace tessie::vehicle {

// The model's name from vehicle_config.car_type ("model3", "modely", "models2", "cybertruck", ...) or, when
// that is unknown, from the VIN's 4th character (Tesla's model code: S, 3, X, Y, C, R, T). "" when neither
// tells.
std::string ModelName(const std::string& car_type, const std::string& vin);

// The name a car is shown under, the same in REST, the dashboard and Home Assistant:
//   1. the name in the account's vehicle list (display_name), when it has one;
//   2. else the name set in the car (vehicle_data → vehicle_state.vehicle_name), when known;
//   3. else the model and the VIN's last four characters, "Model 3 …1234" (or "Tesla …1234").
// Names made of blanks count as none.
std::string VehicleName(const std::string& list_name, const std::string& vehicle_name, const std::string& car_type,
                        const std::string& vin);

// True when `name` is what VehicleName's third rule gives for this car (a placeholder a real name replaces).
bool IsFallbackName(const std::string& name, const std::string& car_type, const std::string& vin);

}  // namespace tessie::vehicle
