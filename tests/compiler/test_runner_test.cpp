// The library behind `secretc test`: which tests run (files, filter), and the failures' texts in each language.
#include <doctest/doctest.h>

#include "compiler/test_runner.hpp"
#include "tests/compiler/support.hpp"

using namespace secretc;
using namespace secretc::testing;

namespace {

const char* kBase = R"(rulebase "x" version "1"
fact a : bool
output v : enum { x, y } = x
rule r when a then v = y
)";

const char* kTests = R"(test "Passe quand a" { given a = true expect v = y, fired r }
test "Échoue sans a" { given a = false expect v = y }
test "étrange" { given a = ? expect v unknown }
)";

}  // namespace

TEST_CASE("a test's name matches a filter without regard to capitals, accents as written") {
  CHECK(test_name_matches("CPAS : l'assistant de justice", "cpas"));
  CHECK(test_name_matches("cpas", "CPAS"));
  CHECK(test_name_matches("Échoue sans a", "échoue"));
  CHECK(test_name_matches("échoue sans a", "ÉCHOUE"));
  CHECK(test_name_matches("ŒUVRE", "œuvre"));
  CHECK(test_name_matches("anything", ""));
  CHECK_FALSE(test_name_matches("Échoue sans a", "echoue"));
  CHECK_FALSE(test_name_matches("echoue", "échoue"));
  CHECK_FALSE(test_name_matches("×", "÷"));  // × is not a capital: U+00D7 stays, U+00F7 is another sign
}

TEST_CASE("run_tests runs the tests of the files chosen, of them those the filter keeps, and counts the others") {
  const Compilation c = compile_texts({{"base.rules", kBase}, {"tests.rules", kTests}});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Diagnostics diags;

  const TestRun all = run_tests(*c.model, *c.program, 19000, diags);
  CHECK(all.outcomes.size() == 3);
  CHECK(all.passed == 1);
  CHECK(all.failed == 2);
  CHECK(all.filtered_out == 0);
  CHECK(all.coverage.shown_firing[0]);

  const TestRun none = run_tests(*c.model, *c.program, 19000, diags, TextLang::French, {{true, false}, ""});
  CHECK(none.outcomes.empty());
  CHECK(none.filtered_out == 0);  // the tests of a file not chosen are not "filtered out"
  CHECK_FALSE(none.coverage.shown_firing[0]);

  const TestRun some = run_tests(*c.model, *c.program, 19000, diags, TextLang::French, {{}, "ÉCHOUE"});
  REQUIRE(some.outcomes.size() == 1);
  CHECK(some.outcomes[0].name == "Échoue sans a");
  CHECK(some.filtered_out == 2);
  CHECK(diags.all().empty());
}

TEST_CASE("a failure says given, expected and obtained in one language") {
  const Compilation c = compile_texts({{"base.rules", kBase}, {"tests.rules", kTests}});
  REQUIRE_MESSAGE(c.program.has_value(), errors_of(c));
  Diagnostics diags;
  const TestRun fr = run_tests(*c.model, *c.program, 19000, diags, TextLang::French, {{}, "échoue"});
  REQUIRE(fr.outcomes.size() == 1);
  CHECK(fr.outcomes[0].failure ==
        "  ligne 2 : attendu `v = y`, obtenu x\n"
        "  faits donnés :\n"
        "    a = false\n"
        "  réponse obtenue :\n"
        "    v = x\n"
        "    règles appliquées : (aucune)\n");
  const TestRun en = run_tests(*c.model, *c.program, 19000, diags, TextLang::English, {{}, "étrange"});
  REQUIRE(en.outcomes.size() == 1);
  CHECK(en.outcomes[0].failure ==
        "  line 3: expected `v` unknown, obtained unsettled, possible { x, y }\n"
        "  given:\n"
        "    a = ?\n"
        "  obtained:\n"
        "    v = unsettled, possible { x, y }\n"
        "    rules fired: (none)\n");
}
