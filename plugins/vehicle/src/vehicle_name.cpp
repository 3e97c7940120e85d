#include "vehicle_name.hpp"

#include <algorithm>
#include <cctype>

namespace tessie::vehicle {

namespace {

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Fallback(const std::string& car_type, const std::string& vin) {
  const std::string model = ModelName(car_type, vin);
  const std::string tail = vin.size() > 4 ? vin.substr(vin.size() - 4) : vin;
  return (model.empty() ? std::string("Tesla") : model) + " \u2026" + tail;
}

}  // namespace

std::string ModelName(const std::string& car_type, const std::string& vin) {
  const std::string t = Lower(Trim(car_type));
  if (t.rfind("model3", 0) == 0) return "Model 3";
  if (t.rfind("modely", 0) == 0) return "Model Y";
  if (t.rfind("models", 0) == 0) return "Model S";
  if (t.rfind("modelx", 0) == 0) return "Model X";
  if (t.rfind("cybertruck", 0) == 0) return "Cybertruck";
  if (t.rfind("roadster", 0) == 0) return "Roadster";
  if (t.rfind("semi", 0) == 0) return "Semi";
  if (vin.size() == 17) {
    switch (std::toupper(static_cast<unsigned char>(vin[3]))) {
      case '3':
        return "Model 3";
      case 'Y':
        return "Model Y";
      case 'S':
        return "Model S";
      case 'X':
        return "Model X";
      case 'C':
        return "Cybertruck";
      case 'R':
        return "Roadster";
      case 'T':
        return "Semi";
      default:
        break;
    }
  }
  return "";
}

std::string VehicleName(const std::string& list_name, const std::string& vehicle_name, const std::string& car_type,
                        const std::string& vin) {
  if (auto name = Trim(list_name); !name.empty()) return name;
  if (auto name = Trim(vehicle_name); !name.empty()) return name;
  return Fallback(car_type, vin);
}

bool IsFallbackName(const std::string& name, const std::string& car_type, const std::string& vin) {
  return name.empty() || name == Fallback(car_type, vin) || name == Fallback("", vin);
}

}  // namespace tessie::vehicle
