#include "fleet/token_keeper.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Token.h>
#include <Poco/URI.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cctype>
#include <sstream>

#include "auth.hpp"
#include "fleet/fleet_models.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::core::fleet {

using sdk::FleetError;
using sdk::FleetErrorKind;

namespace {

std::string Base64Url(const unsigned char* data, std::size_t n) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc.rdbuf()->setLineLength(0);
  enc.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
  enc.close();
  return out.str();
}

std::vector<std::string> ScopesOf(const std::string& access_token) {
  std::vector<std::string> scopes;
  try {
    Poco::JWT::Token token(access_token);  // parse only; Tesla signs it, we cannot and need not verify
    auto scp = token.payload().getArray("scp");
    if (scp)
      for (std::size_t i = 0; i < scp->size(); ++i)
        scopes.push_back(scp->getElement<std::string>(static_cast<unsigned>(i)));
  } catch (const std::exception&) {
  }
  return scopes;
}

std::string RegionOf(const std::string& access_token) {
  try {
    Poco::JWT::Token token(access_token);
    if (token.payload().has("ou_code")) {
      auto region = token.payload().getValue<std::string>("ou_code");
      for (auto& c : region) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return region;
    }
  } catch (const std::exception&) {
  }
  return "";
}

bool DeadGrant(int status, const std::string& error) {
  return (status == 400 || status == 401) && (error == "login_required" || error == "invalid_grant" ||
                                              error == "invalid_token" || error == "invalid_auth_code");
}

}  // namespace

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string ek, ev;
    Poco::URI::encode(k, "!#$&'()*+,/:;=?@[]", ek);
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", ev);
    out += (out.empty() ? "" : "&") + ek + "=" + ev;
  }
  return out;
}

TokenKeeper::TokenKeeper(FleetConfig config, TokenStore& store, HttpTransport& transport, LogSink& log,
                         std::function<std::int64_t()> now_ms, RefreshReceivedHook on_refresh_received)
    : config_(std::move(config)),
      store_(store),
      transport_(transport),
      log_(log),
      logger_(log, "tesla"),
      now_ms_(std::move(now_ms)),
      on_refresh_received_(std::move(on_refresh_received)) {
  if (!config_.client_secret.empty()) log_.AddSecret(config_.client_secret);
  const auto state = store_.Load();
  has_token_ = state.has_token;
  refresh_token_ = state.refresh_token;
  access_token_ = state.access_token;
  access_expires_ms_ = state.access_expires_ms;
  broken_ = state.broken;
  base_url_override_ = state.base_url;
  last_refresh_ms_ = state.last_refresh_ms;
  last_error_ = state.last_error;
  log_.AddSecret(refresh_token_);
  log_.AddSecret(access_token_);
  if (broken_) logger_.Warn("Tesla authorisation is broken (" + last_error_ + "); store a new refresh token");
}

bool TokenKeeper::Connected() const {
  std::lock_guard lock(mutex_);
  return has_token_ && !broken_;
}

std::string TokenKeeper::BaseUrl() const {
  std::lock_guard lock(mutex_);
  return base_url_override_.empty() ? config_.base_url : base_url_override_;
}

void TokenKeeper::SetBaseUrl(const std::string& base_url) {
  {
    std::lock_guard lock(mutex_);
    base_url_override_ = base_url;
  }
  store_.SetBaseUrl(base_url);
}

std::string TokenKeeper::AccessToken(bool force_refresh) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (!has_token_) {
      throw FleetError(
          FleetErrorKind::kNotConnected, 0,
          "no Tesla account is connected: store a refresh token (POST /api/auth/token) or sign in with Tesla");
    }
    if (broken_) {
      throw FleetError(
          FleetErrorKind::kNotConnected, 0,
          "Tesla rejected the stored refresh token (" + last_error_ + "); sign in again or store a new refresh token");
    }
    if (!force_refresh && !access_token_.empty() && access_expires_ms_ > now_ms_() + 60'000) return access_token_;
    generation = generation_;
  }
  std::lock_guard single_flight(refresh_mutex_);
  std::string refresh;
  {
    std::lock_guard lock(mutex_);
    // Another caller refreshed while we waited: use its token.
    if (generation_ != generation && !access_token_.empty() && access_expires_ms_ > now_ms_()) return access_token_;
    if (broken_)
      throw FleetError(FleetErrorKind::kNotConnected, 0,
                       "Tesla rejected the stored refresh token (" + last_error_ + ")");
    refresh = refresh_token_;
  }
  ExchangeToken(
      FormEncode({{"grant_type", "refresh_token"}, {"client_id", config_.client_id}, {"refresh_token", refresh}}),
      true);
  std::lock_guard lock(mutex_);
  return access_token_;
}

void TokenKeeper::Refused(const HttpAnswer& answer, bool is_refresh) {
  const auto e = ParseErrorBody(answer.body);
  const std::string reason = e.error.empty() ? "HTTP " + std::to_string(answer.status) : e.error;
  if (DeadGrant(answer.status, e.error)) {
    const auto now = now_ms_();
    {
      std::lock_guard lock(mutex_);
      if (is_refresh) {
        broken_ = true;
        access_token_.clear();
      }
      last_error_ = reason;
    }
    if (is_refresh) {
      store_.MarkBroken(reason, now);
      logger_.Error("Tesla refused the refresh token (" + reason + "): API calls stop until a new token is stored");
    }
    throw FleetError(FleetErrorKind::kNotConnected, answer.status,
                     "Tesla refused the token (" + reason + "); sign in again");
  }
  {
    std::lock_guard lock(mutex_);
    last_error_ = reason;
  }
  store_.SetLastError(reason);
  throw FleetError(answer.status >= 500 ? FleetErrorKind::kServer : FleetErrorKind::kUnauthorized, answer.status,
                   "token refresh failed: " + reason);
}

void TokenKeeper::ExchangeToken(const std::string& form, bool is_refresh) {
  HttpAnswer r;
  try {
    r = transport_.Send({"POST", config_.auth_url, "", "application/x-www-form-urlencoded", form});
  } catch (const Poco::Exception& e) {
    throw FleetError(FleetErrorKind::kTimeout, 0, "the Tesla token endpoint did not answer: " + e.displayText());
  }
  if (r.status != 200) Refused(r, is_refresh);
  Poco::JSON::Object::Ptr json;
  try {
    json = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    throw FleetError(FleetErrorKind::kMalformed, 200, "the token endpoint answered with something that is not JSON");
  }
  const auto access = json->optValue<std::string>("access_token", "");
  std::string refresh = json->optValue<std::string>("refresh_token", "");
  const auto expires_in = json->optValue<Poco::Int64>("expires_in", 28800);
  if (access.empty()) throw FleetError(FleetErrorKind::kMalformed, 200, "the token endpoint returned no access_token");
  {
    std::lock_guard lock(mutex_);
    if (refresh.empty()) refresh = refresh_token_;  // not rotated
  }
  log_.AddSecret(access);
  log_.AddSecret(refresh);
  if (is_refresh && on_refresh_received_) on_refresh_received_();
  const auto now = now_ms_();
  const auto expires_ms = now + expires_in * 1000;
  // Store first: if this write fails, the new tokens are never used and the old refresh token (valid for
  // a while after use) is tried again next time.
  if (is_refresh) {
    store_.StoreRefreshed(refresh, access, expires_ms, now);
  } else {
    store_.StoreNew(refresh, access, expires_ms, now);
  }
  std::lock_guard lock(mutex_);
  refresh_token_ = refresh;
  access_token_ = access;
  access_expires_ms_ = expires_ms;
  has_token_ = true;
  broken_ = false;
  last_refresh_ms_ = now;
  last_error_.clear();
  ++generation_;
}

void TokenKeeper::StoreRefreshToken(const std::string& refresh_token) {
  std::lock_guard single_flight(refresh_mutex_);
  log_.AddSecret(refresh_token);
  store_.StoreNew(refresh_token, "", 0, now_ms_());
  std::lock_guard lock(mutex_);
  refresh_token_ = refresh_token;
  access_token_.clear();
  access_expires_ms_ = 0;
  has_token_ = true;
  broken_ = false;
  last_error_.clear();
  ++generation_;
}

void TokenKeeper::Disconnect() {
  std::lock_guard single_flight(refresh_mutex_);
  store_.Clear();
  std::lock_guard lock(mutex_);
  refresh_token_.clear();
  access_token_.clear();
  access_expires_ms_ = 0;
  has_token_ = false;
  broken_ = false;
  base_url_override_.clear();
  last_error_.clear();
  ++generation_;
}

AuthStatus TokenKeeper::Status() const {
  std::lock_guard lock(mutex_);
  AuthStatus s;
  s.connected = has_token_ && !broken_;
  s.broken = broken_;
  s.scopes = ScopesOf(access_token_);
  s.access_expires_ms = access_expires_ms_;
  s.region = RegionOf(access_token_);
  if (s.region.empty()) s.region = config_.region;
  s.base_url = base_url_override_.empty() ? config_.base_url : base_url_override_;
  s.last_refresh_ms = last_refresh_ms_;
  s.last_error = last_error_;
  return s;
}

std::string TokenKeeper::BeginSignIn() {
  if (!SignInConfigured()) {
    throw FleetError(FleetErrorKind::kOther, 0,
                     "Sign in with Tesla needs tesla.client_id and tesla.redirect_uri in the config");
  }
  unsigned char random[48];
  if (RAND_bytes(random, sizeof(random)) != 1) throw FleetError(FleetErrorKind::kOther, 0, "no random bytes");
  const std::string verifier = Base64Url(random, sizeof(random));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  const std::string challenge = Base64Url(digest, sizeof(digest));
  const std::string state = RandomHex(16);
  {
    std::lock_guard lock(mutex_);
    const auto now = now_ms_();
    std::erase_if(sign_ins_, [&](const auto& kv) { return kv.second.second < now; });
    sign_ins_[state] = {verifier, now + 10 * 60'000};
  }
  Poco::URI uri(config_.authorize_url);
  uri.addQueryParameter("response_type", "code");
  uri.addQueryParameter("client_id", config_.client_id);
  uri.addQueryParameter("redirect_uri", config_.redirect_uri);
  uri.addQueryParameter("scope", config_.scopes);
  uri.addQueryParameter("state", state);
  uri.addQueryParameter("code_challenge", challenge);
  uri.addQueryParameter("code_challenge_method", "S256");
  uri.addQueryParameter("prompt_missing_scopes", "true");
  return uri.toString();
}

void TokenKeeper::CompleteSignIn(const std::string& code, const std::string& state) {
  std::string verifier;
  {
    std::lock_guard lock(mutex_);
    auto it = sign_ins_.find(state);
    if (it == sign_ins_.end() || it->second.second < now_ms_()) {
      throw FleetError(FleetErrorKind::kOther, 400, "unknown or expired sign-in; start again from the login link");
    }
    verifier = it->second.first;
    sign_ins_.erase(it);
  }
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"}, {"client_id", config_.client_id}, {"code", code},
      {"code_verifier", verifier},          {"audience", BaseUrl()},          {"redirect_uri", config_.redirect_uri}};
  if (!config_.client_secret.empty()) form.emplace_back("client_secret", config_.client_secret);
  std::lock_guard single_flight(refresh_mutex_);
  ExchangeToken(FormEncode(form), false);
}

}  // namespace tessie::core::fleet
