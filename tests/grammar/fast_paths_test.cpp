// The rule grammar's hand-written fast paths against the PEGTL rules they replace: `reserved` (one
// lookup by first byte instead of a `keyword<>` per reserved word), `string_body` and `sp` (byte loops
// instead of a rule per character). Each must match exactly what the PEGTL form matches: the same success, the
// same length, the same error at the same place. (The parse tree built without a node per rule tried
// is compared with PEGTL's in parse_trees_agree_test.cpp.)
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include <tao/pegtl.hpp>

#include "grammar/rules_errors.hpp"
#include "grammar/rules_grammar.hpp"

namespace g = secretc::grammar::rules;
namespace p = tao::pegtl;

namespace {

// What Rule makes of `text`: "no", "raise <message> at <byte>", or "yes <bytes taken> <line>:<column>".
template <typename Rule>
std::string outcome(const std::string& text) {
  p::memory_input in(text, "test");
  try {
    if (!p::parse<Rule, p::nothing, g::error_control>(in)) return "no";
    return "yes " + std::to_string(in.byte()) + " " + std::to_string(in.line()) + ":" + std::to_string(in.column());
  } catch (const p::parse_error& e) {
    return std::string("raise ") + std::string(e.message()) + " at " + std::to_string(e.positions().front().byte);
  }
}

using reserved_sor = decltype(g::keywords::reserved_rule(std::make_index_sequence<g::keywords::kReserved.size()>{}));
using string_until = p::until<p::one<'"'>, g::string_char>;

}  // namespace

TEST_CASE("`reserved` matches exactly what a keyword<> per reserved word matches") {
  std::vector<std::string> inputs = {"", " ", "x", "_", "9", "é", "é_", "abc", "Quand", "vrai_ment"};
  for (const std::string_view w : g::keywords::kReserved) {
    const std::string word(w);
    for (const char* after : {"", " ", "x", "_", "9", ".", "(", "\n", "é", "Z"}) inputs.push_back(word + after);
    inputs.push_back(word.substr(0, word.size() - 1));  // a prefix of it
    inputs.push_back("_" + word);
  }
  for (const std::string& text : inputs) {
    CAPTURE(text);
    CHECK(outcome<g::reserved>(text) == outcome<reserved_sor>(text));
  }
  CHECK(outcome<g::reserved>("quand") != "no");
  CHECK(outcome<g::reserved>("quandx") == "no");
}

TEST_CASE("`string_body` and `string_lit` match, take and raise exactly as the PEGTL rules they replace") {
  std::vector<std::string> inputs = {
      "",          "\"",     "abc",    "abc\"",          "a\\\"b\"", "a\\\\\"",     "a\\\\",
      "a\\",       "a\\n\"", "a\\x\"", "ligne\nsuite\"", "\r\n\"",   "é à ç\"rest", "\\\"",
      "\\\\\\\"\""};
  // Random texts over the bytes that matter: quotes, backslashes, line breaks, letters, UTF-8.
  const std::string alphabet[] = {"\"", "\\", "\n", "\r\n", "a", " ", "é", "\\\"", "\\\\"};
  std::mt19937 rng(7);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) text += alphabet[rng() % std::size(alphabet)];
    inputs.push_back(text);
  }
  for (const std::string& text : inputs) {
    CAPTURE(text);
    CHECK(outcome<g::string_body>(text) == outcome<string_until>(text));
  }
  CHECK(outcome<g::string_body>("a\\q\"").rfind("raise", 0) == 0);
  // A string literal, from its opening quote: as the sequence it replaces (itself over string_body).
  using string_seq = p::seq<p::at<p::one<'"'>>, p::must<g::closed_string>, p::one<'"'>, g::string_body>;
  for (const std::string& text : inputs) {
    CAPTURE(text);
    CHECK(outcome<g::string_lit>(text) == outcome<string_seq>(text));
    CHECK(outcome<g::string_lit>("\"" + text) == outcome<string_seq>("\"" + text));
  }
  CHECK(outcome<g::string_lit>("\"abc").find(" at 0") != std::string::npos);
}

TEST_CASE("`sp` takes exactly the blanks, line ends and comments that p::star< ws > takes") {
  std::vector<std::string> inputs = {"",         " ",         "x",        "  x",           "\n\n",
                                     "\r",       "\r\n",      "\rx",      "# c",           "# c\n",
                                     "# c\r\nx", "# c\rx\ny", "#\n#\n x", "\t#é\n\tregle", "# \xff\xfe\n"};
  // Random texts over the bytes that matter: blanks, CR, LF, `#`, letters, bytes beyond ASCII.
  const std::string alphabet[] = {" ", "\t", "\r", "\n", "\r\n", "#", "a", "é", "\"", "\x01"};
  std::mt19937 rng(11);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % 14);
    for (int k = 0; k < n; ++k) text += alphabet[rng() % std::size(alphabet)];
    inputs.push_back(text);
  }
  for (const std::string& text : inputs) {
    CAPTURE(text);
    CHECK(outcome<g::sp>(text) == outcome<p::star<g::ws>>(text));
    const std::string after_a = "a" + text;
    CHECK(outcome<p::seq<p::one<'a'>, g::sp, p::eof>>(after_a) ==
          outcome<p::seq<p::one<'a'>, p::star<g::ws>, p::eof>>(after_a));
  }
  CHECK(outcome<g::sp>(" # c\n x") == "yes 6 2:2");
}
