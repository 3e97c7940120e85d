// A minute of load while the host syncs the simulator at speed: 32 clients, most on kept-alive connections, across
// every GET route, with and without a login token. What a user would notice: the host stays up, answers every
// request without a server error, and its memory stays bounded. (Figures: make bench, the soak section.)
#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "host_process.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "soak-test-password-2b7e";

long RssKb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The first "id" in the JSON of a list route (any array of objects in it), or "1".
std::string FirstId(const HttpResult& list) {
  if (list.status != 200) return "1";
  std::function<std::string(const Poco::Dynamic::Var&)> find = [&](const Poco::Dynamic::Var& v) -> std::string {
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
      auto o = v.extract<Poco::JSON::Object::Ptr>();
      for (const auto& key : {"id", "energy_site_id", "site_id", "vehicle_id"}) {
        if (o->has(key) && !o->get(key).isEmpty()) return o->get(key).toString();
      }
      for (const auto& [key, value] : *o) {
        if (auto id = find(value); !id.empty()) return id;
      }
    } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto a = v.extract<Poco::JSON::Array::Ptr>();
      for (std::size_t i = 0; i < a->size(); ++i) {
        if (auto id = find(a->get(static_cast<unsigned>(i))); !id.empty()) return id;
      }
    }
    return "";
  };
  try {
    const auto id = find(list.Parsed());
    return id.empty() ? "1" : id;
  } catch (const std::exception&) {
    return "1";
  }
}

TEST(Soak, AMinuteOf32ClientsOnEveryGetRouteWhileSyncing) {
  const auto dir = FreshTestDir();
  SimProcess sim(dir, "test", 600);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() + "\nplugin_dir: " +
                       PluginDir().string() + "\nlog_level: info\nclock:\n  simulator_url: " + sim.Url() +
                       "\ntesla:\n  base_url: " + sim.Url() + "\n  auth_url: " + sim.Url() +
                       "/oauth2/v3/token\n  client_id: tessie-stats\n"
                       "plugins:\n  powerwall:\n    backfill_max_days: 2\n",
                   {{"TESSIE_ADMIN_PASSWORD", kPassword}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token = host.Login(kPassword);
  ASSERT_EQ(host.Post("/api/auth/token", "{\"refresh_token\": \"" + sim.NewRefreshToken() + "\"}", token).status, 201);
  ASSERT_EQ(host.Post("/api/sync/trigger", "", token).status, 202);
  ASSERT_TRUE(Eventually([&] { return host.Get("/api/vehicles", token).body.find("\"id\"") != std::string::npos; },
                         std::chrono::seconds(60)))
      << host.Get("/api/vehicles", token).body << host.Log();

  // Every GET route of the route table, its parameters filled from the list routes.
  std::vector<std::string> paths;
  const auto routes = host.Get("/api/routes", token).Json()->getArray("routes");
  for (std::size_t i = 0; i < routes->size(); ++i) {
    const auto r = routes->getObject(static_cast<unsigned>(i));
    if (r->getValue<std::string>("method") != "GET") continue;
    std::string pattern = r->getValue<std::string>("path");
    if (pattern == "/*path") {
      paths.push_back("/");
      paths.push_back("/vehicles");
      continue;
    }
    std::string path;
    for (std::size_t pos = 0; pos < pattern.size();) {
      const auto colon = pattern.find(':', pos);
      if (colon == std::string::npos) {
        path += pattern.substr(pos);
        break;
      }
      path += pattern.substr(pos, colon - pos);
      const auto end = std::min(pattern.find('/', colon), pattern.size());
      path += FirstId(host.Get(path.substr(0, path.size() - 1), token));
      pos = end;
    }
    paths.push_back(path);
  }
  ASSERT_GE(paths.size(), 25u);

  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long rss_before = RssKb(host.Pid());
  std::atomic<long> answered{0}, failed{0};
  std::mutex mutex;
  std::set<std::string> server_errors;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  std::vector<std::thread> clients;
  for (int c = 0; c < 32; ++c) {
    clients.emplace_back([&, c] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(host.Port()));
      session.setTimeout(Poco::Timespan(30, 0));
      // Most clients keep their connection, as browsers and Home Assistant do; every fourth opens one per
      // request (Connection: close), so connections come and go all the time too.
      session.setKeepAlive(c % 4 != 1);
      const bool with_token = c % 4 != 0;  // a quarter of the clients never log in
      for (std::size_t i = static_cast<std::size_t>(c); std::chrono::steady_clock::now() < until; ++i) {
        const auto& path = paths[i % paths.size()];
        try {
          Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
          if (with_token) request.set("Authorization", "Bearer " + token);
          session.sendRequest(request);
          Poco::Net::HTTPResponse response;
          std::istream& body = session.receiveResponse(response);
          Poco::NullOutputStream sink;
          Poco::StreamCopier::copyStream(body, sink);
          ++answered;
          if (response.getStatus() >= 500) {
            std::lock_guard lock(mutex);
            server_errors.insert(std::to_string(response.getStatus()) + " " + path);
          }
        } catch (const Poco::Exception& e) {
          ++failed;
          session.reset();
          std::lock_guard lock(mutex);
          server_errors.insert("no answer: " + path + ": " + e.displayText());
        }
      }
    });
  }
  for (auto& t : clients) t.join();
  const long rss_after = RssKb(host.Pid());
  std::cout << "soak: " << answered << " answers in 60 s (" << answered / 60 << " req/s), " << failed
            << " without answer; RSS " << rss_before / 1024 << " MB -> " << rss_after / 1024 << " MB\n";

  EXPECT_TRUE(host.Running()) << host.Log();
  EXPECT_EQ(failed, 0);
  EXPECT_TRUE(server_errors.empty()) << *server_errors.begin() << " (and " << server_errors.size() - 1 << " more)";
  EXPECT_GT(answered, 1000);
  // Bounded: the caches and buffers of a busy minute, not a leak per request.
  EXPECT_LT(rss_after, std::max(2 * rss_before, rss_before + 128 * 1024)) << rss_before << " -> " << rss_after;
  EXPECT_EQ(host.Get("/api/health", "").status, 200);
  EXPECT_EQ(host.Stop(), 0) << host.Log();
}

}  // namespace
}  // namespace tessie::testing
