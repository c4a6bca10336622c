// `diff` as a library: what changed in the text of a rulebase, and which cases get another answer.
#include <doctest/doctest.h>

#include <algorithm>
#include <variant>

#include "analysis/decompile.hpp"
#include "analysis/diff.hpp"
#include "runtime/bytecode.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

// A French rulebase shaped like art. 46bis/1 CIC: an active duty, annulled on 14 March 2019.
const char* kBefore = R"(
base "essai" version "1"
énumération secteur { cpas, mutualite, prive, autre }
fait cas.date : date = aujourd'hui
fait confident.secteur : secteur
fait indices : booléen
fait benevole : booléen = faux
sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret
sortie conditions : ensemble de énumération { au_procureur, strict }

règle secret "Secret"
  cite "art. 458 C. pén."
  quand confident.secteur est connu
  alors verdict = garder_le_secret
  parce que "Le secret est la règle."

règle declaration "Déclarer"
  cite "art. 46bis/1 CIC"
  valable à partir du 2017-05-17
  prime sur secret
  quand confident.secteur dans { cpas, mutualite } et indices et non benevole
  alors verdict = doit_reveler, conditions += au_procureur
  parce que "La loi oblige à déclarer."
)";

const char* kAfter = R"(
base "essai" version "2"
énumération secteur { cpas, mutualite, prive, autre }
fait cas.date : date = aujourd'hui
fait confident.secteur : secteur
fait indices : booléen
fait benevole : booléen = faux
sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret
sortie conditions : ensemble de énumération { au_procureur, strict }

règle secret "Secret"
  cite "art. 458 C. pén."
  quand confident.secteur est connu
  alors verdict = garder_le_secret
  parce que "Le secret est la règle."

règle declaration "Déclarer"
  cite "art. 46bis/1 CIC"
  valable du 2017-05-17 au 2019-03-14 "annulée par C.C., arrêt 44/2019"
  prime sur secret
  quand confident.secteur dans { cpas, mutualite } et indices et non benevole
  alors verdict = doit_reveler, conditions += au_procureur
  parce que "La loi oblige à déclarer."
)";

Program compiled(const std::string& text) {
  auto c = compile_one(text);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  return std::move(*c.program);
}

DiffReport diff(const std::string& a, const std::string& b) {
  const Program pa = compiled(a), pb = compiled(b);
  DiffOptions options;
  options.today = *parse_date("2024-05-01");
  auto r = diff_programs(pa, pb, options);
  REQUIRE_MESSAGE(std::holds_alternative<DiffReport>(r), std::get<std::string>(r));
  return std::get<DiffReport>(std::move(r));
}

std::string value_of(const smt::Witness& w, const std::string& name) {
  for (const auto& l : w.lines) {
    if (l.name == name) return l.value;
  }
  return "(absent)";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("an annulled duty shows the answer that changes with a witness dated after the annulment") {
  const DiffReport r = diff(kBefore, kAfter);
  REQUIRE(r.changed.size() == 1);
  CHECK(r.changed[0].name == "declaration");
  REQUIRE(r.changed[0].changes.size() == 1);
  CHECK(r.changed[0].changes[0].clause == "validity");
  CHECK(r.changed[0].changes[0].old_text == "valable à partir du 2017-05-17");
  CHECK(r.changed[0].changes[0].new_text == "valable du 2017-05-17 au 2019-03-14 \"annulée par C.C., arrêt 44/2019\"");
  REQUIRE(r.vocabulary.size() == 1);  // the version
  CHECK(r.vocabulary[0].kind == "rulebase");

  // Settled answers that change come first: the duty, then the member it added; then the answers
  // that were not settled and now are.
  REQUIRE(r.behaviour.size() == 4);
  const BehaviourChange& verdict = r.behaviour[0];
  CHECK(verdict.output == "verdict");
  CHECK(verdict.old_side.value == "doit_reveler");
  CHECK(verdict.old_side.settled);
  CHECK(verdict.new_side.value == "garder_le_secret");
  CHECK(verdict.new_side.settled);
  CHECK(verdict.old_side.decided_by == std::vector<std::string>{"declaration"});
  CHECK(verdict.new_side.decided_by == std::vector<std::string>{"secret"});
  CHECK(verdict.file_name == "1_verdict_doit_reveler_to_garder_le_secret.fact");
  // Minimal: the date (always written), the sector and the indications; `benevole` keeps its default.
  CHECK(verdict.witness.lines.size() == 3);
  CHECK(value_of(verdict.witness, "cas.date") == "2024-05-01");
  CHECK(value_of(verdict.witness, "indices") == "vrai");
  CHECK(value_of(verdict.witness, "benevole") == "(absent)");

  // A case that says nothing: OLD cannot settle the verdict (the duty may apply), NEW can.
  const BehaviourChange& open = r.behaviour[1];
  CHECK(open.output == "verdict");
  CHECK_FALSE(open.old_side.settled);
  CHECK(open.old_side.possible == std::vector<std::string>{"garder_le_secret", "doit_reveler"});
  CHECK(open.old_side.may_decide == std::vector<std::string>{"secret", "declaration"});
  CHECK(open.new_side.settled);
  CHECK(open.new_side.value == "garder_le_secret");
  CHECK(open.new_side.by_default);
  CHECK(open.witness.lines.size() == 1);  // the date only
  CHECK(open.file_name == "2_verdict_unknown_or_garder_le_secret_or_doit_reveler_or_none_to_garder_le_secret.fact");

  const BehaviourChange& conditions = r.behaviour[2];
  CHECK(conditions.set);
  CHECK(conditions.member == "au_procureur");
  CHECK_FALSE(conditions.member_added);
  CHECK(conditions.old_side.holds == "yes");
  CHECK(conditions.new_side.holds == "no");
  CHECK(conditions.file_name == "3_conditions_au_procureur_removed.fact");

  const BehaviourChange& maybe = r.behaviour[3];
  CHECK(maybe.member == "au_procureur");
  CHECK(maybe.old_side.holds == "maybe");
  CHECK(maybe.new_side.holds == "no");
  CHECK(maybe.file_name == "4_conditions_au_procureur_maybe_to_no.fact");
}

TEST_CASE("a witness case file says what it shows and how to check it") {
  const DiffReport r = diff(kBefore, kAfter);
  REQUIRE(!r.behaviour.empty());
  const std::string& file = r.behaviour[0].case_file;
  CHECK(file.find("# secretc diff, witness 1: `verdict` is doit_reveler with OLD and garder_le_secret with NEW") == 0);
  CHECK(file.find("#   verdict = doit_reveler: decided by `declaration`; `secret` is set aside by `declaration`") !=
        std::string::npos);
  CHECK(file.find("#   secretc check --rules NEW FILE") != std::string::npos);
  CHECK(file.find("\ncas.date = 2024-05-01\n") != std::string::npos);
}

TEST_CASE("reordered rules and a reworded explanation change no answer") {
  // The two rules swapped, and the explanation of one reworded.
  std::string after = kBefore;
  const auto secret = after.find("règle secret"), declaration = after.find("règle declaration");
  const std::string first = after.substr(secret, declaration - secret), second = after.substr(declaration);
  after = after.substr(0, secret) + second + "\n" + first;
  after = replaced(after, "Le secret est la règle.", "Se taire reste la règle.");
  const DiffReport r = diff(kBefore, after);
  CHECK(r.behaviour.empty());
  CHECK(r.inconclusive.empty());
  REQUIRE(r.changed.size() == 1);
  CHECK(r.changed[0].changes[0].clause == "because");
}

TEST_CASE("a condition written otherwise with the same meaning is shown as such") {
  const std::string after =
      replaced(kBefore, "confident.secteur dans { cpas, mutualite } et indices et non benevole",
               "non benevole et indices et (confident.secteur == mutualite ou confident.secteur == cpas)");
  const DiffReport r = diff(kBefore, after);
  CHECK(r.behaviour.empty());
  REQUIRE(r.changed.size() == 1);
  REQUIRE(r.changed[0].changes.size() == 1);
  CHECK(r.changed[0].changes[0].clause == "when");
  CHECK(r.changed[0].changes[0].same_meaning);
}

TEST_CASE("a condition that changes meaning is not called the same") {
  const std::string after = replaced(kBefore, "et non benevole", "");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.changed.size() == 1);
  CHECK_FALSE(r.changed[0].changes[0].same_meaning);
  // Volunteers (or people who do not say) now have the duty too: the witness gives `benevole`.
  REQUIRE(!r.behaviour.empty());
  const std::string benevole = value_of(r.behaviour[0].witness, "benevole");
  CHECK((benevole == "vrai" || benevole == "?"));
}

TEST_CASE("a default that changes is a vocabulary change and changes answers where the fact is not given") {
  const std::string after = replaced(kBefore, "fait benevole : booléen = faux", "fait benevole : booléen = vrai");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.vocabulary.size() == 1);
  CHECK(r.vocabulary[0].name == "benevole");
  CHECK(r.vocabulary[0].details[0].clause == "default");
  REQUIRE(!r.behaviour.empty());
  CHECK(value_of(r.behaviour[0].witness, "benevole") == "(absent)");
  // The cause: the fact's default, which the witness leaves to apply.
  for (const BehaviourChange& c : r.behaviour)
    CHECK(c.cause == std::vector<CauseItem>{{"fact", "benevole", "changed"}});
}

TEST_CASE("a member one version does not know is marked in the witness and that version answers without it") {
  std::string after = replaced(kBefore, "énumération secteur { cpas, mutualite, prive, autre }",
                               "énumération secteur { cpas, mutualite, caisse_allocations, prive, autre }");
  after = replaced(after, "dans { cpas, mutualite }", "dans { cpas, mutualite, caisse_allocations }");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.vocabulary.size() == 1);
  CHECK(r.vocabulary[0].kind == "enum");
  CHECK(r.vocabulary[0].details[0].new_text == "caisse_allocations");
  REQUIRE(!r.behaviour.empty());
  const BehaviourChange& c = r.behaviour[0];
  // OLD reads the case without the line: the sector is unknown, and the duty may apply.
  CHECK_FALSE(c.old_side.settled);
  CHECK(c.old_side.possible == std::vector<std::string>{"garder_le_secret", "doit_reveler"});
  CHECK(c.new_side.settled);
  CHECK(c.new_side.value == "doit_reveler");
  bool marked = false;
  for (const auto& l : c.witness.lines) {
    if (l.name == "confident.secteur") marked = l.value == "caisse_allocations" && !l.readable[0] && l.readable[1];
  }
  CHECK(marked);
  CHECK(c.case_file.find("means nothing to OLD") != std::string::npos);
  // The member OLD does not know is a cause, beside the rule whose set gained it.
  CHECK(std::find(c.cause.begin(), c.cause.end(), CauseItem{"enum", "secteur", "changed"}) != c.cause.end());
  CHECK(std::find(c.cause.begin(), c.cause.end(), CauseItem{"rule", "declaration", "changed"}) != c.cause.end());
}

TEST_CASE("a conflict the new version brings is an answer that changes to a conflict") {
  std::string after = kBefore;
  after += R"(
règle exception "Exception"
  cite "x"
  quand indices
  alors verdict = peut_reveler
  parce que "x"
)";
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.added.size() == 1);
  for (const BehaviourChange& c : r.behaviour) CHECK(c.cause == std::vector<CauseItem>{{"rule", "exception", "added"}});
  const auto conflict = std::find_if(r.behaviour.begin(), r.behaviour.end(),
                                     [](const BehaviourChange& c) { return c.new_side.conflict; });
  REQUIRE(conflict != r.behaviour.end());
  CHECK(conflict->file_name.find("_to_conflict.fact") != std::string::npos);
  CHECK(conflict->new_side.conflicting.size() == 2);
}

TEST_CASE("an answer that can no longer be settled is a change even when the value to act on stays") {
  // NEW lets volunteers speak; a case that does not say whether the person is one cannot settle it.
  std::string before = replaced(
      kBefore, "sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret",
      "sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret\n"
      "  dans le doute garder_le_secret, peut_reveler");
  std::string after = before + R"(
règle benevoles "Bénévoles"
  cite "x"
  prime sur secret
  quand indices et benevole
  alors verdict = peut_reveler
  parce que "x"
)";
  const DiffReport r = diff(before, after);
  const auto settled_change = std::find_if(r.behaviour.begin(), r.behaviour.end(), [](const BehaviourChange& c) {
    return c.output == "verdict" && c.old_side.settled && c.new_side.settled && c.new_side.value == "peut_reveler";
  });
  REQUIRE(settled_change != r.behaviour.end());
  CHECK(value_of(settled_change->witness, "benevole") == "vrai");
  const auto open = std::find_if(r.behaviour.begin(), r.behaviour.end(), [](const BehaviourChange& c) {
    return c.output == "verdict" && c.old_side.settled && !c.new_side.settled;
  });
  REQUIRE(open != r.behaviour.end());
  // The value to act on is the same; the answer is not: NEW says it may be `peut_reveler`.
  CHECK(open->old_side.value == "garder_le_secret");
  CHECK(open->new_side.value == "garder_le_secret");
  CHECK(open->new_side.possible == std::vector<std::string>{"garder_le_secret", "peut_reveler"});
  const auto& may = open->new_side.may_decide;
  CHECK(std::find(may.begin(), may.end(), "benevoles") != may.end());
  // The case leaves open whether the new rule fires: `indices` not given, or `benevole` written `?`
  // (left out, it takes its default, faux).
  const std::string indices = value_of(open->witness, "indices"), benevole = value_of(open->witness, "benevole");
  CHECK((indices == "(absent)" || indices == "?" || benevole == "?"));
  CHECK(benevole != "faux");
  // Both may apply, and the VM does not weigh their precedence there: no value is possible too.
  CHECK(answer_text(open->new_side) == "garder_le_secret (not settled: garder_le_secret, peut_reveler or none)");
  // Where OLD was not settled either, NEW may now also give `peut_reveler`: only with `benevole = ?`.
  const auto wider = std::find_if(r.behaviour.begin(), r.behaviour.end(), [](const BehaviourChange& c) {
    return c.output == "verdict" && !c.old_side.settled && !c.new_side.settled;
  });
  REQUIRE(wider != r.behaviour.end());
  CHECK(value_of(wider->witness, "benevole") == "?");
  CHECK(wider->new_side.possible.size() == wider->old_side.possible.size() + 1);
}

TEST_CASE("values in doubt change the value to act on while an answer is not settled") {
  const std::string after = replaced(
      kBefore, "sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret",
      "sortie verdict : énumération { garder_le_secret, peut_reveler, doit_reveler } = garder_le_secret\n"
      "  dans le doute garder_le_secret");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.vocabulary.size() == 1);
  CHECK(r.vocabulary[0].name == "verdict");
  CHECK(r.vocabulary[0].details[0].clause == "in doubt");
  CHECK(r.vocabulary[0].details[0].new_text == "garder_le_secret");
  // Not settled either way (the duty may apply); OLD has no value to act on, NEW keeps the secret.
  REQUIRE(r.behaviour.size() == 1);
  const BehaviourChange& c = r.behaviour[0];
  CHECK_FALSE(c.old_side.settled);
  CHECK_FALSE(c.new_side.settled);
  CHECK(c.old_side.value.empty());
  CHECK(c.new_side.value == "garder_le_secret");
  CHECK(c.old_side.possible == c.new_side.possible);
}

TEST_CASE("a proviso added to a rule changes the answers it now rests on") {
  const std::string before =
      replaced(kBefore, "fait benevole : booléen = faux", "fait benevole : booléen = faux\nfait accord : booléen");
  const std::string after = replaced(before, "  alors verdict = doit_reveler, conditions += au_procureur",
                                     "  pourvu que accord \"avec l'accord de la personne\"\n"
                                     "  alors verdict = doit_reveler, conditions += au_procureur");
  const DiffReport r = diff(before, after);
  REQUIRE(r.changed.size() == 1);
  REQUIRE(r.changed[0].changes.size() == 1);
  CHECK(r.changed[0].changes[0].clause == "provided");
  CHECK(r.changed[0].changes[0].new_text == "accord \"avec l'accord de la personne\"");
  // Refused: the duty falls. Unknown: the duty stands, under the proviso.
  const auto refused = std::find_if(r.behaviour.begin(), r.behaviour.end(), [](const BehaviourChange& c) {
    return c.output == "verdict" && c.old_side.value == "doit_reveler" && c.new_side.value == "garder_le_secret";
  });
  REQUIRE(refused != r.behaviour.end());
  CHECK(value_of(refused->witness, "accord") == "faux");
  const auto stated = std::find_if(r.behaviour.begin(), r.behaviour.end(), [](const BehaviourChange& c) {
    return c.output == "verdict" && c.old_side.value == "doit_reveler" && c.new_side.value == "doit_reveler";
  });
  REQUIRE(stated != r.behaviour.end());
  CHECK(stated->old_side.provisos.empty());
  CHECK(stated->new_side.provisos == std::vector<std::string>{"avec l'accord de la personne"});
  CHECK(stated->new_side.settled);
  CHECK(value_of(stated->witness, "accord") != "faux");
  CHECK(answer_text(stated->new_side) == "doit_reveler, provided \"avec l'accord de la personne\"");
}

TEST_CASE("a warning decides nothing: adding one changes no answer") {
  const std::string after = kBefore + std::string(R"(
avertissement reforme "Réforme annoncée"
  cite "x"
  quand indices
  parce que "x"
)");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.added.size() == 1);
  CHECK(r.added[0].warning);
  CHECK(r.behaviour.empty());
  CHECK(r.inconclusive.empty());
}

TEST_CASE("a rule removed and a fact removed are listed with their text") {
  std::string after = kBefore;
  after = after.substr(0, after.find("règle declaration"));
  after = replaced(after, "fait indices : booléen\n", "");
  after = replaced(after, "fait benevole : booléen = faux\n", "");
  const DiffReport r = diff(kBefore, after);
  REQUIRE(r.removed.size() == 1);
  CHECK(r.removed[0].name == "declaration");
  const auto when = std::find_if(r.removed[0].clauses.begin(), r.removed[0].clauses.end(),
                                 [](const auto& c) { return c.first == "when"; });
  REQUIRE(when != r.removed[0].clauses.end());
  CHECK(when->second == "confident.secteur dans { cpas, mutualite } et indices et non benevole");
  CHECK(std::count_if(r.vocabulary.begin(), r.vocabulary.end(),
                      [](const VocabularyChange& v) { return v.change == "removed"; }) == 2);
  // The witness may still give `indices`: OLD reads it, NEW does not know it.
  CHECK(!r.behaviour.empty());
}

TEST_CASE("conditions are read back from bytecode the way the rule file writes them") {
  const Program p = compiled(R"(
rulebase "x" version "1"
enum color { red, green, blue }
fact c : color
fact art : article
fact n : integer
fact b : bool
output v : enum { a, z }
rule r1 when art in { 371/1 .. 377, "405ter" } and not (c in { red, green }) then v = a
rule r2 when n is unknown or (b and n >= 3) then v = a
rule r3 when c not in { blue } and not b then v = z
)");
  const Decompiled d = decompile(p, Keywords::English);
  CHECK(d.when[0] == "art in { 371/1 .. 377, 405ter } and c not in { red, green }");
  CHECK(d.when[1] == "n is unknown or (b and n >= 3)");
  CHECK(d.when[2] == "c not in { blue } and not b");
  const Decompiled f = decompile(p, Keywords::French);
  CHECK(f.when[1] == "n est inconnu ou (b et n >= 3)");
}

TEST_CASE("the keywords of a rulebase follow the language of its text") {
  const auto mini = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/tests/data/mini"});
  REQUIRE(mini.program.has_value());
  CHECK(keywords_of(*mini.program) == Keywords::English);
  CHECK(keywords_of(compiled(kBefore)) == Keywords::French);
}

TEST_CASE("an English rule file is read back in English, whatever the language of its texts") {
  // Its texts are French: the words of titles and questions do not decide, the keywords it was
  // written with do (stored with each declaration, kept by the bytecode).
  const Program p = compiled(R"(
rulebase "La base de règles de la maison" version "1"
fact le.fait : bool "Le fait est-il établi dans le dossier ?"
fact cas.date : date = today
output v : enum { a, z } = a
rule r1 "La règle de la maison" when le.fait and cas.date is known valid from 2020-01-01 until 2021-01-01 then v = z
  because "Le juge de la famille le veut ainsi, et la loi de la maison aussi."
)");
  CHECK(keywords_of(p) == Keywords::English);
  CHECK(decompile(p, keywords_of(p)).when[0] == "le.fait and cas.date is known");
  CHECK(validity_text(p.rules[0], keywords_of(p)) == "valid from 2020-01-01 until 2021-01-01");
  const auto loaded = load_program(serialize_program(p));
  REQUIRE(std::holds_alternative<Program>(loaded));
  CHECK(keywords_of(std::get<Program>(loaded)) == Keywords::English);
  CHECK(decompile(std::get<Program>(loaded), keywords_of(std::get<Program>(loaded))).when[0] ==
        "le.fait and cas.date is known");

  const Program f = compiled(R"(
base "The house rules" version "1"
fait the.fact : booléen "Is the fact of the case known to the court?"
fait the.other : booléen "Is the other one in the file of the case?"
fait cas.date : date = aujourd'hui
sortie v : énumération { a, z } = a
règle r1 "The rule of the house" quand the.fact ou non the.other valable à partir du 2020-01-01 alors v = z
  parce que "The court wants it, and the law of the house is with the court."
)");
  CHECK(keywords_of(f) == Keywords::French);
  CHECK(decompile(f, keywords_of(f)).when[0] == "the.fact ou non the.other");
  CHECK(validity_text(f.rules[0], keywords_of(f)) == "valable à partir du 2020-01-01");
}

namespace {

// Two rules that let one speak, each loosened in the new version: two causes of the same change
// (garder_le_secret → peut_reveler), in different situations.
const char* kTwoRulesBefore = R"(
base "essai" version "1"
énumération fonction { medecin, mediateur, autre }
fait cas.date : date = aujourd'hui
fait confident.fonction : fonction
fait accord : booléen = faux
fait urgence : booléen = faux
fait danger.grave : booléen = faux
fait danger.imminent : booléen = faux
définition tenu = confident.fonction dans { medecin, mediateur }
sortie verdict : énumération { garder_le_secret, peut_reveler } = garder_le_secret

règle secret quand tenu alors verdict = garder_le_secret
règle accord_en_urgence prime sur secret quand tenu et accord et urgence alors verdict = peut_reveler
règle etat_de_necessite prime sur secret quand tenu et danger.grave et danger.imminent alors verdict = peut_reveler
)";

std::string two_rules_after() {
  std::string after = replaced(kTwoRulesBefore, "quand tenu et accord et urgence", "quand tenu et accord");
  return replaced(after, "quand tenu et danger.grave et danger.imminent", "quand tenu et danger.grave");
}

std::vector<const BehaviourChange*> of_kind(const DiffReport& r, const std::string& from, const std::string& to) {
  std::vector<const BehaviourChange*> out;
  for (const auto& c : r.behaviour) {
    if (c.old_side.settled && c.new_side.settled && c.old_side.value == from && c.new_side.value == to)
      out.push_back(&c);
  }
  return out;
}

}  // namespace

TEST_CASE("two changed rules giving the same change of answer give two witnesses, one per cause") {
  const DiffReport r = diff(kTwoRulesBefore, two_rules_after());
  const auto speak = of_kind(r, "garder_le_secret", "peut_reveler");
  REQUIRE(speak.size() == 2);
  std::vector<std::string> causes;
  for (const BehaviourChange* c : speak) {
    REQUIRE(c->cause.size() == 1);
    CHECK(c->cause[0].kind == "rule");
    CHECK(c->cause[0].change == "changed");
    causes.push_back(c->cause[0].name);
    // The witness shows the rule of its cause deciding, with NEW.
    CHECK(c->new_side.decided_by == std::vector<std::string>{c->cause[0].name});
  }
  std::sort(causes.begin(), causes.end());
  CHECK(causes == std::vector<std::string>{"accord_en_urgence", "etat_de_necessite"});
  CHECK(value_of(speak[0]->witness, "urgence") == "(absent)");
  CHECK(value_of(speak[0]->witness, "danger.imminent") == "(absent)");
  // Grouped by cause, the causes listed with the indices of their changes; numbers follow the report.
  REQUIRE(r.causes.size() == 2);
  for (std::size_t g = 0; g < r.causes.size(); ++g) {
    for (const std::size_t i : r.causes[g].second) CHECK(r.behaviour[i].cause == r.causes[g].first);
  }
  for (std::size_t i = 0; i < r.behaviour.size(); ++i) {
    CHECK(r.behaviour[i].file_name.rfind(std::to_string(i + 1) + "_", 0) == 0);
    CHECK(r.behaviour[i].case_file.find("# cause: règle ") != std::string::npos);
  }
}

TEST_CASE("one cause per kind when a single rule changed") {
  const std::string after = replaced(kTwoRulesBefore, "quand tenu et accord et urgence", "quand tenu et accord");
  const DiffReport r = diff(kTwoRulesBefore, after);
  const auto speak = of_kind(r, "garder_le_secret", "peut_reveler");
  REQUIRE(speak.size() == 1);
  CHECK(speak[0]->cause == std::vector<CauseItem>{{"rule", "accord_en_urgence", "changed"}});
  REQUIRE(r.causes.size() == 1);
}

TEST_CASE("a definition that lost a member is the cause, and rules that read it are not shown as changed") {
  const std::string after = replaced(kTwoRulesBefore, "dans { medecin, mediateur }", "dans { medecin }");
  const DiffReport r = diff(kTwoRulesBefore, after);
  CHECK(r.changed.empty());  // each rule still reads `tenu`
  REQUIRE(r.vocabulary.size() == 1);
  const VocabularyChange& tenu = r.vocabulary[0];
  CHECK(tenu.kind == "definition");
  REQUIRE(tenu.details.size() == 1);
  CHECK(tenu.details[0].items_removed == std::vector<std::string>{"mediateur"});
  CHECK(tenu.details[0].items_added.empty());
  const auto hushed = of_kind(r, "peut_reveler", "garder_le_secret");
  REQUIRE(!hushed.empty());
  for (const BehaviourChange* c : hushed) {
    CHECK(c->cause == std::vector<CauseItem>{{"definition", "tenu", "changed"}});
    CHECK(value_of(c->witness, "confident.fonction") == "mediateur");
  }
  CHECK(cause_text(r, hushed[0]->cause) == "definition tenu (changed: mediateur removed)");
}

TEST_CASE("a named set of members that lost one is shown once, as a definition, and is the cause") {
  const std::string before =
      replaced(kTwoRulesBefore, "définition tenu = confident.fonction dans { medecin, mediateur }",
               "définition fonctions_tenues = { medecin, mediateur }\n"
               "définition tenu = confident.fonction dans fonctions_tenues");
  const std::string after =
      replaced(before, "fonctions_tenues = { medecin, mediateur }", "fonctions_tenues = { medecin }");
  const DiffReport r = diff(before, after);
  CHECK(r.changed.empty());
  REQUIRE(r.vocabulary.size() == 1);
  CHECK(r.vocabulary[0].name == "fonctions_tenues");
  CHECK(r.vocabulary[0].details[0].old_text == "{ medecin, mediateur }");
  CHECK(r.vocabulary[0].details[0].items_removed == std::vector<std::string>{"mediateur"});
  const auto hushed = of_kind(r, "peut_reveler", "garder_le_secret");
  REQUIRE(!hushed.empty());
  CHECK(hushed[0]->cause == std::vector<CauseItem>{{"definition", "fonctions_tenues", "changed"}});
}

TEST_CASE("a rule whose quand is a definition alone, and a named set of members, read back by name") {
  const Program p = compiled(R"(
rulebase "x" version "1"
enum color { red, green, blue }
fact c : color
fact b : bool
define warm = { red, green }
define both = b and c in warm
output v : enum { a, z }
rule r1 when both then v = a
rule r2 when c in warm or c in { blue } then v = z
)");
  const Decompiled d = decompile(p, Keywords::English);
  CHECK(d.when[0] == "both");
  CHECK(d.when[1] == "c in warm or c in { blue }");
  REQUIRE(d.definitions.size() == 2);
  CHECK(d.definitions[0].name == "warm");
  CHECK(d.definitions[0].body == "{ red, green }");
  CHECK(d.definitions[1].body == "b and c in warm");
}
