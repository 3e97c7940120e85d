// Resilience of the real host against the simulator's ground truth (issue 7): kill -9 during a simulated
// day, PostgreSQL stopped for two minutes, Mosquitto restarted, Fleet API storms, and 1,000 token rotations
// with crashes between receiving and storing a new refresh token. PostgreSQL and Mosquitto are private to
// each test (tests/env/services.sh in the test's directory), so stopping them touches nothing else.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "host_process.hpp"
#include "resilience_support.hpp"
#include "sim_process.hpp"
#include "truth_match.hpp"

namespace tessie::testing {
namespace {

using namespace std::chrono_literals;

const std::string kPassword = "resilience-test-password";
const std::string kCommuterVin = "LRW3F7EK4NC000001";
const std::int64_t kCommuter = 1492932717794313;

Poco::JSON::Array::Ptr Items(const HttpResult& r) { return r.Json()->getArray("items"); }

// The host's config: the shipped plugins (powerwall and solar off unless `energy`), the simulator as the
// Fleet API, optionally its clock.
// `vehicle` adds keys to plugins.vehicle, `tesla` to tesla, `extra` top-level sections.
std::string HostConfig(const std::filesystem::path& dir, SimProcess& sim, bool sim_clock, const std::string& extra,
                       const std::string& vehicle = "", const std::string& tesla = "") {
  std::string c = "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                  "\nplugin_dir: " + PluginDir().string() + "\n";
  if (sim_clock) c += "clock:\n  simulator_url: " + sim.Url() + "\n";
  c += "tesla:\n  base_url: " + sim.Url() + "\n  auth_url: " + sim.Url() +
       "/oauth2/v3/token\n  client_id: tessie-stats\n  daily_budget_usd: 1.0\n" + tesla;
  c += "plugins:\n  vehicle:\n    places:\n      - {name: Home, latitude: 51.5, longitude: -0.12, radius_m: 150}\n" +
       vehicle + "  powerwall:\n    enabled: false\n  solar:\n    enabled: false\n";
  return c + extra;
}

class Resilience : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = FreshTestDir(); }

  bool StartHost(const std::string& config, std::map<std::string, std::string> env = {}) {
    env["TESSIE_ADMIN_PASSWORD"] = kPassword;
    host_ = std::make_unique<HostProcess>(dir_, config, env);
    if (!host_->Start(60s)) return false;
    token_ = host_->Login(kPassword);
    return !token_.empty();
  }
  void Connect(SimProcess& sim) {
    const auto stored =
        host_->Post("/api/auth/token", "{\"refresh_token\": \"" + sim.NewRefreshToken() + "\"}", token_);
    ASSERT_EQ(stored.status, 201) << stored.body;
  }
  std::map<std::string, double> Metrics() {
    const auto r = host_->Get("/metrics", token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return ParseMetrics(r.body);
  }

  std::filesystem::path dir_;
  std::unique_ptr<HostProcess> host_;
  std::string token_;
};

// ---- kill -9 ×100 during a simulated day -----------------------------------------------------------

// Read-only look into the host's SQLite file (WAL: readers never block the host).
class SqliteReader {
 public:
  explicit SqliteReader(const std::filesystem::path& file) {
    Poco::Data::SQLite::Connector::registerConnector();
    session_ = std::make_unique<Poco::Data::Session>("SQLite", file.string());
  }
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    for (int attempt = 0;; ++attempt) {
      try {
        Poco::Data::Statement stmt(*session_);
        stmt << sql;
        stmt.execute();
        Poco::Data::RecordSet rs(stmt);
        for (std::size_t r = 0; r < rs.rowCount(); ++r) {
          std::vector<std::string> row;
          for (std::size_t c = 0; c < rs.columnCount(); ++c)
            row.push_back(rs.value(c, r).isEmpty() ? "NULL" : rs.value(c, r).convert<std::string>());
          out.push_back(std::move(row));
        }
        return out;
      } catch (const Poco::Exception&) {
        if (attempt > 50) throw;  // busy while the host checkpoints: try again
        std::this_thread::sleep_for(20ms);
      }
    }
  }

 private:
  std::unique_ptr<Poco::Data::Session> session_;
};

TEST_F(Resilience, KillNineAHundredTimesDuringASimulatedDayLosesAndDuplicatesNothing) {
  SimProcess sim(dir_, "test", 0);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  sim.Advance(6 * 3600 + 30 * 60);  // 06:30, before the first drive
  const std::string config = HostConfig(dir_, sim, true, "");
  ASSERT_TRUE(StartHost(config)) << host_->Log();
  Connect(sim);
  ASSERT_EQ(host_->Post("/api/sync/trigger", "", token_).status, 202);
  ASSERT_TRUE(Eventually([&] { return Items(host_->Get("/api/vehicles", token_))->size() == 2; }, 30s)) << host_->Log();

  // Every charge and drive of the day happens between 07:00 and about 20:30 (sim/scenarios/test.yaml).
  const std::string until = "2026-06-01T21:00:00Z";
  sim.Post("/sim/clock", "{\"speed\": 400}");
  std::mt19937 rng(20261127);
  std::uniform_int_distribution<int> delay_ms(0, 1500);
  std::set<std::pair<std::string, std::string>> seen_states;             // (vehicle_id, ts_ms)
  std::map<std::string, std::vector<std::string>> seen_closed_sessions;  // id → started, ended, energy
  std::map<std::string, std::vector<std::string>> seen_closed_drives;    // id → start, end, distance
  std::vector<std::pair<double, double>> downtime;                       // simulated [killed, back up], epoch ms
  constexpr double kStateCheckMs = 60'000;  // the adaptive policy's state check while parked
  int kills = 0;
  for (; kills < 100; ++kills) {
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    // What is committed now must survive the kill that follows.
    SqliteReader db(dir_ / "data" / "tessie.db");
    for (const auto& r : db.Rows("SELECT vehicle_id, ts_ms FROM vehicle_states")) seen_states.insert({r[0], r[1]});
    for (const auto& r : db.Rows("SELECT id, started_ms, ended_ms, ROUND(energy_added_kwh, 3) FROM "
                                 "charging_sessions WHERE ended_ms IS NOT NULL"))
      seen_closed_sessions[r[0]] = {r[1], r[2], r[3]};
    for (const auto& r : db.Rows("SELECT id, start_ms, end_ms, ROUND(distance_km, 3) FROM drivers_drives WHERE "
                                 "status = 'closed'"))
      seen_closed_drives[r[0]] = {r[1], r[2], r[3]};
    const double killed_at = ParseMs(sim.Get("/sim/clock").Json()->getValue<std::string>("now"));
    ASSERT_EQ(host_->Stop(SIGKILL), 128 + SIGKILL);
    ASSERT_TRUE(StartHost(config)) << "restart " << kills + 1 << " failed:\n" << host_->Log();
    downtime.emplace_back(killed_at, ParseMs(sim.Get("/sim/clock").Json()->getValue<std::string>("now")));
  }
  EXPECT_EQ(kills, 100);
  ASSERT_TRUE(Eventually([&] { return sim.Get("/sim/clock").Json()->getValue<std::string>("now") >= until; }, 600s));
  sim.Post("/sim/clock", "{\"speed\": 0}");
  std::this_thread::sleep_for(1s);  // the last polls settle
  const std::string sim_now = sim.Get("/sim/clock").Json()->getValue<std::string>("now");

  SqliteReader db(dir_ / "data" / "tessie.db");
  // No committed row lost.
  std::set<std::pair<std::string, std::string>> final_states;
  for (const auto& r : db.Rows("SELECT vehicle_id, ts_ms FROM vehicle_states")) final_states.insert({r[0], r[1]});
  std::size_t lost = 0;
  for (const auto& s : seen_states) lost += final_states.count(s) ? 0 : 1;
  EXPECT_EQ(lost, 0u) << "of " << seen_states.size() << " committed vehicle states";
  EXPECT_GT(seen_states.size(), 50u) << "too few samples to mean anything";
  // No duplicate rows.
  EXPECT_TRUE(
      db.Rows("SELECT vehicle_id, ts_ms FROM vehicle_states GROUP BY vehicle_id, ts_ms HAVING COUNT(*) > 1").empty());
  EXPECT_TRUE(
      db.Rows("SELECT session_id, ts_ms FROM charging_samples GROUP BY session_id, ts_ms HAVING COUNT(*) > 1").empty());
  // Closed sessions and drives stay as they were committed.
  for (const auto& [id, values] : seen_closed_sessions) {
    const auto now =
        db.Rows("SELECT started_ms, ended_ms, ROUND(energy_added_kwh, 3) FROM charging_sessions WHERE id = " + id);
    ASSERT_EQ(now.size(), 1u) << "closed charging session " << id << " disappeared";
    EXPECT_EQ(now[0], values) << "closed charging session " << id << " changed";
  }
  for (const auto& [id, values] : seen_closed_drives) {
    const auto now = db.Rows("SELECT start_ms, end_ms, ROUND(distance_km, 3) FROM drivers_drives WHERE id = " + id);
    ASSERT_EQ(now.size(), 1u) << "completed drive " << id << " disappeared";
    EXPECT_EQ(now[0], values) << "completed drive " << id << " changed";
  }
  // Nothing left open or overlapping, and each charge and drive of the day recorded exactly once.
  EXPECT_TRUE(db.Rows("SELECT vehicle_id FROM charging_vehicle_state WHERE open_session_id IS NOT NULL").empty());
  EXPECT_TRUE(db.Rows("SELECT a.id FROM charging_sessions a JOIN charging_sessions b ON a.vehicle_id = b.vehicle_id "
                      "AND a.id < b.id AND a.started_ms < b.ended_ms AND b.started_ms < a.ended_ms")
                  .empty())
      << "overlapping charging sessions";
  EXPECT_TRUE(db.Rows("SELECT a.id FROM drivers_drives a JOIN drivers_drives b ON a.vehicle_id = b.vehicle_id "
                      "AND a.id < b.id AND a.start_ms < b.end_ms AND b.start_ms < a.end_ms")
                  .empty())
      << "overlapping drives";
  EXPECT_TRUE(db.Rows("SELECT id FROM drivers_drives WHERE status <> 'closed' OR end_ms < start_ms").empty());
  EXPECT_TRUE(db.Rows("SELECT id FROM charging_sessions WHERE ended_ms IS NULL OR ended_ms < started_ms OR "
                      "energy_added_kwh < 0")
                  .empty());

  auto vehicles = sim.Get("/sim/truth").Json()->getArray("vehicles");
  int drives_begun_while_down = 0;
  for (std::size_t v = 0; v < vehicles->size(); ++v) {
    const auto truth = vehicles->getObject(static_cast<unsigned>(v));
    const std::string vin = truth->getValue<std::string>("vin");
    SCOPED_TRACE(vin);
    const auto sessions = Items(host_->Get("/api/charging/sessions?vehicle=" + vin + "&limit=500", token_));
    auto charges = truth->getArray("charges");
    EXPECT_EQ(sessions->size(), charges->size());
    for (const auto& m : MatchCharges(charges, sessions, 15 * 60'000)) {
      const std::string at = m.truth->getValue<std::string>("start");
      EXPECT_EQ(m.found.size(), 1u) << "charge at " << at;
      for (const auto& h : m.found) {
        const double kwh = m.truth->getValue<double>("energy_added_kwh");
        EXPECT_NEAR(h.record->getValue<double>("energy_added_kwh"), kwh, 0.05 * kwh) << at;
      }
    }
    const auto found = Items(host_->Get("/api/drives?vehicle=" + vin + "&limit=500", token_));
    for (const auto& m : MatchDrives(truth->getArray("drives"), found)) {
      const std::string at = m.truth->getValue<std::string>("start");
      EXPECT_EQ(m.found.size(), 1u) << "drive at " << at;
      // A drive that began while the host was down (and the car had not been seen parked since it woke) starts
      // at the host's first sample: it may be short by what was driven meanwhile, never long.
      const bool began_while_down = std::any_of(downtime.begin(), downtime.end(), [&](const auto& w) {
        return m.start_ms >= w.first - kStateCheckMs && m.start_ms <= w.second + kStateCheckMs;
      });
      for (const auto& h : m.found) {
        const double km = m.truth->getValue<double>("distance_km");
        if (began_while_down) {
          ++drives_begun_while_down;
          EXPECT_LE(h.record->getValue<double>("distance_km"), km + 0.05 * km + 1.0) << at;
        } else {
          EXPECT_NEAR(h.record->getValue<double>("distance_km"), km, 0.05 * km + 1.0) << at;
        }
      }
    }
  }
  std::cout << "[ figures  ] " << kills << " kills, " << seen_states.size() << " committed states checked, "
            << seen_closed_sessions.size() << " closed sessions, " << seen_closed_drives.size() << " drives ("
            << drives_begun_while_down << " begun while the host was down); simulated time at the end " << sim_now
            << "\n";
}

// ---- PostgreSQL stopped for two minutes ------------------------------------------------------------

// vehicle_data answers (200) the simulator served, per VIN, split at `split_ms` (simulated epoch ms).
std::map<std::string, std::pair<int, int>> ServedData(SimProcess& sim, std::int64_t split_ms) {
  std::map<std::string, std::pair<int, int>> out;
  const auto list = sim.Get("/sim/requests?limit=20000").Json()->getArray("requests");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto r = list->getObject(static_cast<unsigned>(i));
    if (r->getValue<std::string>("path").find("/vehicle_data") == std::string::npos) continue;
    if (r->getValue<int>("status") != 200) continue;
    auto& [before, after] = out[r->getValue<std::string>("vehicle")];
    (r->getValue<std::int64_t>("epoch_ms") < split_ms ? before : after)++;
  }
  return out;
}

std::int64_t SimNowMs(SimProcess& sim) {
  return static_cast<std::int64_t>(sim.Get("/sim/clock").Json()->getValue<double>("epoch_s") * 1000);
}

TEST_F(Resilience, PostgresStoppedForTwoMinutesBuffersWithinTheBoundAndWritesItBack) {
  PrivateServices services(dir_ / "services");
  ASSERT_TRUE(services.Start()) << services.Log();
  services.Psql("CREATE DATABASE tessie_small OWNER tessie");
  // Two hosts on the same server, each with its own simulator: one with room for the whole outage, one
  // whose buffer overflows.
  struct Side {
    std::filesystem::path dir;
    std::unique_ptr<SimProcess> sim;
    std::unique_ptr<HostProcess> host;
    std::string token, database;
    std::size_t bound;
  };
  std::vector<Side> sides(2);
  sides[0].database = "tessie_test";
  sides[0].bound = 10000;
  sides[1].database = "tessie_small";
  sides[1].bound = 40;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    auto& s = sides[i];
    s.dir = dir_ / ("host" + std::to_string(i));
    std::filesystem::create_directories(s.dir);
    s.sim = std::make_unique<SimProcess>(s.dir, "test", 0);
    ASSERT_TRUE(s.sim->Start()) << s.sim->Log();
    // 06:58: the commuter leaves at 07:00; polled every simulated minute (2 s of real time at 30x), it
    // stays awake after the drive, so samples keep coming during the whole outage.
    s.sim->Advance(6 * 3600 + 58 * 60);
    const std::string config = HostConfig(s.dir, *s.sim, true,
                                          "storage:\n  url: " + services.PgUrl(s.database) + "\n  buffer_max_rows: " +
                                              std::to_string(s.bound) + "\nmetrics:\n  public: true\n",
                                          "    polling: fixed\n    interval: 1m\n");
    s.host = std::make_unique<HostProcess>(s.dir, config,
                                           std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword}});
    ASSERT_TRUE(s.host->Start(60s)) << s.host->Log();
    s.token = s.host->Login(kPassword);
    const auto stored =
        s.host->Post("/api/auth/token", "{\"refresh_token\": \"" + s.sim->NewRefreshToken() + "\"}", s.token);
    ASSERT_EQ(stored.status, 201) << stored.body;
    ASSERT_EQ(s.host->Post("/api/sync/trigger", "", s.token).status, 202);
    ASSERT_TRUE(Eventually([&] { return Items(s.host->Get("/api/vehicles", s.token))->size() == 2; }, 30s));
  }
  for (auto& s : sides) s.sim->Post("/sim/clock", "{\"speed\": 30}");
  std::this_thread::sleep_for(5s);

  ASSERT_TRUE(services.Run("pg-stop")) << services.Log();
  std::vector<std::int64_t> outage_start;
  for (auto& s : sides) outage_start.push_back(SimNowMs(*s.sim));
  const auto stopped_at = std::chrono::steady_clock::now();
  bool saw_503 = false, saw_not_ready = false;
  std::vector<double> max_buffered(sides.size(), 0);
  while (std::chrono::steady_clock::now() - stopped_at < 120s) {
    for (std::size_t i = 0; i < sides.size(); ++i) {
      auto& s = sides[i];
      ASSERT_TRUE(s.host->Running()) << "the host died while PostgreSQL was down:\n" << s.host->Log();
      const auto m = ParseMetrics(s.host->Get("/metrics").body);
      max_buffered[i] = std::max(max_buffered[i], MetricSum(m, "tessie_storage_buffered_rows"));
      const auto health = s.host->Get("/api/health");
      if (health.status == 503 && !health.Json()->getValue<bool>("ready") && health.Json()->getValue<bool>("live"))
        saw_not_ready = true;
      if (s.host->Get("/api/health/live").status != 200) ADD_FAILURE() << "not live while PostgreSQL is down";
      if (s.host->Get("/api/vehicles", s.token).status == 503) saw_503 = true;
    }
    std::this_thread::sleep_for(2s);
  }
  EXPECT_TRUE(saw_not_ready) << "/api/health never said 'not ready' while the database was down";
  EXPECT_TRUE(saw_503) << "reads did not answer 503 while the database was down";
  ASSERT_TRUE(services.Run("pg-start")) << services.Log();
  const auto restarted_at = std::chrono::steady_clock::now();
  for (auto& s : sides) {
    ASSERT_TRUE(Eventually(
        [&] {
          const auto m = ParseMetrics(s.host->Get("/metrics").body);
          return MetricSum(m, "tessie_storage_buffered_rows") == 0 && MetricSum(m, "tessie_storage_available") == 1;
        },
        60s))
        << s.host->Log();
  }
  const auto flushed_after = std::chrono::steady_clock::now() - restarted_at;
  for (auto& s : sides) s.sim->Post("/sim/clock", "{\"speed\": 0}");
  std::this_thread::sleep_for(2s);  // the last polls settle

  for (std::size_t i = 0; i < sides.size(); ++i) {
    auto& s = sides[i];
    SCOPED_TRACE("buffer_max_rows " + std::to_string(s.bound));
    EXPECT_TRUE(s.host->Running());
    const auto m = ParseMetrics(s.host->Get("/metrics").body);
    const double dropped = MetricSum(m, "tessie_storage_dropped_rows_total");
    const auto served = ServedData(*s.sim, outage_start[i]);
    const std::string log = s.host->Log();
    EXPECT_NE(log.find("the database is unreachable"), std::string::npos);
    EXPECT_NE(log.find("the database is back"), std::string::npos);
    int total_served = 0, total_before = 0;
    std::int64_t total_stored = 0;
    for (const auto& [vin, counts] : served) {
      const auto rows = services.Psql(
          "SELECT COUNT(*) FROM vehicle_states s JOIN vehicles v ON v.id = s.vehicle_id "
          "WHERE v.vin = '" +
              vin + "'",
          s.database);
      const std::int64_t stored = std::stoll(rows);
      total_served += counts.first + counts.second;
      total_before += counts.first;
      total_stored += stored;
      if (i == 0) { EXPECT_EQ(stored, counts.first + counts.second) << vin << ": every sample the car sent is stored"; }
    }
    EXPECT_GT(total_served - total_before, 10) << "too few samples during the outage to mean anything";
    if (i == 0) {
      EXPECT_EQ(dropped, 0);
      EXPECT_GT(max_buffered[i], 10);
    } else {
      // The bound held: some rows were dropped, counted and logged; what fitted was written.
      EXPECT_GT(dropped, 0);
      EXPECT_LE(max_buffered[i], static_cast<double>(s.bound));
      EXPECT_NE(log.find("write buffer full (storage.buffer_max_rows = 40)"), std::string::npos);
      EXPECT_LT(total_stored, total_served);
      EXPECT_GT(total_stored, total_before) << "nothing of the buffer was written back";
    }
    std::cout << "[ figures  ] buffer_max_rows " << s.bound << ": " << total_served << " samples served ("
              << total_served - total_before << " during or after the outage), " << total_stored << " stored, peak "
              << max_buffered[i] << " rows buffered, " << dropped << " rows dropped\n";
  }
  std::cout << "[ figures  ] buffers written back within "
            << std::chrono::duration_cast<std::chrono::milliseconds>(flushed_after).count() << " ms of the restart\n";
}

// ---- Mosquitto restarted ------------------------------------------------------------------------

// The retained messages under `filters` a fresh subscriber receives (topic → payload).
std::map<std::string, std::string> Retained(const std::string& url, const std::vector<std::string>& filters) {
  std::map<std::string, std::string> out;
  std::mutex m;
  mqtt::async_client client(url, "retained-" + RandomSuffix(), mqtt::create_options(MQTTVERSION_3_1_1));
  client.set_message_callback([&](mqtt::const_message_ptr msg) {
    if (!msg->is_retained()) return;
    std::lock_guard lock(m);
    out[msg->get_topic()] = msg->to_string();
  });
  client.connect()->wait();
  for (const auto& f : filters) client.subscribe(f, 1)->wait();
  std::this_thread::sleep_for(1500ms);
  client.disconnect()->wait();
  std::lock_guard lock(m);
  return out;
}

TEST_F(Resilience, MosquittoRestartedTheBridgeReconnectsAndRepublishesDiscoveryAndStates) {
  PrivateServices services(dir_ / "services");
  ASSERT_TRUE(services.Start()) << services.Log();
  SimProcess sim(dir_, "test", 0);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  sim.Advance(7 * 3600 + 10 * 60);  // the commuter is driving: states with data
  const std::string suffix = RandomSuffix();
  const std::string base = "tessie_" + suffix, discovery = "ha_" + suffix;
  // The simulator's clock stands still (the commuter is mid-drive); the host polls every 2 s of real time.
  ASSERT_TRUE(StartHost(HostConfig(dir_, sim, false,
                                   "mqtt:\n  url: " + services.MqttUrl() + "\n  client_id: host-" + suffix +
                                       "\n  base_topic: " + base + "\n  discovery_prefix: " + discovery + "\n",
                                   "    state_check_interval: 2s\n    driving_interval: 2s\n")))
      << host_->Log();
  Connect(sim);
  ASSERT_EQ(host_->Post("/api/sync/trigger", "", token_).status, 202);
  const std::vector<std::string> filters = {discovery + "/#", base + "/#"};
  std::map<std::string, std::string> before;
  ASSERT_TRUE(Eventually(
      [&] {
        before = Retained(services.MqttUrl(), filters);
        std::size_t configs = 0, states = 0;
        for (const auto& [topic, payload] : before) {
          configs += topic.rfind(discovery + "/", 0) == 0 ? 1 : 0;
          states += topic.find(kCommuterVin) != std::string::npos && topic.rfind(base + "/", 0) == 0 ? 1 : 0;
        }
        return configs >= 2 && states > 5;  // a device config per car, a retained topic per entity
      },
      60s))
      << host_->Log();
  EXPECT_EQ(before[base + "/status"], "online");
  const double connects = MetricSum(Metrics(), "tessie_mqtt_connects_total");
  EXPECT_EQ(connects, 1);

  ASSERT_TRUE(services.Run("mq-stop")) << services.Log();
  ASSERT_TRUE(Eventually([&] { return MetricSum(Metrics(), "tessie_mqtt_connected") == 0; }, 30s));
  std::this_thread::sleep_for(5s);  // a few reconnect attempts against a closed port
  ASSERT_TRUE(host_->Running());
  ASSERT_TRUE(services.Run("mq-start")) << services.Log();
  ASSERT_TRUE(Eventually(
      [&] {
        const auto m = Metrics();
        return MetricSum(m, "tessie_mqtt_connected") == 1 && MetricSum(m, "tessie_mqtt_connects_total") == 2;
      },
      90s))
      << host_->Log();
  // The broker lost every retained message; the host put back all of them: availability, discovery, states.
  std::map<std::string, std::string> after;
  Eventually(
      [&] {
        after = Retained(services.MqttUrl(), filters);
        for (const auto& [topic, payload] : before)
          if (!after.count(topic)) return false;
        return true;
      },
      30s);
  EXPECT_EQ(after[base + "/status"], "online");
  for (const auto& [topic, payload] : before) {
    EXPECT_TRUE(after.count(topic)) << topic << " was not republished";
    if (topic.rfind(discovery + "/", 0) == 0 && after.count(topic)) { EXPECT_EQ(after[topic], payload) << topic; }
  }
  EXPECT_NE(host_->Log().find("connection lost"), std::string::npos);
  std::cout << "[ figures  ] " << before.size() << " retained topics before the restart, " << after.size()
            << " after\n";

  // After the restart a press of the Wake button is still exactly one wake_up (issue 12: command handlers
  // were registered again and one press ran each of them).
  const auto wakes = [&] {
    int n = 0;
    const auto list = sim.Get("/sim/requests?limit=20000").Json()->getArray("requests");
    for (std::size_t i = 0; i < list->size(); ++i)
      n += list->getObject(static_cast<unsigned>(i))->getValue<std::string>("path") ==
                   "/api/1/vehicles/" + std::to_string(kCommuter) + "/wake_up"
               ? 1
               : 0;
    return n;
  };
  ASSERT_EQ(wakes(), 0);
  mqtt::async_client press(services.MqttUrl(), "press-" + RandomSuffix(), mqtt::create_options(MQTTVERSION_3_1_1));
  press.connect()->wait();
  press.publish(base + "/vehicles/" + kCommuterVin + "/wake", "PRESS", 1, false)->wait();
  ASSERT_TRUE(Eventually([&] { return wakes() >= 1; }, 30s)) << host_->Log();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(wakes(), 1) << host_->Log();
  press.disconnect()->wait();
}

// ---- Fleet API storms -----------------------------------------------------------------------------

TEST_F(Resilience, FleetApiStormsNeverCrashNeverRequestBeforeRetryAfterAndSyncResumes) {
  // Real time (speed 1): Retry-After and the request log are in seconds both sides agree on.
  SimProcess sim(dir_, "test", 0);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  sim.Advance(7 * 3600 + 2 * 60);  // both cars awake: the commuter drives, the tripper was just polled
  sim.Post("/sim/clock", "{\"speed\": 1}");
  // Fixed polling every 2 s: 30 data requests a minute, under the simulator's own limit of 60. A failed
  // poll is retried with exponential backoff from the job's 2 s interval.
  ASSERT_TRUE(
      StartHost(HostConfig(dir_, sim, false, "", "    polling: fixed\n    interval: 2s\n    state_check_interval: 2s\n",
                           "  cache_ttl: 0s\n  request_timeout: 1s\n")))
      << host_->Log();
  Connect(sim);
  ASSERT_EQ(host_->Post("/api/sync/trigger", "", token_).status, 202);
  auto data_count = [&](const std::string& vin) -> std::int64_t {
    const auto r = host_->Get(
        "/api/vehicles/" + vin + "/history?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&limit=1", token_);
    return r.status == 200 ? r.Json()->getValue<std::int64_t>("total") : 0;
  };
  ASSERT_TRUE(Eventually([&] { return data_count(kCommuterVin) > 2; }, 30s)) << host_->Log();

  // A burst of 429s on data, then everything at once: 5xx, timeouts (the host gives up after 1 s), 421s
  // and 429s on any call.
  const int retry_after_s = 4;
  sim.Fault(R"({"kind":"rate_limit","retry_after_s":4,"count":6,"category":"data"})");
  std::this_thread::sleep_for(12s);
  ASSERT_TRUE(host_->Running()) << host_->Log();
  // (Each failed poll doubles that car's retry delay: 4 s, 8 s, 16 s... so the storm is kept short.)
  for (const std::string& storm :
       {std::string(R"({"kind":"status","status":503,"count":3})"),
        std::string(R"({"kind":"timeout","delay_ms":2500,"count":2})"),
        R"({"kind":"region","base_url":")" + sim.Url() + R"(","count":2})",
        std::string(R"({"kind":"status","status":502,"count":2})"),
        std::string(R"({"kind":"rate_limit","retry_after_s":4,"count":3})"),
        std::string(R"({"kind":"status","status":500,"count":3,"path_contains":"/vehicle_data"})")}) {
    sim.Fault(storm);
  }
  ASSERT_TRUE(Eventually([&] { return sim.Get("/sim/faults").Json()->getArray("faults")->size() == 0; }, 120s))
      << "the host stopped calling: " << sim.Get("/sim/faults").body << "\n"
      << host_->Log();
  ASSERT_TRUE(host_->Running()) << host_->Log();
  const auto storm_over = SimNowMs(sim);

  // Sync resumes on its own: new samples of the driving car, no trigger (the other one sleeps).
  const auto commuter = data_count(kCommuterVin);
  EXPECT_TRUE(Eventually([&] { return data_count(kCommuterVin) > commuter + 2; }, 90s)) << host_->Log();
  EXPECT_EQ(host_->Get("/api/health").status, 200);

  // No request earlier than allowed: after a 429 for a car and category, the next such request waits for
  // Retry-After (the simulator's log, in its clock's milliseconds).
  const auto list = sim.Get("/sim/requests?limit=20000").Json()->getArray("requests");
  std::map<std::pair<std::string, std::string>, std::int64_t> held_until;  // (VIN, category) → epoch ms
  int limited = 0, data_limited = 0, checked = 0, server_errors = 0, wrong_region = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto r = list->getObject(static_cast<unsigned>(i));
    const int status = r->getValue<int>("status");
    server_errors += status >= 500 ? 1 : 0;
    wrong_region += status == 421 ? 1 : 0;
    if (r->isNull("vehicle")) continue;
    const std::pair<std::string, std::string> key{r->getValue<std::string>("vehicle"),
                                                  r->getValue<std::string>("category")};
    const auto t = r->getValue<std::int64_t>("epoch_ms");
    if (auto it = held_until.find(key); it != held_until.end()) {
      ++checked;
      // The host counts from when it got the answer, the simulator from when it sent it: never earlier.
      EXPECT_GE(t, it->second) << key.first << " " << key.second << " asked " << (it->second - t)
                               << " ms before Retry-After ran out";
      held_until.erase(it);
    }
    if (status == 429) {
      ++limited;
      data_limited += key.second == "data" ? 1 : 0;
      held_until[key] = t + retry_after_s * 1000;
    }
  }
  EXPECT_GE(limited, 7);
  EXPECT_GE(checked, 6);
  EXPECT_GT(server_errors, 0);
  EXPECT_GT(wrong_region, 0);
  EXPECT_TRUE(host_->Get("/api/auth/status", token_).Json()->getValue<bool>("connected"));
  // The metrics count the same 429s.
  EXPECT_EQ(MetricSum(Metrics(), "tessie_fleet_requests_total", {"status=\"429\"", "category=\"data\""}), data_limited);
  std::cout << "[ figures  ] " << limited << " 429s (" << data_limited << " on data), " << checked
            << " follow-ups checked, " << server_errors << " 5xx, " << wrong_region << " 421; storm over at sim ms "
            << storm_over << "\n";
}

// ---- 1,000 token rotations with crashes -----------------------------------------------------------

TEST_F(Resilience, AThousandTokenRotationsWithCrashesBetweenReceivingAndStoringNeverLoseAccess) {
  // Access tokens live 30 s, under the client's 60 s margin: every API call rotates the refresh token.
  std::ifstream in(SimScenario("test"));
  std::stringstream scenario;
  scenario << in.rdbuf();
  std::string text = scenario.str();
  const std::string lifetime = "access_token_lifetime_s: 28800";
  ASSERT_NE(text.find(lifetime), std::string::npos);
  text.replace(text.find(lifetime), lifetime.size(), "access_token_lifetime_s: 30");
  std::ofstream(dir_ / "rotation.yaml") << text;
  SimProcess sim(dir_, (dir_ / "rotation.yaml").string(), 0);
  ASSERT_TRUE(sim.Start()) << sim.Log();

  const std::string config = "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir_ / "data").string() +
                             "\nplugin_dir: " + TestPluginDir().string() +
                             "\nplugins:\n  example:\n    enabled: false\n  listener:\n    enabled: false\n"
                             "  throws_job:\n    enabled: false\ntesla:\n  base_url: " +
                             sim.Url() + "\n  auth_url: " + sim.Url() +
                             "/oauth2/v3/token\n  client_id: tessie-stats\n"
                             "  cache_ttl: 0s\n";
  // Each process dies at its 50th rotation, after the new refresh token arrived and before it is stored.
  const int per_process = 50, processes = 20;
  const std::map<std::string, std::string> crash = {
      {"TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH", std::to_string(per_process)}};
  ASSERT_TRUE(StartHost(config, crash)) << host_->Log();
  Connect(sim);
  int ok_calls = 0, crashes = 0, lost = 0;
  const std::string probe = "/api/probe/vehicles/" + std::to_string(kCommuter);
  for (int p = 0; p < processes; ++p) {
    for (int call = 0; call < per_process; ++call) {
      try {
        const auto r = host_->Get(probe, token_);
        if (r.status == 200) {
          ++ok_calls;
          continue;
        }
        ++lost;
        ADD_FAILURE() << "call " << call << " of process " << p << ": " << r.status << " " << r.body;
      } catch (const std::exception&) {
        break;  // the host died mid-request
      }
    }
    ASSERT_TRUE(Eventually([&] { return !host_->Running(); }, 10s)) << "process " << p << " did not crash";
    ASSERT_EQ(host_->ExitCode(), 86) << host_->Log();
    ++crashes;
    ASSERT_TRUE(StartHost(config, crash)) << host_->Log();
    const auto status = host_->Get("/api/auth/status", token_).Json();
    ASSERT_TRUE(status->getValue<bool>("connected")) << "access lost after crash " << crashes;
    ASSERT_FALSE(status->getValue<bool>("broken")) << "access lost after crash " << crashes;
  }
  // Access was never lost: the simulator never refused a refresh, and the last host still works.
  int rotations = 0, refused = 0;
  const auto list = sim.Get("/sim/requests?limit=20000").Json()->getArray("requests");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto r = list->getObject(static_cast<unsigned>(i));
    if (r->getValue<std::string>("path").find("/oauth2/v3/token") == std::string::npos) continue;
    (r->getValue<int>("status") == 200 ? rotations : refused)++;
  }
  EXPECT_GE(rotations, 1000);
  EXPECT_EQ(refused, 0);
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(crashes, processes);
  host_->Stop();
  ASSERT_TRUE(StartHost(config)) << host_->Log();
  EXPECT_EQ(host_->Get(probe, token_).status, 200) << host_->Log();
  std::cout << "[ figures  ] " << rotations << " rotations, " << crashes << " crashes between receiving and storing, "
            << ok_calls << " API calls answered\n";
}

}  // namespace
}  // namespace tessie::testing
