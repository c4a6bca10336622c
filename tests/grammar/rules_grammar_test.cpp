#include <doctest/doctest.h>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/rules_grammar.hpp"
#include "tests/compiler/support.hpp"

namespace g = secretc::grammar::rules;
namespace p = tao::pegtl;

namespace {
template <typename Rule>
bool matches_all(const std::string& text) {
  p::memory_input in(text, "test");
  try {
    return p::parse<p::seq<Rule, p::eof>>(in);
  } catch (const p::parse_error&) {
    return false;
  }
}
}  // namespace

TEST_CASE("the rule grammar has no left recursion and no infinite loop") {
  CHECK(p::analyze<g::file>(-1) == 0);
}

TEST_CASE("expressions: Kleene operators in both languages, chains, membership, knowledge") {
  CHECK(matches_all<g::expr>("a et b ou non c"));
  CHECK(matches_all<g::expr>("a and b or not c"));
  CHECK(matches_all<g::expr>("377 < 377bis < 377quater"));
  CHECK(matches_all<g::expr>("infraction.article dans { 371/1 .. 377, 396 .. 405ter, 409 }"));
  CHECK(matches_all<g::expr>("x pas dans liste"));
  CHECK(matches_all<g::expr>("x not in { a, b }"));
  CHECK(matches_all<g::expr>("victime.mineur est connu"));
  CHECK(matches_all<g::expr>("victime.mineur is unknown"));
  CHECK(matches_all<g::expr>("cas.date >= 2017-07-06 et (a ou b)"));
  CHECK(matches_all<g::expr>("cas.titre == \"avec \\\"guillemets\\\"\""));
}

TEST_CASE("a keyword is not a name") {
  CHECK_FALSE(matches_all<g::name>("alors"));
  CHECK_FALSE(matches_all<g::name>("et"));
  CHECK(matches_all<g::name>("etat.civil"));
  CHECK(matches_all<g::name>("alors_que"));
}

TEST_CASE("literals: dates, articles, integers, strings") {
  CHECK(matches_all<g::date_lit>("2019-03-14"));
  CHECK(matches_all<g::article_lit>("371/1"));
  CHECK(matches_all<g::article_lit>("433quinquies"));
  CHECK_FALSE(matches_all<g::article_lit>("458"));  // a plain number is an integer, read as an article where one is expected
  CHECK(matches_all<g::integer_lit>("458"));
  CHECK(matches_all<g::string_lit>("\"sur\n plusieurs lignes\""));
}

TEST_CASE("declarations in French and in English") {
  using secretc::testing::compile_one;
  using secretc::testing::errors_of;
  const auto fr = compile_one(R"(
base "b" version "1"
énumération e { a "le a", b }
fait x : e "Question ?"
fait cas.date : date = aujourd'hui
définition d = x == a
sortie s : énumération { oui_, non_ } = non_
sortie c : ensemble de e
règle r "Titre" cite "art. 1" valable du 2017-01-01 au 2019-01-01 "raison"
  quand d alors s = oui_, c += { a, b } parce que "parce que" note "une note"
règle r2 prime sur r valable à partir du 2018-01-01 quand x == b alors s = non_
règle r3 valable jusqu'au 2018-01-01 quand x == b alors c += a
test "t" { soit x = a, cas.date = 2018-01-01 attendu s = oui_, c = { a, b }, appliquée r, non appliquée r2 }
)");
  CHECK_MESSAGE(fr.program.has_value(), errors_of(fr));
  const auto en = compile_one(R"(
rulebase "b" version "1"
enum e { a, b }
fact x : e "Question?"
fact case.flag : bool = false
fact cas.date : date = today
define d = x == a and not case.flag
output s : enum { yes, no } = no
output c : set of e
rule r "Title" cite "art. 1" valid from 2017-01-01 until 2019-01-01 "reason"
  when d then s = yes, c += { a, b } because "because"
rule r2 overrides r valid from 2018-01-01 when x == b then s = no
rule r3 valid until 2018-01-01 when x == b then c += a
test "t" { given x = a, cas.date = 2018-01-01 expect s = yes, c contains { a }, fired r, not fired r2 }
)");
  CHECK_MESSAGE(en.program.has_value(), errors_of(en));
}

TEST_CASE("a long explanation over several lines reads as one sentence") {
  using secretc::testing::compile_one;
  const auto c = compile_one(R"(
rulebase "b" version "1"
fact x : bool
output s : enum { yes, no } = no
rule r when x then s = yes because "first line
      second line"
)");
  REQUIRE(c.program.has_value());
  CHECK(c.program->rules[0].because == "first line second line");
}

TEST_CASE("conditions nested too deep are a located error, not a crash") {
  using secretc::testing::compile_one;
  std::string deep(5000, '(');
  const auto c = compile_one("rulebase \"b\" version \"1\"\nfact x : bool\noutput s : enum { a, b } = a\nrule r when " + deep + "x then s = b\n");
  CHECK(c.diags.has_errors());
  CHECK(secretc::testing::errors_of(c).find("nested more than") != std::string::npos);
}
