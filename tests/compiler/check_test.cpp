#include <doctest/doctest.h>

#include "tests/compiler/support.hpp"

using namespace secretc;
using secretc::testing::compile_one;
using secretc::testing::errors_of;

namespace {
const char* kPrelude = R"(
base "t" version "1"
énumération fonction { medecin, psychologue, autre }
énumération qualite { juge, police, autre }
fait cas.date : date = aujourd'hui
fait confident.fonction : fonction "Quelle est votre fonction ?"
fait destinataire.qualite : qualite
fait victime.mineur : booléen
fait infraction.article : article
sortie verdict : énumération { garder_le_secret, peut_reveler } = garder_le_secret
sortie conditions : ensemble de énumération { strictement_necessaire, informer }
)";

std::string with_prelude(const std::string& rules) {
  return std::string(kPrelude) + rules;
}
}  // namespace

TEST_CASE("a well-formed French rulebase compiles and verifies") {
  const auto c = compile_one(with_prelude(R"(
règle r "R" cite "art. 1" quand confident.fonction == medecin et victime.mineur alors verdict = peut_reveler
)"));
  CHECK_MESSAGE(c.program.has_value(), errors_of(c));
}

TEST_CASE("an unknown fact is located and gets a suggestion") {
  const auto c = compile_one(with_prelude("règle r quand confident.fontion == medecin alors verdict = peut_reveler\n"));
  REQUIRE(c.diags.has_errors());
  const std::string e = errors_of(c);
  CHECK(e.find("test.rules:12:15: error: unknown fact `confident.fontion`") != std::string::npos);
  CHECK(e.find("did you mean `confident.fonction`?") != std::string::npos);
  CHECK(e.find("^") != std::string::npos);
}

TEST_CASE("comparing an enumeration with a member of another is a type error") {
  const auto c = compile_one(with_prelude("règle r quand confident.fonction == juge alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("`juge` is not a member of `fonction`") != std::string::npos);
}

TEST_CASE("comparing a date with a boolean is a type error") {
  const auto c = compile_one(with_prelude("règle r quand cas.date == victime.mineur alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("cannot compare `date` with `booléen`") != std::string::npos);
}

TEST_CASE("comparing two different enumerations is a type error") {
  const auto c = compile_one(
      with_prelude("règle r quand confident.fonction == destinataire.qualite alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("cannot compare `fonction` with `qualite`") != std::string::npos);
}

TEST_CASE("an unknown member in an effect gets a suggestion") {
  const auto c = compile_one(with_prelude("règle r quand victime.mineur alors verdict = peut_revele\n"));
  const std::string e = errors_of(c);
  CHECK(e.find("`peut_revele` is not a member of `verdict`") != std::string::npos);
  CHECK(e.find("did you mean `peut_reveler`?") != std::string::npos);
}

TEST_CASE("a duplicate rule name is an error") {
  const auto c = compile_one(with_prelude(R"(
règle r quand victime.mineur alors verdict = peut_reveler
règle r quand victime.mineur alors verdict = peut_reveler
)"));
  CHECK(errors_of(c).find("the rule `r` is declared twice") != std::string::npos);
}

TEST_CASE("overriding a rule that does not exist is an error with a suggestion") {
  const auto c = compile_one(with_prelude(R"(
règle temoignage quand victime.mineur alors verdict = peut_reveler
règle mediateur prime sur temoignag quand victime.mineur alors verdict = garder_le_secret
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("`mediateur` overrides `temoignag`, but there is no such rule") != std::string::npos);
  CHECK(e.find("did you mean `temoignage`?") != std::string::npos);
}

TEST_CASE("a cycle of definitions is an error that names it") {
  const auto c = compile_one(with_prelude(R"(
définition a = b et victime.mineur
définition b = a
)"));
  CHECK(errors_of(c).find("the definitions form a cycle: a → b → a") != std::string::npos);
}

TEST_CASE("a cycle of precedence is an error that names it") {
  const auto c = compile_one(with_prelude(R"(
règle x prime sur y quand victime.mineur alors verdict = peut_reveler
règle y prime sur x quand victime.mineur alors verdict = garder_le_secret
)"));
  CHECK(errors_of(c).find("the precedence of `x` is circular") != std::string::npos);
}

TEST_CASE("a rule reading the output it decides is a dependency cycle") {
  const auto c = compile_one(with_prelude(R"(
règle x quand verdict == peut_reveler alors verdict = peut_reveler
)"));
  CHECK(errors_of(c).find("dependency cycle: ") != std::string::npos);
}

TEST_CASE("a validity period needs cas.date") {
  const auto c = compile_one(R"(
rulebase "t" version "1"
fact a : bool
output v : enum { x, y } = x
rule r valid from 2017-01-01 when a then v = y
)");
  CHECK(errors_of(c).find("a rule with a validity period needs the fact `cas.date`") != std::string::npos);
}

TEST_CASE("every error of a file is reported, with its line") {
  const auto c = compile_one(with_prelude(R"(
règle a quand victime.mineur et
règle b quand (victime.mineur alors verdict = peut_reveler
règle c quand victime.mineur alors verdict = peut_reveler
règle d quand inconnu.fait alors verdict = peut_reveler
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("test.rules:14:1: error: expected a condition after `et`") != std::string::npos);
  CHECK(e.find("test.rules:14:31: error: expected `)`") != std::string::npos);
  CHECK(c.diags.error_count() >= 2);
}

TEST_CASE("mixing French and English keywords is an error") {
  const auto c = compile_one(with_prelude("rule r when victime.mineur then verdict = peut_reveler\n"));
  const std::string e = errors_of(c);
  CHECK(e.find("`rule` is English but this file is written in French") != std::string::npos);
}

TEST_CASE("an enumeration member used alone is not a condition") {
  const auto c = compile_one(with_prelude("règle r quand confident.fonction alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("the condition of `r` is of type `fonction`, not a condition") != std::string::npos);
}

TEST_CASE("a set output is added to with += and a scalar is set with =") {
  const auto c = compile_one(with_prelude(R"(
règle r quand victime.mineur alors verdict += peut_reveler, conditions = strictement_necessaire
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("`verdict` holds one value: set it with `=`") != std::string::npos);
  CHECK(e.find("`conditions` is a set: add to it with `+=`") != std::string::npos);
}

TEST_CASE("article literals compare in the order of the code") {
  const auto c = compile_one(with_prelude(R"(
définition liste = { 371/1 .. 377, 377quater, "405ter" }
règle r quand 377 < 377bis < 377quater et infraction.article dans liste alors verdict = peut_reveler
)"));
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
}

TEST_CASE("a string that is no article is an error where an article is expected") {
  const auto c =
      compile_one(with_prelude("règle r quand infraction.article == \"abc\" alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("`abc` is not an article of law") != std::string::npos);
}

TEST_CASE("a test naming an unknown rule or fact is an error") {
  const auto c = compile_one(with_prelude(R"(
règle r quand victime.mineur alors verdict = peut_reveler
test "t" { soit victime.mineur = vrai attendu appliquée rr, manquant victime.mineu }
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("unknown rule `rr`") != std::string::npos);
  CHECK(e.find("unknown fact `victime.mineu`") != std::string::npos);
}

// --- answers under uncertainty: doubt lists, provisos, warnings, the new expectations ------------------

TEST_CASE("a well-formed rulebase with doubt, provisos and a warning compiles") {
  const auto c = compile_one(R"(
base "t" version "1" à jour au 2024-01-01
fait cas.date : date = aujourd'hui
fait victime.mineur : booléen
fait information.strictement_necessaire : booléen
sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret
  dans le doute garder_le_secret, peut_reveler
règle r quand victime.mineur
  pourvu que information.strictement_necessaire "vous ne communiquez que le strict nécessaire"
  alors verdict = peut_reveler
avertissement reforme "Réforme" valable à partir du 2022-06-01 quand victime.mineur est connu parce que "…"
test "t" {
  soit victime.mineur = vrai, information.strictement_necessaire = ?
  attendu verdict = peut_reveler, sous réserve r, appliquée reforme
}
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  CHECK(p.law_as_of == parse_date("2024-01-01"));
  CHECK(p.outputs[0].doubt == std::vector<std::uint32_t>{0, 1});
  REQUIRE(p.rules.size() == 2);
  CHECK(p.rules[0].kind == RuleKind::Rule);
  REQUIRE(p.rules[0].provisos.size() == 1);
  CHECK(p.rules[0].provisos[0].text == "vous ne communiquez que le strict nécessaire");
  CHECK(p.rules[0].provisos[0].facts_read ==
        std::vector<std::uint32_t>{*p.find_fact("information.strictement_necessaire")});
  // The proviso's facts are kept apart from the condition's: they are limits, not questions.
  CHECK(p.rules[0].facts_read == std::vector<std::uint32_t>{*p.find_fact("victime.mineur")});
  CHECK(p.rules[1].kind == RuleKind::Warning);
  CHECK(p.rules[1].effects.empty());
}

TEST_CASE("a member in doubt that the output does not have is an error with a suggestion") {
  const auto c =
      compile_one(with_prelude("sortie avis : énumération { garder, parler } dans le doute garder, parle\n"));
  const std::string e = errors_of(c);
  CHECK(e.find("test.rules:12:68: error: `parle` is not a member of `avis`") != std::string::npos);
  CHECK(e.find("did you mean `parler`?") != std::string::npos);
}

TEST_CASE("a member in doubt twice is an error") {
  const auto c =
      compile_one(with_prelude("sortie avis : énumération { garder, parler } dans le doute garder, garder\n"));
  CHECK(errors_of(c).find("test.rules:12:68: error: `garder` is already in the list") != std::string::npos);
}

TEST_CASE("a set output has no values in doubt") {
  const auto c = compile_one(with_prelude("sortie limites : ensemble de fonction dans le doute medecin\n"));
  const std::string e = errors_of(c);
  CHECK(e.find("test.rules:12:53: error: a set output has no value in doubt") != std::string::npos);
  CHECK(e.find("remove `dans le doute` (`in doubt`)") != std::string::npos);
}

TEST_CASE("a warning decides nothing: no alors, no prime sur, no pourvu que") {
  const auto c = compile_one(with_prelude(R"(
règle r quand victime.mineur alors verdict = peut_reveler
avertissement a quand victime.mineur alors verdict = peut_reveler
avertissement b prime sur r quand victime.mineur
avertissement c quand victime.mineur pourvu que victime.mineur
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("test.rules:14:44: error: the warning `a` cannot decide an output") != std::string::npos);
  CHECK(e.find("test.rules:15:27: error: the warning `b` cannot override a rule") != std::string::npos);
  CHECK(e.find("test.rules:16:38: error: the warning `c` cannot have a proviso") != std::string::npos);
  CHECK(e.find("a warning takes `cite`, `valable`, `quand`, `parce que` and `note`") != std::string::npos);
  CHECK(c.diags.error_count() == 3);
}

TEST_CASE("a warning without alors is no error, as a rule without alors is") {
  const auto warning = compile_one(with_prelude("avertissement a quand victime.mineur\n"));
  CHECK_MESSAGE(warning.program.has_value(), errors_of(warning));
  const auto rule = compile_one(with_prelude("règle a quand victime.mineur\n"));
  CHECK(errors_of(rule).find("the rule `a` has no `alors` (`then`)") != std::string::npos);
}

TEST_CASE("no rule overrides a warning") {
  const auto c = compile_one(with_prelude(R"(
avertissement a quand victime.mineur
règle r prime sur a quand victime.mineur alors verdict = peut_reveler
)"));
  CHECK(errors_of(c).find("test.rules:14:19: error: `a` is a warning: it decides nothing, so nothing overrides it") !=
        std::string::npos);
}

TEST_CASE("a proviso is a condition") {
  const auto c = compile_one(with_prelude(
      "règle r quand victime.mineur pourvu que confident.fonction \"texte\" alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("test.rules:12:41: error: the proviso of `r` is of type `fonction`, not a condition") !=
        std::string::npos);
}

TEST_CASE("a proviso reading the output its rule decides is a dependency cycle") {
  const auto c = compile_one(
      with_prelude("règle r quand victime.mineur pourvu que verdict == peut_reveler alors verdict = peut_reveler\n"));
  CHECK(errors_of(c).find("dependency cycle: rule `r` needs output `verdict` needs rule `r`") != std::string::npos);
}

TEST_CASE("a proviso naming an unknown fact is an error with a suggestion") {
  const auto c =
      compile_one(with_prelude("règle r quand victime.mineur pourvu que victime.mineu alors verdict = peut_reveler\n"));
  const std::string e = errors_of(c);
  CHECK(e.find("unknown fact `victime.mineu`") != std::string::npos);
  CHECK(e.find("did you mean `victime.mineur`?") != std::string::npos);
}

TEST_CASE("the day the rules were checked against the law is a valid date") {
  const auto c = compile_one("base \"t\" version \"1\" à jour au 2024-02-30\nfait a : booléen\n");
  CHECK(errors_of(c).find("test.rules:1:32: error: `2024-02-30` is not a valid date") != std::string::npos);
}

TEST_CASE("the new expectations name existing rules and facts, and an unsettled scalar lists two values") {
  const auto c = compile_one(with_prelude(R"(
règle r quand victime.mineur alors verdict = peut_reveler
test "t" {
  soit victime.mineur = ?
  attendu verdict possible { peut_reveler }, sous réserve rr, dépend de victime.mineu
}
)"));
  const std::string e = errors_of(c);
  CHECK(e.find("an unsettled `verdict` has at least two possible values; list them all") != std::string::npos);
  CHECK(e.find("unknown rule `rr`") != std::string::npos);
  CHECK(e.find("unknown fact `victime.mineu`") != std::string::npos);
}

// docs/language.md: "a proviso's facts are not open questions". They are kept apart from the facts
// the rule reads — also when the proviso reads them through a definition.
TEST_CASE("a proviso's facts are not the rule's, whether it reads them directly or through a definition") {
  const auto c = compile_one(R"(
rulebase "p" version "1"
fact x : bool
fact y : bool
fact z : bool
define d = y
output v : enum { no, yes } = no
rule direct when x provided z then v = yes
rule through when x provided d then v = yes
)");
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const Program& p = *c.program;
  const std::uint32_t x = *p.find_fact("x"), y = *p.find_fact("y"), z = *p.find_fact("z");
  CHECK(p.rules[0].facts_read == std::vector<std::uint32_t>{x});
  CHECK(p.rules[0].provisos[0].facts_read == std::vector<std::uint32_t>{z});
  CHECK(p.rules[1].provisos[0].facts_read == std::vector<std::uint32_t>{y});
  CHECK(p.rules[1].facts_read == std::vector<std::uint32_t>{x});
  // So y is no open question when the rule is in doubt, as z is not.
  Machine m(p);
  const BoundCase b = secretc::testing::bind(p, {{"x", "?"}});
  CHECK(m.evaluate(b.facts, &b.given).missing == std::vector<std::uint32_t>{x});
}

TEST_CASE("a synonym that reads as another member is an error: a case's word must name one member") {
  const std::string errors = errors_of(compile_one("base \"x\" version \"1\"\nénumération e { a | b, b, c | C }\n"));
  CHECK(errors.find("the synonym `b` of `a` reads as `b`, another member of `e`") != std::string::npos);
  CHECK(errors.find("`C`") == std::string::npos);
}
