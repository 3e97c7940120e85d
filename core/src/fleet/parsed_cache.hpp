#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace tessie::core::fleet {

// Parsed Fleet API answers kept for a while: `fetch` calls the API and parses the body once, and every hit
// within `ttl` returns a copy of that value without touching the body again. Identical concurrent calls share
// one fetch (the others wait for it). A fetch that throws (no answer, an error status, a malformed body) is
// not kept: its waiters get the same exception and the next call fetches again. Thread-safe.
template <class T>
class ParsedCache {
 public:
  // `now_ms` is the client's clock; a ttl of 0 keeps nothing (concurrent calls still share one fetch).
  ParsedCache(std::function<std::int64_t()> now_ms, std::chrono::milliseconds ttl)
      : now_ms_(std::move(now_ms)), ttl_(ttl) {}

  T Get(const std::string& key, const std::function<T()>& fetch) {
    std::shared_future<T> future;
    std::shared_ptr<std::promise<T>> promise;
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(key);
      if (it != entries_.end() && it->second.expires_ms > now_ms_()) {
        future = it->second.value;
      } else {
        promise = std::make_shared<std::promise<T>>();
        future = promise->get_future().share();
        // In flight until the fetch ends: others wait for it.
        id = ++last_id_;
        entries_[key] = {std::numeric_limits<std::int64_t>::max(), future, id};
      }
    }
    if (promise) Complete(key, id, *promise, fetch);
    return future.get();
  }

  // Forgets everything (a new account: nothing of the old one may be served). A fetch in flight still
  // answers its own waiters but is not kept.
  void Clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
  }

 private:
  struct Entry {
    std::int64_t expires_ms;
    std::shared_future<T> value;
    std::uint64_t id;  // which fetch made it
  };

  void Complete(const std::string& key, std::uint64_t id, std::promise<T>& promise, const std::function<T()>& fetch) {
    bool ok = true;
    try {
      promise.set_value(fetch());
    } catch (...) {
      promise.set_exception(std::current_exception());
      ok = false;
    }
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.id != id) return;  // cleared (and perhaps fetched again) meanwhile
    if (ok) {
      it->second.expires_ms = now_ms_() + ttl_.count();
    } else {
      entries_.erase(it);
    }
  }

  const std::function<std::int64_t()> now_ms_;
  const std::chrono::milliseconds ttl_;
  std::mutex mutex_;  // guards entries_ and last_id_
  std::map<std::string, Entry> entries_;
  std::uint64_t last_id_ = 0;
};

}  // namespace tessie::core::fleet
