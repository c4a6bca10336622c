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
  CHECK_FALSE(
      matches_all<g::article_lit>("458"));  // a plain number is an integer, read as an article where one is expected
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

TEST_CASE("the header, doubt lists, provisos, warnings and the new expectations, in both languages") {
  CHECK(matches_all<g::rulebase_decl>("base \"b\" version \"1\" à jour au 2024-01-01"));
  CHECK(matches_all<g::rulebase_decl>("base \"b\" version \"1\" a jour au 2024-01-01"));
  CHECK(matches_all<g::rulebase_decl>("rulebase \"b\" version \"1\" as of 2024-01-01"));
  CHECK(matches_all<g::rulebase_decl>("rulebase \"b\" version \"1\""));
  CHECK(matches_all<g::output_decl>("sortie v : énumération { a, b, c } = a dans le doute a, b"));
  CHECK(matches_all<g::output_decl>("sortie v : e\n  dans le doute c"));
  CHECK(matches_all<g::output_decl>("output v : e = a in doubt a, b"));
  CHECK(matches_all<g::proviso_clause>("pourvu que x.connu et non y \"le texte\""));
  CHECK(matches_all<g::proviso_clause>("pourvu que x"));
  CHECK(matches_all<g::proviso_clause>("provided x or y \"the text\""));
  CHECK(matches_all<g::rule_decl>("règle r quand a pourvu que b \"t\" pourvu que c alors v = x"));
  CHECK(
      matches_all<g::warning_decl>("avertissement w \"Titre\" cite \"loi\" valable à partir du 2022-06-01\n"
                                   "  quand x est connu parce que \"raison\" note \"une note\""));
  CHECK(matches_all<g::warning_decl>("warning w when x is known because \"why\""));
  CHECK(matches_all<g::expect_clause>(
      "attendu v possible { a, b }, sous réserve r, sous reserve r, dépend de x.y, depend de x.y"));
  CHECK(matches_all<g::expect_clause>("expect v possible { a, b }, provided r, depends on x.y"));
}

TEST_CASE("the new keywords are not names") {
  CHECK_FALSE(matches_all<g::name>("pourvu"));
  CHECK_FALSE(matches_all<g::name>("provided"));
  CHECK_FALSE(matches_all<g::name>("avertissement"));
  CHECK_FALSE(matches_all<g::name>("warning"));
  CHECK(matches_all<g::name>("pourvu_que"));
}

TEST_CASE("a header date or a doubt list left unfinished is a located error saying what is expected") {
  using secretc::testing::compile_one;
  using secretc::testing::errors_of;
  const auto date = compile_one("base \"b\" version \"1\" à jour au hier\nfait x : booléen\n");
  CHECK(errors_of(date).find("test.rules:1:32: error: expected a date `YYYY-MM-DD` after `à jour au` (`as of`)") !=
        std::string::npos);
  const auto doubt = compile_one("base \"b\" version \"1\"\nsortie v : énumération { a, b } dans le doute\n");
  CHECK(errors_of(doubt).find("error: expected a member after `dans le doute` (`in doubt`)") != std::string::npos);
}

TEST_CASE("the new declarations in French and in English compile to the same program") {
  using secretc::testing::compile_one;
  using secretc::testing::errors_of;
  const auto fr = compile_one(R"(
base "b" version "1" à jour au 2024-01-01
fait x : booléen
fait y : booléen = faux
fait cas.date : date = aujourd'hui
sortie v : énumération { a, b, c } = a dans le doute a, b
règle r quand x pourvu que non y "le texte" alors v = b
avertissement w "W" valable à partir du 2022-06-01 quand x est connu parce que "raison"
test "t" { soit x = vrai, y = ? attendu v = b, sous réserve r, appliquée w }
test "u" { soit x = ? attendu v possible { a, b }, dépend de x }
)");
  REQUIRE_MESSAGE(fr.program.has_value(), errors_of(fr));
  const auto en = compile_one(R"(
rulebase "b" version "1" as of 2024-01-01
fact x : bool
fact y : bool = false
fact cas.date : date = today
output v : enum { a, b, c } = a in doubt a, b
rule r when x provided not y "le texte" then v = b
warning w "W" valid from 2022-06-01 when x is known because "raison"
test "t" { given x = true, y = ? expect v = b, provided r, fired w }
test "u" { given x = ? expect v possible { a, b }, depends on x }
)");
  REQUIRE_MESSAGE(en.program.has_value(), errors_of(en));
  const secretc::Program& f = *fr.program;
  const secretc::Program& e = *en.program;
  CHECK(f.law_as_of == e.law_as_of);
  CHECK(f.outputs[0].doubt == e.outputs[0].doubt);
  CHECK(f.rules[0].provisos[0].text == e.rules[0].provisos[0].text);
  CHECK(f.rules[1].kind == secretc::RuleKind::Warning);
  CHECK(e.rules[1].kind == secretc::RuleKind::Warning);
  CHECK(f.code.size() == e.code.size());
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
  const auto c = compile_one("rulebase \"b\" version \"1\"\nfact x : bool\noutput s : enum { a, b } = a\nrule r when " +
                             deep + "x then s = b\n");
  CHECK(c.diags.has_errors());
  CHECK(secretc::testing::errors_of(c).find("nested more than") != std::string::npos);
}
