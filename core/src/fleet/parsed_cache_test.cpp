#include "fleet/parsed_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

namespace tessie::core::fleet {
namespace {

struct Parsed {
  int value = 0;
};

class ParsedCacheTest : public ::testing::Test {
 protected:
  std::int64_t now_ms_ = 1'000;
  ParsedCache<Parsed> cache_{[this] { return now_ms_; }, std::chrono::seconds(60)};
  int fetches_ = 0;
  std::function<Parsed()> fetch_ = [this] { return Parsed{++fetches_}; };
};

TEST_F(ParsedCacheTest, AHitWithinTheTtlReturnsTheParsedValueWithoutFetchingAgain) {
  EXPECT_EQ(cache_.Get("/a", fetch_).value, 1);
  now_ms_ += 59'999;
  EXPECT_EQ(cache_.Get("/a", fetch_).value, 1);
  EXPECT_EQ(fetches_, 1);
  EXPECT_EQ(cache_.Get("/b", fetch_).value, 2) << "each key is fetched on its own";
  now_ms_ += 1;
  EXPECT_EQ(cache_.Get("/a", fetch_).value, 3) << "expired";
}

TEST_F(ParsedCacheTest, AFailedFetchIsNotKept) {
  EXPECT_THROW(cache_.Get("/a", []() -> Parsed { throw std::runtime_error("malformed"); }), std::runtime_error);
  EXPECT_EQ(cache_.Get("/a", fetch_).value, 1);
  EXPECT_EQ(fetches_, 1);
}

TEST_F(ParsedCacheTest, ClearForgetsEverything) {
  cache_.Get("/a", fetch_);
  cache_.Clear();
  EXPECT_EQ(cache_.Get("/a", fetch_).value, 2);
}

TEST(ParsedCache, AZeroTtlKeepsNothing) {
  ParsedCache<Parsed> cache([] { return std::int64_t{5}; }, std::chrono::milliseconds(0));
  int fetches = 0;
  cache.Get("/a", [&] { return Parsed{++fetches}; });
  cache.Get("/a", [&] { return Parsed{++fetches}; });
  EXPECT_EQ(fetches, 2);
}

TEST(ParsedCache, ConcurrentCallsForOneKeyShareOneFetch) {
  ParsedCache<Parsed> cache([] { return std::int64_t{5}; }, std::chrono::seconds(60));
  std::atomic<int> fetches{0};
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> started{0};
  std::vector<std::thread> threads;
  std::vector<int> seen(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      ++started;
      seen[i] = cache
                    .Get("/a",
                         [&] {
                           ++fetches;
                           released.wait();  // holds the fetch in flight until every caller has asked
                           return Parsed{42};
                         })
                    .value;
    });
  }
  while (started < 8) std::this_thread::yield();
  release.set_value();
  for (auto& t : threads) t.join();
  EXPECT_EQ(fetches, 1);
  for (int v : seen) EXPECT_EQ(v, 42);
}

TEST(ParsedCache, AFetchInFlightDuringClearAnswersItsCallerButIsNotKept) {
  ParsedCache<Parsed> cache([] { return std::int64_t{5}; }, std::chrono::seconds(60));
  int fetches = 0;
  const auto value = cache.Get("/a", [&] {
    cache.Clear();  // e.g. a new refresh token stored while the old account's answer was on its way
    return Parsed{++fetches};
  });
  EXPECT_EQ(value.value, 1);
  EXPECT_EQ(cache.Get("/a", [&] { return Parsed{++fetches}; }).value, 2);
}

}  // namespace
}  // namespace tessie::core::fleet
