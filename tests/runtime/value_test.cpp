#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/value.hpp"

using namespace secretc;

TEST_CASE("parse_date reads valid dates as days since 1970-01-01") {
  CHECK(parse_date("1970-01-01") == 0);
  CHECK(parse_date("1970-01-02") == 1);
  CHECK(parse_date("1969-12-31") == -1);
  CHECK(parse_date("2000-03-01") == 11017);
  CHECK(parse_date("0001-01-01").has_value());
  CHECK(parse_date("9999-12-31").has_value());
}

TEST_CASE("parse_date rejects impossible dates such as 2019-02-30") {
  CHECK_FALSE(parse_date("2019-02-30").has_value());
  CHECK_FALSE(parse_date("2019-04-31").has_value());
  CHECK_FALSE(parse_date("2019-13-01").has_value());
  CHECK_FALSE(parse_date("2019-00-10").has_value());
  CHECK_FALSE(parse_date("2019-01-00").has_value());
  CHECK_FALSE(parse_date("0000-01-01").has_value());
}

TEST_CASE("parse_date knows the Gregorian leap years") {
  CHECK(parse_date("2024-02-29").has_value());
  CHECK(parse_date("2000-02-29").has_value());        // divisible by 400
  CHECK_FALSE(parse_date("1900-02-29").has_value());  // divisible by 100 only
  CHECK_FALSE(parse_date("2023-02-29").has_value());
  CHECK(*parse_date("2024-03-01") - *parse_date("2024-02-28") == 2);
  CHECK(*parse_date("2023-03-01") - *parse_date("2023-02-28") == 1);
}

TEST_CASE("parse_date rejects malformed text") {
  for (const char* text : {"", "2019", "2019-1-01", "2019-01-1", "2019/01/01", "19-01-01", "2019-01-011", "2019-0a-01",
                           " 2019-01-01", "2019-01-01 ", "+019-01-01"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_date(text).has_value());
  }
}

TEST_CASE("a date formats back to the text it was parsed from") {
  for (const char* text : {"1970-01-01", "2019-03-14", "2017-05-17", "2024-02-29", "0001-01-01", "9999-12-31",
                           "1900-03-01", "1969-07-20"}) {
    CAPTURE(text);
    const auto days = parse_date(text);
    REQUIRE(days.has_value());
    CHECK(format_date(*days) == text);
  }
  // And every day of a span that covers leap and century years round-trips through civil dates.
  for (std::int64_t day = *parse_date("1896-01-01"); day < *parse_date("2104-12-31"); day += 7) {
    const auto again = parse_date(format_date(day));
    REQUIRE(again.has_value());
    CHECK(*again == day);
  }
}

TEST_CASE("articles order as the code does: 371/1 < 372 < 377 < 377bis < 377ter < 377quater") {
  const std::vector<std::string> in_order{"371/1",     "372",    "377",          "377bis", "377ter",
                                          "377quater", "405ter", "433quinquies", "458",    "458bis"};
  for (std::size_t i = 0; i + 1 < in_order.size(); ++i) {
    CAPTURE(in_order[i]);
    const auto a = parse_article(in_order[i]);
    const auto b = parse_article(in_order[i + 1]);
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(*a < *b);
  }
  CHECK(*parse_article("371") < *parse_article("371/1"));
  CHECK(*parse_article("371/1") < *parse_article("371/2"));
}

TEST_CASE("parse_article rejects text that is no article number") {
  for (const char* text : {"", "abc", "12zz", "/1", "371/", "bis", "377 bis", "377Bis", "-3", "371/1/2"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_article(text).has_value());
  }
}

TEST_CASE("an article formats back to the text it was parsed from") {
  for (const char* text : {"1", "371/1", "372", "377", "377bis", "377ter", "377quater", "405ter", "433quinquies",
                           "458bis", "99999", "999/999"}) {
    CAPTURE(text);
    const auto key = parse_article(text);
    REQUIRE(key.has_value());
    CHECK(format_article(*key) == text);
  }
}

TEST_CASE("fnv1a64 matches the published test vectors") {
  CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a64("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("fnv1a64 changes when any single byte changes") {
  const std::string text = "SECRETBC and some payload";
  const std::uint64_t base = fnv1a64(text);
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string damaged = text;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x01);
    CHECK(fnv1a64(damaged) != base);
  }
}
