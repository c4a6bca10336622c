// The language of rule files' diagnostics: French by default, `--lang en` for English, on every command
// that reads rule files; the severity words stay English in both (README, "The language of diagnostics").
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

const char* kRules = R"(base "langue" version "1"
fait a : booléen
sortie v : énumération { garder, reveler } = garder
règle une cite "art. 1" quand a == oui alors v = reveler parce que "une"
)";

}  // namespace

TEST_CASE("compile, test, fmt, lint and check give rule files' diagnostics in French, `--lang en` in English") {
  TempDir dir;
  const std::string rules = (dir / "r.rules").string();
  write_text(rules, kRules);
  const std::string case_file = (dir / "c.fact").string();
  write_text(case_file, "a = oui\n");
  const std::string out = quote((dir / "x.secbc").string());
  const std::string fr = ":4:36: error: `oui` n'est pas une valeur des fichiers de règles ; écrivez `vrai` (`true`)\n";
  const std::string en = ":4:36: error: `oui` is not a value of rule files; write `vrai` (`true`)\n";
  struct Command {
    std::string french, english;
  };
  for (const Command& c :
       {Command{"compile -o " + out + " " + quote(rules), "compile --lang en -o " + out + " " + quote(rules)},
        Command{"test " + quote(rules), "test --lang en " + quote(rules)},
        Command{"lint " + quote(rules), "lint --lang en " + quote(rules)},
        Command{"check --rules " + quote(rules) + " " + quote(case_file),
                "check --lang en --rules " + quote(rules) + " " + quote(case_file)}}) {
    CAPTURE(c.french);
    const Run french = run_secretc(c.french);
    CHECK(french.code == 1);
    CHECK_MESSAGE(french.err.find(rules + fr) != std::string::npos, french.err);
    CHECK(french.err.find("  conseil: les dossiers répondent `oui` et `non`") != std::string::npos);
    const Run english = run_secretc(c.english);
    CHECK(english.code == 1);
    CHECK_MESSAGE(english.err.find(rules + en) != std::string::npos, english.err);
    CHECK(english.err.find("  hint: case files answer `oui` and `non`") != std::string::npos);
  }
  // fmt reads the file as the compiler does: a syntax error, in the reader's language.
  write_text(rules, "base \"langue\" version \"1\"\nfait a : booléen\nrègle une si a alors v = reveler\n");
  const Run fmt_fr = run_secretc("fmt --check " + quote(rules));
  CHECK(fmt_fr.code != 0);
  CHECK_MESSAGE(
      fmt_fr.err.find(rules + ":3:11: error: `si` n'est pas un mot-clé des règles ; écrivez `quand` (`when`)") !=
          std::string::npos,
      fmt_fr.err);
  const Run fmt_en = run_secretc("fmt --check --lang en " + quote(rules));
  CHECK_MESSAGE(fmt_en.err.find(rules + ":3:11: error: `si` is not a keyword of rule files; write `quand` (`when`)") !=
                    std::string::npos,
                fmt_en.err);
}

TEST_CASE("`--lang` takes fr or en only") {
  const Run run = run_secretc("compile --lang de -o x.secbc tests/data/mini");
  CHECK(run.code == 2);
}
