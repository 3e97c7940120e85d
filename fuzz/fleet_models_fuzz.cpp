// Fleet API response bodies → typed models (core/src/fleet/fleet_models.cpp). Every parser gets the same bytes:
// documented outcomes are a model or sdk::FleetError(kMalformed); anything else (another exception, a crash, a
// sanitizer report) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fleet/fleet_models.hpp"

namespace {

template <class F>
void Expect(F parse) {
  try {
    parse();
  } catch (const tessie::sdk::FleetError& e) {
    if (e.Kind() != tessie::sdk::FleetErrorKind::kMalformed) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tessie::core::fleet;
  const std::string body(reinterpret_cast<const char*>(data), size);
  Expect([&] { ParseProducts(body); });
  Expect([&] { ParseVehicleList(body); });
  Expect([&] { ParseVehicle(body); });
  Expect([&] { ParseVehicleData(body); });
  Expect([&] { ParseLiveStatus(body); });
  Expect([&] { ParseSiteInfo(body); });
  Expect([&] { ParseEnergyHistory(body); });
  Expect([&] { ParseBackupHistory(body); });
  // Never throw.
  ParseErrorBody(body);
  const auto target = RegionRedirectFromBody(body);
  IsTrustedRegionRedirect(target, "https://fleet-api.prd.na.vn.cloud.tesla.com");
  ParseRfc3339Ms(body.substr(0, 64));
  return 0;
}
