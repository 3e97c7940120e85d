#pragma once
// Compact JSON text of a Poco::Dynamic::Var (objects, arrays, scalars) appended to a std::string.
//
// Poco's Stringifier writes through std::ostream one character at a time and converts every value to a
// string first; on a small answer it cost more than the rest of a request. This writer gives the same text
// for what our routes build (object key order as Poco keeps it, numbers in their shortest exact form,
// strings escaped as RFC 8259 requires) with one buffer and no stream, and it writes NaN and infinities as
// null where Poco writes the invalid `nan` and `inf`. Thread-safe: touches nothing but its arguments.
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <typeinfo>

namespace tessie::sdk {
inline namespace v1 {
namespace detail {

inline void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out.push_back('"');
  std::size_t run = 0;  // start of the characters not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

template <typename Int>
inline void AppendJsonInt(Int v, std::string& out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, r.ptr);
}

// The shortest digits that read back as `v`, laid out as JavaScript (and Poco) print numbers: plain notation
// from 1e-6 up to 1e21 ("0.000025", "31249.9"), exponent notation beyond ("1e+21", "1e-7").
template <typename Float>
inline void AppendJsonFloat(Float v, std::string& out) {
  if (!std::isfinite(v)) {
    out.append("null");  // JSON has no NaN or infinity
    return;
  }
  if (v == 0) {
    out.push_back('0');  // -0 reads as 0
    return;
  }
  char buf[48];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));  // [-]d[.ddd]e±XX
  const std::size_t e = sci.find('e');
  std::string_view mantissa = sci.substr(0, e);
  if (mantissa.front() == '-') {
    out.push_back('-');
    mantissa.remove_prefix(1);
  }
  char digits[24];
  std::size_t k = 0;
  for (char c : mantissa) {
    if (c != '.') digits[k++] = c;
  }
  int exponent = 0;
  const char* exp_begin = sci.data() + e + 1;
  if (*exp_begin == '+') ++exp_begin;
  std::from_chars(exp_begin, sci.data() + sci.size(), exponent);
  const int n = exponent + 1;  // where the decimal point goes, counted from the first digit
  const int kd = static_cast<int>(k);
  if (kd <= n && n <= 21) {
    out.append(digits, k);
    out.append(static_cast<std::size_t>(n - kd), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, static_cast<std::size_t>(n));
    out.push_back('.');
    out.append(digits + n, k - static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits, k);
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits + 1, k - 1);
    }
    out.push_back('e');
    out.push_back(n - 1 < 0 ? '-' : '+');
    AppendJsonInt(n - 1 < 0 ? 1 - n : n - 1, out);
  }
}

void AppendJson(const Poco::Dynamic::Var& value, std::string& out);

inline void AppendJsonObject(const Poco::JSON::Object& object, std::string& out) {
  out.push_back('{');
  bool first = true;
  // getNames gives the insertion order when the object preserves it, else the sorted order (as Poco writes).
  for (const auto& name : object.getNames()) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(name, out);
    out.push_back(':');
    AppendJson(object.get(name), out);
  }
  out.push_back('}');
}

inline void AppendJsonArray(const Poco::JSON::Array& array, std::string& out) {
  out.push_back('[');
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i) out.push_back(',');
    AppendJson(array.get(static_cast<unsigned int>(i)), out);
  }
  out.push_back(']');
}

inline void AppendJson(const Poco::Dynamic::Var& value, std::string& out) {
  if (value.isEmpty()) {
    out.append("null");
    return;
  }
  const std::type_info& type = value.type();
  if (type == typeid(Poco::JSON::Object::Ptr)) {
    const auto& p = value.extract<Poco::JSON::Object::Ptr>();
    if (p.isNull()) return out.append("null"), void();
    return AppendJsonObject(*p, out);
  }
  if (type == typeid(Poco::JSON::Array::Ptr)) {
    const auto& p = value.extract<Poco::JSON::Array::Ptr>();
    if (p.isNull()) return out.append("null"), void();
    return AppendJsonArray(*p, out);
  }
  if (type == typeid(Poco::JSON::Object)) return AppendJsonObject(value.extract<Poco::JSON::Object>(), out);
  if (type == typeid(Poco::JSON::Array)) return AppendJsonArray(value.extract<Poco::JSON::Array>(), out);
  if (type == typeid(std::string)) return AppendJsonString(value.extract<std::string>(), out);
  if (type == typeid(bool)) return out.append(value.extract<bool>() ? "true" : "false"), void();
  if (type == typeid(double)) return AppendJsonFloat(value.extract<double>(), out);
  // A float by its own shortest digits (1.1f reads "1.1", not its double expansion), as Poco writes it.
  if (type == typeid(float)) return AppendJsonFloat(value.extract<float>(), out);
  if (type == typeid(char)) return AppendJsonString(std::string_view(&value.extract<char>(), 1), out);
  if (value.isInteger()) {
    if (value.isSigned()) return AppendJsonInt(value.convert<Poco::Int64>(), out);
    return AppendJsonInt(value.convert<Poco::UInt64>(), out);
  }
  // Anything else (dates and the like) as its text.
  AppendJsonString(value.convert<std::string>(), out);
}

}  // namespace detail

// Writes one JSON object field by field straight into its text, for answers on hot paths that would otherwise
// build a Poco::JSON::Object only to write it out. Keys are written in call order; the caller gives each key
// once. Not thread-safe (one writer per answer).
class JsonObjectWriter {
 public:
  JsonObjectWriter() { text_.reserve(512); text_.push_back('{'); }
  JsonObjectWriter& Null(std::string_view key) { return Key(key).Raw("null"); }
  JsonObjectWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    detail::AppendJsonString(value, text_);
    return *this;
  }
  JsonObjectWriter& Int(std::string_view key, std::int64_t value) {
    Key(key);
    detail::AppendJsonInt(value, text_);
    return *this;
  }
  JsonObjectWriter& Double(std::string_view key, double value) {
    Key(key);
    detail::AppendJsonFloat(value, text_);
    return *this;
  }
  JsonObjectWriter& Bool(std::string_view key, bool value) { return Key(key).Raw(value ? "true" : "false"); }
  // The finished text; the writer is spent.
  std::string Finish() {
    text_.push_back('}');
    return std::move(text_);
  }

 private:
  JsonObjectWriter& Key(std::string_view key) {
    if (text_.size() > 1) text_.push_back(',');
    detail::AppendJsonString(key, text_);
    text_.push_back(':');
    return *this;
  }
  JsonObjectWriter& Raw(std::string_view text) {
    text_.append(text);
    return *this;
  }
  std::string text_;
};

// Compact JSON text of `value` (see the top of this file).
inline std::string ToJson(const Poco::Dynamic::Var& value) {
  std::string out;
  out.reserve(256);
  detail::AppendJson(value, out);
  return out;
}

}  // namespace v1
}  // namespace tessie::sdk
