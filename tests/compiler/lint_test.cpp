// `lint` as a library: each check, its witness, and the `# lint: ignore` comments that justify findings.
#include <doctest/doctest.h>

#include <algorithm>

#include "analysis/lint.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const char* kHeader = R"(rulebase "lint" version "1"
fact cas.date : date = today
fact cas.titre : string
fact a : bool
fact b : bool
fact n : integer
output v : enum { keep, may, must } = keep
)";

LintReport lint(const std::string& rules) {
  const auto c = compile_one(std::string(kHeader) + rules);
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  LintOptions options;
  options.today = *parse_date("2024-05-01");
  LintReport r = lint_rulebase(c, options);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.inconclusive.empty());
  return r;
}

std::vector<const LintFinding*> of(const LintReport& r, LintCheck check, bool justified = false) {
  std::vector<const LintFinding*> out;
  for (const auto& f : r.findings) {
    if (f.check == check && f.justified == justified) out.push_back(&f);
  }
  return out;
}

// Rules that are complete (cited and explained) unless a test says otherwise.
std::string rule(const std::string& head, const std::string& rest) {
  return head + " cite \"art. 1\" " + rest + " because \"why\"\n";
}

}  // namespace

TEST_CASE("two rules that can apply together with different values are a conflict with a case showing it") {
  const auto r = lint(rule("rule one", "when a then v = may") + rule("rule two", "when b then v = must"));
  const auto found = of(r, LintCheck::Conflict);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->rules == std::vector<std::string>{"two", "one"});
  CHECK(found[0]->at.line == 9);  // reported at the rule written last
  REQUIRE(found[0]->witness.has_value());
  // The case: the date, a and b true.
  CHECK(found[0]->witness->lines.size() == 3);
  CHECK(found[0]->message_in(TextLang::English).find("(must / may)") != std::string::npos);
}

TEST_CASE("no conflict when one rule overrides the other or the values agree or both cannot apply") {
  CHECK(of(lint(rule("rule one", "when a then v = may") + rule("rule two", "overrides one when b then v = must")),
           LintCheck::Conflict)
            .empty());
  CHECK(of(lint(rule("rule one", "when a then v = may") + rule("rule two", "when b then v = may")), LintCheck::Conflict)
            .empty());
  CHECK(of(lint(rule("rule one", "when a then v = may") + rule("rule two", "when not a then v = must")),
           LintCheck::Conflict)
            .empty());
}

TEST_CASE("a rule whose condition contradicts itself never fires") {
  const auto r = lint(rule("rule never", "when n < 3 and n > 5 then v = may"));
  const auto found = of(r, LintCheck::NeverFires);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->rules == std::vector<std::string>{"never"});
}

TEST_CASE("a rule that fires only when a rule overriding it fires never applies") {
  const auto r = lint(rule("rule general", "when a and b then v = may") +
                      rule("rule special", "overrides general when a then v = must"));
  const auto found = of(r, LintCheck::AlwaysOverridden);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->rules == std::vector<std::string>{"general"});
  CHECK(found[0]->message_in(TextLang::English).find("`special`") != std::string::npos);
}

TEST_CASE("facts and definitions nothing reads are unused but the date and the title are read by the report") {
  const auto r =
      lint("define never_used = a and b\ndefine used = n > 3\n" + rule("rule one", "when used then v = may"));
  const auto facts = of(r, LintCheck::UnusedFact);
  REQUIRE(facts.size() == 2);
  CHECK(facts[0]->rules == std::vector<std::string>{"a"});
  CHECK(facts[1]->rules == std::vector<std::string>{"b"});
  const auto defines = of(r, LintCheck::UnusedDefinition);
  REQUIRE(defines.size() == 1);
  CHECK(defines[0]->rules == std::vector<std::string>{"never_used"});
}

TEST_CASE("a rule without citation or explanation is reported for each") {
  const auto r = lint("rule bare when a then v = may\nrule other when b then v = may\n");
  CHECK(of(r, LintCheck::NoCite).size() == 2);
  CHECK(of(r, LintCheck::NoExplanation).size() == 2);
}

TEST_CASE("two versions of one provision in force on the same day overlap") {
  const std::string v1 = rule("rule duty_v1", "valid from 2017-05-17 when a then v = must");
  SUBCASE("the old version was not ended") {
    const auto r = lint(v1 + rule("rule duty_v2", "valid from 2019-03-14 when a and b then v = must"));
    const auto found = of(r, LintCheck::ValidityOverlap);
    REQUIRE(found.size() == 1);
    CHECK(found[0]->message_in(TextLang::English).find("from 2019-03-14") != std::string::npos);
    REQUIRE(found[0]->witness.has_value());
  }
  SUBCASE("versions that follow each other do not") {
    const auto r = lint(rule("rule duty_v1", "valid from 2017-05-17 until 2019-03-14 when a then v = must") +
                        rule("rule duty_v2", "valid from 2019-03-14 when a and b then v = must"));
    CHECK(of(r, LintCheck::ValidityOverlap).empty());
  }
  SUBCASE("unrelated rules that happen to decide alike do not") {
    const auto r = lint(v1 + "rule other cite \"art. 2\" when b then v = must because \"x\"\n");
    CHECK(of(r, LintCheck::ValidityOverlap).empty());
  }
}

TEST_CASE("a `lint: ignore` comment with a reason justifies the finding it names") {
  const auto r = lint(rule("rule one", "when a then v = may") +
                      "# lint: ignore conflict(one) — the sources disagree; the report shows both\n" +
                      rule("rule two", "when b then v = must"));
  CHECK(of(r, LintCheck::Conflict).empty());
  const auto justified = of(r, LintCheck::Conflict, true);
  REQUIRE(justified.size() == 1);
  CHECK(justified[0]->reason == "the sources disagree; the report shows both");
}

TEST_CASE("a `lint: ignore` for a conflict with another rule does not justify this one") {
  const auto r = lint(rule("rule one", "when a then v = may") + "# lint: ignore conflict(three) -- other\n" +
                      rule("rule two", "when b then v = must") + rule("rule three", "when a then v = may"));
  // two/one is not justified; two/three is; the directive is used.
  const auto open = of(r, LintCheck::Conflict);
  REQUIRE(open.size() == 1);
  CHECK(open[0]->rules == std::vector<std::string>{"two", "one"});
  CHECK(of(r, LintCheck::Conflict, true).size() == 1);
  CHECK(of(r, LintCheck::Directive).empty());
}

TEST_CASE("a `lint: ignore` without reason or with an unknown check or justifying nothing is a finding") {
  SUBCASE("no reason") {
    const auto r = lint("# lint: ignore no-cite\nrule one when a then v = may because \"x\"\n");
    CHECK(of(r, LintCheck::NoCite).size() == 1);
    const auto d = of(r, LintCheck::Directive);
    REQUIRE(d.size() == 1);
    CHECK(d[0]->message_in(TextLang::English) == "`lint: ignore` gives no reason");
    CHECK(d[0]->at.line == 8);
  }
  SUBCASE("unknown check") {
    const auto r = lint("# lint: ignore no-citation: typo\n" + rule("rule one", "when a then v = may"));
    const auto d = of(r, LintCheck::Directive);
    REQUIRE(d.size() == 1);
    CHECK(d[0]->message_in(TextLang::English).find("`no-citation`") != std::string::npos);
  }
  SUBCASE("nothing to justify") {
    const auto r = lint("# lint: ignore never-fires: kept for the record\n" + rule("rule one", "when a then v = may"));
    const auto d = of(r, LintCheck::Directive);
    REQUIRE(d.size() == 1);
    CHECK(d[0]->message_in(TextLang::English) == "this `lint: ignore` justifies no finding");
  }
  SUBCASE("belonging to no declaration") {
    const auto r = lint(rule("rule one", "when a then v = may") + "\n# lint: ignore no-cite: floating\n\n");
    const auto d = of(r, LintCheck::Directive);
    REQUIRE(d.size() == 1);
    CHECK(d[0]->message_in(TextLang::English) == "this `lint: ignore` belongs to no rule, fact or definition");
  }
}

TEST_CASE("the reason of a `lint: ignore` runs on over the comment lines below it") {
  const auto r = lint(
      "# Source : a text about something else.\n# lint: ignore unused-fact — asked by the report\n"
      "# of another tool, which reads it.\nfact extra : bool\n" +
      rule("rule one", "when a and b and n > 1 then v = may"));
  const auto justified = of(r, LintCheck::UnusedFact, true);
  REQUIRE(justified.size() == 1);
  CHECK(justified[0]->reason == "asked by the report of another tool, which reads it.");
}

TEST_CASE("a fact is justified by a comment above its declaration or at the end of its line") {
  const auto above = lint("# lint: ignore unused-fact — asked for the report only\nfact extra : bool\n" +
                          rule("rule one", "when a and b and n > 1 then v = may"));
  CHECK(of(above, LintCheck::UnusedFact).empty());
  CHECK(of(above, LintCheck::UnusedFact, true).size() == 1);
  const auto inline_ = lint("fact extra : bool  # lint: ignore unused-fact — asked for the report only\n" +
                            rule("rule one", "when a and b and n > 1 then v = may"));
  CHECK(of(inline_, LintCheck::UnusedFact).empty());
}

TEST_CASE("the Belgian rulebase has no conflict nor dead rule nor overlapping versions") {
  const auto c = compile_paths({std::string(SECRETC_SOURCE_DIR) + "/stdlib-rules"});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  const LintReport r = lint_rulebase(c, {});
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.inconclusive.empty());
  for (const LintCheck check :
       {LintCheck::Conflict, LintCheck::NeverFires, LintCheck::AlwaysOverridden, LintCheck::ValidityOverlap}) {
    for (const LintFinding* f : of(r, check)) CHECK_MESSAGE(false, f->message_in(TextLang::English));
  }
}

TEST_CASE("rules that may both apply only while a fact is unknown are no conflict") {
  // With `a` unknown both may apply; no case that gives `a` makes both apply, so no answer is a conflict.
  const auto r = lint(rule("rule one", "when a then v = may") + rule("rule two", "when not a then v = must"));
  CHECK(of(r, LintCheck::Conflict).empty());
}

TEST_CASE("a conflict's case may leave out what does not matter, and the VM confirms it") {
  const auto r = lint(rule("rule one", "when a then v = may") + rule("rule two", "when a or b then v = must"));
  const auto found = of(r, LintCheck::Conflict);
  REQUIRE(found.size() == 1);
  REQUIRE(found[0]->witness.has_value());
  // The date and `a`; `b` is left out (unknown), and both rules still apply for sure.
  REQUIRE(found[0]->witness->lines.size() == 2);
  CHECK(found[0]->witness->lines[1].name == "a");
  CHECK(found[0]->witness->lines[1].value == "true");
}

TEST_CASE("a proviso false whenever the condition holds makes the rule never fire") {
  const auto never = lint(rule("rule one", "when a provided not a \"a does not hold\" then v = may"));
  const auto found = of(never, LintCheck::NeverFires);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->message_in(TextLang::English) ==
        "`one` can never fire: no case makes its condition true with none of its provisos false");
  // A proviso that is false only in some cases leaves the rule firing in the others.
  CHECK(of(lint(rule("rule one", "when a provided b \"b holds\" then v = may")), LintCheck::NeverFires).empty());
}

TEST_CASE("warnings decide nothing: no conflict, never overridden, but one that can never hold is reported") {
  const auto r =
      lint(rule("rule one", "when a then v = may") + "warning heads_up cite \"art. 2\" when a and b because \"x\"\n" +
           "warning never_shown cite \"art. 3\" when n < 3 and n > 5 because \"x\"\n");
  CHECK(of(r, LintCheck::Conflict).empty());
  CHECK(of(r, LintCheck::AlwaysOverridden).empty());
  const auto found = of(r, LintCheck::NeverFires);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->rules == std::vector<std::string>{"never_shown"});
  CHECK(found[0]->message_in(TextLang::English).find("can never hold") != std::string::npos);
}

TEST_CASE("a rule and a warning sharing a stem are not two versions of one provision") {
  const auto r =
      lint(rule("rule duty_v1", "valid from 2017-05-17 when a then v = must") +
           "warning duty_v2 cite \"art. 1\" valid from 2019-03-14 when a because \"the duty was annulled\"\n");
  CHECK(of(r, LintCheck::ValidityOverlap).empty());
}

TEST_CASE("facts and definitions read only by a proviso are used") {
  const auto r =
      lint("define small = n < 3\n" + rule("rule one", "when a provided b and small \"b, and few\" then v = may"));
  CHECK(of(r, LintCheck::UnusedFact).empty());
  CHECK(of(r, LintCheck::UnusedDefinition).empty());
}

TEST_CASE("findings are catalogue messages: a kind, the reader's language, the rule file's keywords in the hints") {
  const auto r = lint(rule("rule one", "when a then v = may") + rule("rule two", "when b then v = must"));
  const auto found = of(r, LintCheck::Conflict);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->text.id == Msg::LintConflict);
  CHECK(found[0]->message_in(TextLang::French) ==
        "`two` et `one` peuvent s'appliquer ensemble, et aucune ne prime sur l'autre : elles donnent à `v` des valeurs "
        "différentes (must / may)");
  // The file is written in English: the hint names `overrides`, in French as in English.
  CHECK(found[0]->hint_in(TextLang::French).find("(`overrides one` dans `two`") != std::string::npos);
  CHECK(found[0]->hint_in(TextLang::English).find("(`overrides one` in `two`") != std::string::npos);
  REQUIRE(found[0]->notes.size() == 1);
  CHECK(message_text(found[0]->notes[0].second, TextLang::French) == "`one` est ici");
  const auto bare = lint("rule bare when a then v = may\n");
  CHECK(of(bare, LintCheck::NoExplanation).at(0)->hint_in(TextLang::French) ==
        "ajoutez `because \"…\"` : le rapport la montre à la personne qui pose la question");
}

TEST_CASE("two rules that differ on two outputs are one conflict naming both") {
  const std::string header = "output w : enum { x, y } = x\n";
  const auto r =
      lint(header + rule("rule one", "when a then v = may, w = x") + rule("rule two", "when b then v = must, w = y"));
  const auto found = of(r, LintCheck::Conflict);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->text.id == Msg::LintConflictSeveral);
  CHECK(found[0]->message_in(TextLang::English) ==
        "`two` and `one` can both apply, and neither overrides the other: they set different values to `v` (must / "
        "may), `w` (y / x)");
}
