// A JSON writer that appends compact JSON text to a string, as nlohmann's `dump(-1, ' ', false,
// error_handler_t::replace)` would write the same value, byte for byte (tests/cli/json_writer_test.cpp
// checks it): the report of every case is written so, without building a tree of it first (a batch of
// a million cases spends its time there otherwise; see issue 12's measurements in README «
// Performance »).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace secretc {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  // Containers. Inside an object, each value follows its key().
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view k) {
    separate();
    quoted(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }

  // Values.
  JsonWriter& value(std::string_view s) {
    separate();
    quoted(s);
    return *this;
  }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(std::uint32_t n) { return value(static_cast<std::uint64_t>(n)); }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  // A value built the slow way (rare parts: notes, ids, messages).
  JsonWriter& value(const nlohmann::ordered_json& j) {
    separate();
    out_ += j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return *this;
  }

  // key(k).value(v), the common pair.
  template <typename T>
  JsonWriter& member(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

 private:
  JsonWriter& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  // The comma before every value but the first of its container, and none right after a key.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_ += ',';
    first_ = false;
  }
  void quoted(std::string_view s);

  std::string& out_;
  bool first_ = true;
  bool after_key_ = false;
};

}  // namespace secretc
