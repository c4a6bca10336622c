// The JSON writer writes what nlohmann's dump (compact, invalid UTF-8 replaced) writes for the same
// value, byte for byte: the answers of `check --jsonl` did not change when it replaced the tree.
#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "cli/json_writer.hpp"

using namespace secretc;
using ojson = nlohmann::ordered_json;

namespace {

std::string dumped(const ojson& j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

std::string written_string(std::string_view s) {
  std::string out;
  JsonWriter(out).value(s);
  return out;
}

}  // namespace

TEST_CASE("json writer: every string is quoted as nlohmann quotes it") {
  std::vector<std::string> texts = {"",
                                    "plain",
                                    "règle « art. 458 » — l'été",
                                    "quote \" backslash \\ slash /",
                                    "\b\f\n\r\t",
                                    std::string("nul \0 inside", 12),
                                    "\x01\x1f\x7f",
                                    "emoji \xF0\x9F\x98\x80 and CJK \xE4\xB8\xAD",
                                    "bad \xC3 alone",
                                    "bad \xFF\xFE bytes",
                                    "overlong \xC0\xAF",
                                    "surrogate \xED\xA0\x80",
                                    "cut \xE4\xB8",
                                    "\xF4\x90\x80\x80 above U+10FFFF"};
  for (int c = 0; c < 256; ++c) texts.emplace_back(1, static_cast<char>(c));
  // Every byte value at every place of a text long enough to be scanned eight bytes at a time.
  for (int c = 0; c < 256; ++c) {
    for (std::size_t at = 0; at < 19; ++at) {
      std::string t = "abcdefghijklmnopqrs";
      t[at] = static_cast<char>(c);
      texts.push_back(t);
    }
  }
  for (const std::string& t : texts) {
    CAPTURE(t);
    CHECK(written_string(t) == dumped(ojson(t)));
  }
}

TEST_CASE("json writer: containers, keys, numbers and literals as nlohmann writes them") {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.member("a", std::int64_t{0}).member("min", std::numeric_limits<std::int64_t>::min());
  w.member("max", std::numeric_limits<std::uint64_t>::max()).member("t", true).member("f", false);
  w.key("n").null();
  w.key("empty_array").begin_array().end_array();
  w.key("empty_object").begin_object().end_object();
  w.key("nested")
      .begin_array()
      .begin_object()
      .member("k", "v")
      .end_object()
      .begin_array()
      .value("x")
      .end_array()
      .end_array();
  w.key("tree").value(ojson{{"z", 1}, {"y", {1, 2}}});
  // A key the program computes is escaped; one written in the code must need no escape (checked when
  // compiled: `w.key("é\"")` does not compile).
  w.member(std::string("é\""), "last");
  w.end_object();
  ojson want = ojson::object();
  want["a"] = 0;
  want["min"] = std::numeric_limits<std::int64_t>::min();
  want["max"] = std::numeric_limits<std::uint64_t>::max();
  want["t"] = true;
  want["f"] = false;
  want["n"] = nullptr;
  want["empty_array"] = ojson::array();
  want["empty_object"] = ojson::object();
  want["nested"] = ojson::array({ojson{{"k", "v"}}, ojson::array({"x"})});
  want["tree"] = ojson{{"z", 1}, {"y", {1, 2}}};
  want["é\""] = "last";
  CHECK(out == dumped(want));
  CHECK(ojson::parse(out) == want);
}
