#pragma once
// GET /api/energy/sites[/:id[/live|/history|/outages]] (openapi.yaml): input parsing in site_query.hpp, reads
// through the store, JSON here and in history_json.hpp.
//
// Threads: handlers run on HTTP workers, several at once; they only read (store and zones are thread-safe).
#include "powerwall_store.hpp"
#include "site_registry.hpp"
#include "tessie/sdk/clock.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::powerwall {

class PowerwallRoutes {
 public:
  PowerwallRoutes(PowerwallStore& store, SiteZones& zones, const sdk::Clock& clock)
      : store_(store), zones_(zones), clock_(clock) {}

  // The routes capture `this`: it must outlive them (the plugin owns both; the host revokes routes at stop).
  void Register(sdk::HttpRoutes& http);

 private:
  sdk::HttpResponse Sites();
  sdk::HttpResponse OneSite(const sdk::HttpRequest& request);
  sdk::HttpResponse Live(const sdk::HttpRequest& request);
  sdk::HttpResponse History(const sdk::HttpRequest& request);
  sdk::HttpResponse Outages(const sdk::HttpRequest& request);

  PowerwallStore& store_;
  SiteZones& zones_;
  const sdk::Clock& clock_;
};

}  // namespace tessie::powerwall
