// The wording of diagnostics that the golden tests (tests/golden/) showed to be misleading or noisy.
#include <doctest/doctest.h>

#include "compiler/parse_case.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const char* kHead = R"(
enum fonction { medecin, psychologue }
fact confident.fonction : fonction
fact victime.mineur : bool
output verdict : enum { keep, may } = keep
)";

std::string errors_of_rules(const std::string& body) {
  return errors_of(compile_one(std::string(kHead) + body));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a member compared with a misspelt fact gets no second error") {
  const std::string e = errors_of_rules("rule r when confident.fontion == medecin then verdict = may\n");
  CHECK(e.find("unknown fact `confident.fontion`") != std::string::npos);
  CHECK(e.find("did you mean `confident.fonction`?") != std::string::npos);
  CHECK(e.find("medecin`?") == std::string::npos);  // it once suggested `medecin` for `medecin`
  CHECK(count(e, "error:") == 1);
}

TEST_CASE("a member standing alone says how members are compared, not `did you mean` itself") {
  const std::string e = errors_of_rules("rule r when medecin == psychologue then verdict = may\n");
  CHECK(e.find("`medecin` is a member of `fonction`, but nothing here says which value it is compared with") !=
        std::string::npos);
  CHECK(e.find("compare `confident.fonction` with it") != std::string::npos);
}

TEST_CASE("a precedence cycle is reported once, not once per rule on it") {
  const std::string e = errors_of_rules(
      "rule a overrides c when victime.mineur then verdict = may\n"
      "rule b overrides a when victime.mineur then verdict = keep\n"
      "rule c overrides b when victime.mineur then verdict = may\n");
  CHECK(count(e, "is circular") == 1);
  CHECK(e.find("`a` is overridden by `b` is overridden by `c` is overridden by `a`") != std::string::npos);
}

TEST_CASE("an unterminated string in a rule file is reported at its opening quote") {
  const auto c =
      compile_one("fact x : bool\noutput v : enum { a } \nrule r\n  cite \"art. 458\n  when x\n  then v = a\n");
  REQUIRE(c.diags.error_count() == 1);
  const Diagnostic& d = c.diags.all().front();
  CHECK(d.message == "unterminated string; close it with `\"`");
  CHECK(d.where.line == 4);
  CHECK(d.where.column == 8);
}

TEST_CASE("a date written with slashes is a malformed date, not an article followed by junk") {
  SourceSet sources;
  Diagnostics diags;
  const std::uint32_t file = sources.add("case.fact", "cas.date = 01/05/2024\n");
  (void)parse_case(sources, file, diags);
  REQUIRE(diags.error_count() == 1);
  CHECK(diags.all().front().message == "malformed date `01/05/2024`; write `YYYY-MM-DD`, like `2024-05-01`");
  CHECK(diags.all().front().where.column == 12);
}

// ----- kinds: every checker diagnostic is a catalogue entry, its id the kind tests and programs match ------

namespace {

// The one diagnostic of a rule text after kHead.
Diagnostic only_diagnostic(const std::string& body) {
  const auto c = compile_one(std::string(kHead) + body);
  REQUIRE(c.diags.all().size() == 1);
  return c.diags.all().front();
}

}  // namespace

TEST_CASE("checker diagnostics carry their kind, with the English wording they always had") {
  const Diagnostic unknown = only_diagnostic("rule r when confident.fontion == medecin then verdict = may\n");
  CHECK(unknown.kind() == Msg::UnknownFact);
  CHECK(unknown.hint_text.id == Msg::DidYouMean);
  CHECK(unknown.message == "unknown fact `confident.fontion`");

  const Diagnostic member = only_diagnostic("output other : enum { keep, may } = zzz\n");
  CHECK(member.kind() == Msg::NotAMember);
  CHECK(member.hint == "the members are: keep, may");

  // Hints with braces: the catalogue escapes them, the text shows them as the rule file writes them.
  const Diagnostic empty = only_diagnostic("define nothing = { }\nrule r when victime.mineur then verdict = may\n");
  CHECK(empty.kind() == Msg::EmptySetType);
  CHECK(empty.hint == "annotate it: `définition nom : ensemble de E = { }`");
  const Diagnostic no_enum =
      only_diagnostic("define odd = { medecin, boulanger }\nrule r when victime.mineur then verdict = may\n");
  CHECK(no_enum.kind() == Msg::SetNoEnum);
  CHECK(no_enum.hint == "check the members' spelling, or annotate: `définition nom : ensemble de E = { … }`");
}

TEST_CASE("a checker diagnostic renders in French from the same kind") {
  const auto c = compile_one(std::string(kHead) + "rule r when medecin == psychologue then verdict = may\n");
  REQUIRE(c.diags.all().size() >= 1);
  CHECK(c.diags.all().front().kind() == Msg::BareMember);
  const std::string fr = render_all(c.diags, c.sources, TextLang::French);
  CHECK(fr.find(
            "erreur: `medecin` est un membre de `fonction`, mais rien n'indique ici à quelle valeur il est comparé") !=
        std::string::npos);
  CHECK(fr.find("conseil: comparez-y `confident.fonction` : `… == medecin`") != std::string::npos);
}

TEST_CASE("parse errors and unreadable paths have kinds too") {
  const auto syntax = compile_one(std::string(kHead) + "rule r when then verdict = may\n");
  REQUIRE(syntax.diags.has_errors());
  CHECK(syntax.diags.all().front().kind() == Msg::SyntaxCondition);
  const auto date = compile_one(std::string(kHead) + "fact cas.date : date = 2024-02-30\n");
  REQUIRE(date.diags.has_errors());
  CHECK(date.diags.all().front().kind() == Msg::InvalidDate);
  CHECK(date.diags.all().front().message == "`2024-02-30` is not a valid date");
  const Compilation missing = compile_paths({"no/such/folder/x.rules"});
  REQUIRE(missing.diags.all().size() == 1);
  CHECK(missing.diags.all().front().kind() == Msg::PathMissing);
  CHECK(missing.diags.all().front().message == "cannot read `no/such/folder/x.rules`: no such file or folder");
}

// The mistakes authors make most, each named where it is (tests/golden/rules_fr_* show the whole text).
namespace {
Diagnostic first_error(const Compilation& c) {
  REQUIRE(c.diags.has_errors());
  return c.diags.sorted().front();
}
}  // namespace

TEST_CASE("an effect without `then` is reported where the effect begins") {
  const auto c = compile_one(std::string(kHead) + "rule r when victime.mineur\n  verdict = may\n");
  const Diagnostic d = first_error(c);
  CHECK(d.kind() == Msg::SyntaxMissingThen);
  CHECK(d.where.line == 7);
  CHECK(d.where.column == 3);
  CHECK(d.message == "expected `alors` (`then`) before the effect `verdict …`");
  CHECK(c.diags.error_count() == 1);
  // Also with no condition at all, and for `+=`.
  CHECK(first_error(compile_one(std::string(kHead) + "rule r \"t\"\n  verdict += { may }\n")).kind() ==
        Msg::SyntaxMissingThen);
}

TEST_CASE("`si` and `if` for `quand` are named, at the word") {
  for (const char* word : {"si", "if"}) {
    const auto c = compile_one(std::string(kHead) + "rule r\n  " + word + " victime.mineur\n  then verdict = may\n");
    const Diagnostic d = first_error(c);
    CHECK(d.kind() == Msg::SyntaxIfForWhen);
    CHECK(d.where.line == 7);
    CHECK(d.where.column == 3);
    CHECK(d.message.find(std::string("`") + word + "` is not a keyword") == 0);
  }
}

TEST_CASE("two condition lines without `and` or `or` are told to be joined") {
  const auto c = compile_one(std::string(kHead) +
                             "rule r when confident.fonction == medecin\n    victime.mineur\n  then verdict = may\n");
  const Diagnostic d = first_error(c);
  CHECK(d.kind() == Msg::SyntaxMissingAndOr);
  CHECK(d.where.line == 7);
  CHECK(d.where.column == 5);
  // After a proviso too; its text is no condition.
  CHECK(first_error(
            compile_one(std::string(kHead) +
                        "rule r when victime.mineur provided victime.mineur (victime.mineur)\n  then verdict = may\n"))
            .kind() == Msg::SyntaxMissingAndOr);
  CHECK_FALSE(compile_one(std::string(kHead) +
                          "rule r when victime.mineur provided victime.mineur \"texte\"\n  then verdict = may\n")
                  .diags.has_errors());
}

TEST_CASE("a validity in no form of the language lists the forms, at the word after `valable`") {
  const auto c =
      compile_one(std::string(kHead) + "rule r\n  valid since 2020-01-01\n  when victime.mineur then verdict = may\n");
  const Diagnostic d = first_error(c);
  CHECK(d.kind() == Msg::SyntaxValidity);
  CHECK(d.where.column == 9);
  const std::string fr = render_all(c.diags, c.sources, TextLang::French);
  CHECK(
      fr.find(
          "`valable à partir du AAAA-MM-JJ`, `valable du AAAA-MM-JJ au AAAA-MM-JJ` ou `valable jusqu'au AAAA-MM-JJ`") !=
      std::string::npos);
  // The right forms, after a condition as before one, are no error.
  for (const char* ok : {"valid from 2020-01-01", "valid from 2020-01-01 until 2021-01-01", "valid until 2021-01-01"}) {
    const auto c_ok = compile_one(std::string(kHead) + "fact cas.date : date\nrule r when victime.mineur " + ok +
                                  " then verdict = may\n");
    CHECK_MESSAGE(!c_ok.diags.has_errors(), errors_of(c_ok));
  }
  CHECK(first_error(
            compile_one(std::string(kHead) +
                        "rule r valid from 2020-01-01 jusqu'au 2021-01-01 when victime.mineur then verdict = may\n"))
            .kind() == Msg::SyntaxValidity);
  // A name beginning with `jusqu` is a name.
  CHECK(first_error(compile_one(std::string(kHead) + "rule r when victime.mineur\n  jusqu_ici\n  then verdict = may\n"))
            .kind() == Msg::SyntaxMissingAndOr);
}

TEST_CASE("an accented letter in a name or a member is reported there, with the name to write") {
  const auto c = compile_one(std::string(kHead) +
                             "rule r when victime.mineur then verdict = may\n"
                             "test \"t\" {\n  given victime.mineur = true\n  expect verdict = mày\n}\n");
  const Diagnostic d = first_error(c);
  CHECK(d.kind() == Msg::SyntaxAccentedName);
  CHECK(d.where.line == 9);
  CHECK(d.where.column == 21);
  CHECK(d.message.find("`mày` has an accented letter") == 0);
  CHECK(d.message.find("write `may`") != std::string::npos);
  CHECK(first_error(compile_one(std::string(kHead) + "rule r when victime.mïneur then verdict = may\n")).kind() ==
        Msg::SyntaxAccentedName);
}

TEST_CASE("`oui`, `yes` and `no` in a condition say to write `vrai` or `faux`; `non` too") {
  const auto yes = compile_one(std::string(kHead) + "rule r when victime.mineur == oui then verdict = may\n");
  CHECK(first_error(yes).kind() == Msg::BoolWordInRules);
  CHECK(first_error(yes).message == "`oui` is not a value of rule files; write `vrai` (`true`)");
  CHECK(
      first_error(compile_one(std::string(kHead) + "rule r when victime.mineur == no then verdict = may\n")).message ==
      "`no` is not a value of rule files; write `faux` (`false`)");
  const auto non = compile_one(std::string(kHead) + "rule r when victime.mineur == not then verdict = may\n");
  CHECK(first_error(non).kind() == Msg::SyntaxNonForFalse);
  CHECK(first_error(non).message == "`not` is not a value; write `faux` (`false`)");
}

TEST_CASE("an unknown member lists the members, with the close one first when there is one") {
  const auto far =
      compile_one(std::string(kHead) + "rule r when confident.fonction != directrice then verdict = may\n");
  CHECK(first_error(far).kind() == Msg::NotAMember);
  CHECK(first_error(far).hint == "the members are: medecin, psychologue");
  const auto close =
      compile_one(std::string(kHead) + "rule r when confident.fonction == psycologue then verdict = may\n");
  CHECK(first_error(close).hint == "did you mean `psychologue`? the members are: medecin, psychologue");
}

TEST_CASE("every syntax message of the grammar is in the catalogue, in both languages") {
  const auto c = compile_one(std::string(kHead) + "rule r when then verdict = may\n");
  const Diagnostic d = first_error(c);
  CHECK(d.kind() == Msg::SyntaxCondition);
  CHECK(d.message_in(TextLang::French) == "attendu une condition");
}
