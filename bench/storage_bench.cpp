// vehicle_states insert rate through the host's storage layer (multi-row INSERTs, one transaction per batch),
// on SQLite and on PostgreSQL. Prints a Markdown table; bench/run.sh puts it into docs/benchmarks.md.
//   tessie_bench_storage [rows] [postgresql://...]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "auth.hpp"
#include "storage.hpp"

namespace {

using tessie::core::LogSink;
using tessie::core::Storage;

struct Result {
  std::string backend;
  int batch = 0;
  double rows_per_s = 0;
};

Result Run(Storage& storage, const std::string& label, int rows, int batch) {
  const std::string table = "bench_vehicle_states_" + tessie::core::RandomHex(4);
  storage.Execute("CREATE TABLE " + table +
                  " (vehicle_id BIGINT NOT NULL, ts_ms BIGINT NOT NULL, odometer_km DOUBLE PRECISION, battery_level INTEGER, "
                  "battery_range_km DOUBLE PRECISION, charging_state TEXT, latitude DOUBLE PRECISION, "
                  "longitude DOUBLE PRECISION, speed_kmh DOUBLE PRECISION, power_kw DOUBLE PRECISION, shift_state TEXT, "
                  "PRIMARY KEY (vehicle_id, ts_ms))");
  const auto started = std::chrono::steady_clock::now();
  for (int done = 0; done < rows; done += batch) {
    const int n = std::min(batch, rows - done);
    std::string sql = "INSERT INTO " + table +
                      " (vehicle_id, ts_ms, odometer_km, battery_level, battery_range_km, charging_state, latitude, "
                      "longitude, speed_kmh, power_kw, shift_state) VALUES ";
    tessie::sdk::SqlParams params;
    params.reserve(static_cast<std::size_t>(n) * 11);
    for (int i = 0; i < n; ++i) {
      sql += i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)";
      const std::int64_t k = done + i;
      params.insert(params.end(), {std::int64_t{1492932717794313}, std::int64_t{1'780'000'000'000} + k * 15'000,
                                   20000.0 + k * 0.1, std::int64_t{80 - k % 60}, 300.0 - (k % 60), std::string("Charging"),
                                   51.5 + (k % 100) * 1e-4, -0.12 + (k % 100) * 1e-4, 42.0, 11.0, std::string("D")});
    }
    storage.InTransaction([&](tessie::sdk::Transaction& tx) { tx.Execute(sql, params); });
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto count = storage.Query("SELECT COUNT(*) FROM " + table).rows.at(0).Int(0);
  storage.Execute("DROP TABLE " + table);
  if (count != rows) {
    std::cerr << "expected " << rows << " rows, found " << count << "\n";
    std::exit(1);
  }
  return {label, batch, rows / s};
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 200'000;
  const std::string pg = argc > 2 ? argv[2] : "";
  std::ostringstream sink_out;
  LogSink log(sink_out);
  std::vector<Result> results;
  const auto dir = std::filesystem::temp_directory_path() / ("tessie-bench-" + tessie::core::RandomHex(4));
  {
    Storage sqlite("", dir, 1, log);
    for (int batch : {1, 100, 500}) results.push_back(Run(sqlite, "SQLite (WAL, synchronous=NORMAL)", batch == 1 ? rows / 20 : rows, batch));
  }
  std::filesystem::remove_all(dir);
  if (!pg.empty()) {
    Storage postgres(pg, dir, 2, log);
    for (int batch : {1, 100, 500}) results.push_back(Run(postgres, "PostgreSQL 15 (loopback)", batch == 1 ? rows / 20 : rows, batch));
  }
  std::cout << "| backend | rows per INSERT | rows/s | target |\n|---|---|---|---|\n";
  for (const auto& r : results) {
    std::cout << "| " << r.backend << " | " << r.batch << " | " << std::fixed << std::setprecision(0) << r.rows_per_s
              << " | " << (r.batch > 1 ? "≥ 20,000" : "") << " |\n";
  }
  return 0;
}
