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

std::string with_prelude(const std::string& rules) { return std::string(kPrelude) + rules; }
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
  const auto c = compile_one(with_prelude("règle r quand confident.fonction == destinataire.qualite alors verdict = peut_reveler\n"));
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
  const auto c = compile_one(with_prelude("règle r quand infraction.article == \"abc\" alors verdict = peut_reveler\n"));
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
