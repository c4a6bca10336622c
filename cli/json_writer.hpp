// A JSON writer that appends compact JSON text to a string, as nlohmann's `dump(-1, ' ', false,
// error_handler_t::replace)` would write the same value, byte for byte (tests/cli/json_writer_test.cpp
// checks it): the report of every case is written so, without building a tree of it first (a batch of
// a million cases spends its time there otherwise; see issue 12's measurements in README «
// Performance »).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

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

  // A key the program computes (a rule's, an output's name): escaped as needed.
  template <typename Text>
  requires(std::is_convertible_v<const Text&, std::string_view> &&
           !std::is_array_v<Text>) JsonWriter& key(const Text& k) {
    separate();
    quoted(k);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  // A key written in the code, checked when compiled to need no escape: kept as `,"name":` so that
  // writing it, comma and all, is a single append.
  class Literal {
   public:
    template <std::size_t N>
    consteval Literal(const char (&s)[N]) {  // NOLINT(google-explicit-constructor): for key("name")
      static_assert(N + 3 <= kRoom, "a literal key this long does not fit: raise kRoom");
      text_[0] = ',';
      text_[1] = '"';
      for (std::size_t i = 0; i + 1 < N; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) throw "a literal key is plain ASCII with nothing to escape";
        text_[i + 2] = s[i];
      }
      text_[N + 1] = '"';
      text_[N + 2] = ':';
      size_ = N + 3;
    }

   private:
    friend class JsonWriter;
    static constexpr std::size_t kRoom = 40;
    char text_[kRoom] = {};
    std::size_t size_ = 0;
  };
  JsonWriter& key(const Literal& k) {
    const bool comma = !after_key_ && !first_;
    after_key_ = true;
    first_ = false;
    out_.append(k.text_ + (comma ? 0 : 1), k.size_ - (comma ? 0 : 1));
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

  // A value already written as JSON text (by another JsonWriter), appended as it is.
  JsonWriter& json(std::string_view text) {
    separate();
    out_ += text;
    return *this;
  }

  // Members already written as JSON text, comma first, by a writer in the same place of an object that
  // has members before them (the answers' cache of `check --jsonl`): appended as they are.
  JsonWriter& members(std::string_view text) {
    out_ += text;
    first_ = false;
    after_key_ = false;
    return *this;
  }
  // key(k).value(v), the common pair.
  template <typename T>
  JsonWriter& member(const Literal& k, const T& v) {
    key(k);
    return value(v);
  }
  template <typename Text, typename T>
  requires(std::is_convertible_v<const Text&, std::string_view> &&
           !std::is_array_v<Text>) JsonWriter& member(const Text& k, const T& v) {
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
