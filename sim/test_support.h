#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

#include "scenario.h"
#include "simulator.h"

namespace tessie::sim::testing {

// Test helpers shared by the *_test.cpp files. Not thread-safe.

inline Scenario TestScenario() { return LoadScenario(std::string(TESSIE_SIM_SCENARIOS_DIR) + "/test.yaml"); }

inline Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

// A simulator on the test scenario, stepped clock, with a token carrying every scope.
class SimFixture {
 public:
  SimFixture() : sim_(TestScenario(), "http://sim.test", 0) {
    const auto grant = ParseObject(Call("POST", "/sim/tokens").body);
    access_token_ = grant->getValue<std::string>("access_token");
    refresh_token_ = grant->getValue<std::string>("refresh_token");
  }

  HttpResponse Call(const std::string& method, const std::string& path, std::map<std::string, std::string> query = {},
                    const std::string& body = "", const std::string& token = "") {
    HttpRequest request{method, path, std::move(query), token.empty() ? "" : "Bearer " + token, body};
    return sim_.Handle(request);
  }
  HttpResponse Api(const std::string& path, std::map<std::string, std::string> query = {}) {
    return Call("GET", path, std::move(query), "", access_token_);
  }
  // Sets the clock and issues a fresh token valid at the new time.
  void AdvanceTo(const std::string& time) {
    Call("POST", "/sim/clock", {}, R"({"set":")" + time + R"("})");
    access_token_ = ParseObject(Call("POST", "/sim/tokens").body)->getValue<std::string>("access_token");
  }

  Simulator& Sim() { return sim_; }
  const std::string& AccessToken() const { return access_token_; }
  const std::string& RefreshToken() const { return refresh_token_; }

 private:
  Simulator sim_;
  std::string access_token_;
  std::string refresh_token_;
};

inline constexpr const char* kCommuterVin = "LRW3F7EK4NC000001";
inline constexpr const char* kSiteId = "123456";
inline const std::string kAllSections =
    "charge_state;climate_state;drive_state;location_data;vehicle_state;vehicle_config;gui_settings";

}  // namespace tessie::sim::testing
