// `secretc test` as a jurist runs it: one file of a folder read with its rulebase, --filter, and the report in
// French (the default) or in English (--lang en).
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kVocabulary = R"(rulebase "x" version "1"
fact a : bool
fact b : bool
output v : enum { x, y, z } = x
)";

const char* kFirst = R"(rule r when a then v = y

test "R : a donne y" { given a = true, b = false expect v = y, fired r }
test "R : sans a, rien" { given a = false, b = false expect v = x, not fired r }
)";

const char* kSecond = R"(rule s when b then v = z overrides r

test "S : b donne z" { given a = false, b = true expect v = z, fired s }
test "S écarte R" { given a = true, b = true expect v = z, not fired r }
)";

// A folder: the vocabulary in one file, two files of rules and tests that use it.
struct Folder {
  TempDir tmp;
  fs::path dir = tmp / "base";
  Folder() {
    fs::create_directory(dir);
    write_text(dir / "00_vocabulaire.rules", kVocabulary);
    write_text(dir / "10_r.rules", kFirst);
    write_text(dir / "20_s.rules", kSecond);
  }
  [[nodiscard]] std::string file(const std::string& name) const { return quote((dir / name).string()); }
};

}  // namespace

TEST_CASE("test FILE reads the file with its folder's rulebase and runs only the file's tests") {
  const Folder f;
  const Run one = run_secretc("test -v " + f.file("10_r.rules"));
  CHECK_MESSAGE(one.code == 0, one.out << one.err);
  CHECK(one.out.find("\"R : a donne y\"") != std::string::npos);
  CHECK(one.out.find("\"R : sans a, rien\"") != std::string::npos);
  CHECK(one.out.find("\"S : b donne z\"") == std::string::npos);
  CHECK(one.out.find("tests : réussis 2, échoués 0\n") != std::string::npos);
  // Coverage: the rules of the file named (r), not those of the rest of the folder.
  CHECK(one.out.find("couverture des règles : montrées appliquées 1 sur 1, montrées non appliquées 1 sur 1\n") !=
        std::string::npos);
  CHECK(run_secretc("test --require-coverage " + f.file("10_r.rules")).code == 0);
  // 20_s.rules never shows `s` not firing: required, that fails for that file, and for the folder.
  const Run second = run_secretc("test --require-coverage " + f.file("20_s.rules"));
  CHECK(second.code == 1);
  CHECK(second.err.find("20_s.rules:1: error: aucun test ne montre la règle `s` non appliquée\n") != std::string::npos);
  CHECK(second.err.find("10_r.rules") == std::string::npos);
  CHECK(run_secretc("test --require-coverage " + quote(f.dir.string())).code == 1);

  // Two files: the tests of both; the folder: all its tests. A file named twice, or with its folder, runs once.
  CHECK(run_secretc("test " + f.file("10_r.rules") + " " + f.file("20_s.rules"))
            .out.find("tests : réussis 4, échoués 0\n") != std::string::npos);
  CHECK(run_secretc("test " + quote(f.dir.string())).out.find("tests : réussis 4, échoués 0\n") != std::string::npos);
  CHECK(run_secretc("test " + quote(f.dir.string()) + " " + f.file("10_r.rules") + " " + f.file("10_r.rules"))
            .out.find("tests : réussis 4, échoués 0\n") != std::string::npos);

  // Run from the folder, a file is named as written.
  const Run here = run_shell("cd " + quote(f.dir.string()) + " && " + quote(SECRETC_BINARY) + " test -v 10_r.rules");
  CHECK(here.code == 0);
  CHECK(here.out.find("réussi 10_r.rules:3 \"R : a donne y\"\n") != std::string::npos);
}

TEST_CASE("test FILE: an error in another file of the folder is an error of the rulebase") {
  const Folder f;
  write_text(f.dir / "30_casse.rules", "rule t when a then v = inconnu_ici\n");
  const Run run = run_secretc("test " + f.file("10_r.rules"));
  CHECK(run.code == 1);
  CHECK(run.err.find("30_casse.rules:1:") != std::string::npos);
  CHECK(run.err.find(": error: ") != std::string::npos);
  CHECK(run.out.find("tests :") == std::string::npos);
}

TEST_CASE("test --filter runs the tests whose name contains the text, capitals or not, and counts the others") {
  const Folder f;
  const Run run = run_secretc("test -v --filter 'a DONNE' " + quote(f.dir.string()));
  CHECK_MESSAGE(run.code == 0, run.out << run.err);
  CHECK(run.out.find("\"R : a donne y\"") != std::string::npos);
  CHECK(run.out.find("\"S : b donne z\"") == std::string::npos);
  CHECK(run.out.find("tests : réussis 1, échoués 0, écartés par le filtre 3\n") != std::string::npos);
  // -v lists the tests run, not the rules the few of them leave unshown.
  CHECK(run.err.empty());
  const Run en = run_secretc("test --lang en --filter 's :' " + quote(f.dir.string()));
  CHECK(en.out.find("1 passed, 0 failed, 3 filtered out\n") != std::string::npos);
  // Accents as written: `ecarte` is not `écarte`; `ÉCARTE` is.
  CHECK(run_secretc("test --filter ÉCARTE " + quote(f.dir.string()))
            .out.find("tests : réussis 1, échoués 0, écartés par le filtre 3\n") != std::string::npos);
  // With a file: the filter chooses among that file's tests.
  CHECK(run_secretc("test --filter donne " + f.file("20_s.rules"))
            .out.find("tests : réussis 1, échoués 0, écartés par le filtre 1\n") != std::string::npos);

  const Run json_run = run_secretc("test --format json --filter sans " + quote(f.dir.string()));
  CHECK(json_run.code == 0);
  const json out = json::parse(json_run.out);
  REQUIRE(out["tests"].size() == 1);
  CHECK(out["tests"][0]["name"] == "R : sans a, rien");
  CHECK(out["passed"] == 1);
  CHECK(out["failed"] == 0);
  CHECK(out["filtered_out"] == 3);
}

TEST_CASE("test --filter that keeps no test is a usage error, in text and in JSON") {
  const Folder f;
  const Run run = run_secretc("test --filter ecarte " + quote(f.dir.string()));
  CHECK(run.code == 2);
  CHECK(run.out.empty());
  CHECK(run.err.find("secretc: error: aucun test à lancer n'a `ecarte` dans son nom\n") != std::string::npos);
  const Run en = run_secretc("test --lang en --filter ecarte " + quote(f.dir.string()));
  CHECK(en.code == 2);
  CHECK(en.err.find("secretc: error: no test to run has `ecarte` in its name\n") != std::string::npos);
  // A test of another file is not one to run.
  CHECK(run_secretc("test --filter 'S :' " + f.file("10_r.rules")).code == 2);

  const Run json_run = run_secretc("test --format json --filter zzz " + quote(f.dir.string()));
  CHECK(json_run.code == 2);
  const json out = json::parse(json_run.out);
  REQUIRE(out["diagnostics"].size() == 1);
  CHECK(out["diagnostics"][0]["kind"] == "TestFilterMatchesNothing");
  CHECK(out["diagnostics"][0]["severity"] == "error");
  CHECK(out["diagnostics"][0]["file"].is_null());
  CHECK(out["diagnostics"][0]["message"] == "aucun test à lancer n'a `zzz` dans son nom");
  CHECK(!out.contains("tests"));
}

TEST_CASE("test speaks French by default and English with --lang en, failures included") {
  const Folder f;
  write_text(f.dir / "30_faux.rules",
             "test \"un test faux\" {\n  given a = false, b = ?\n  expect v = y\n  expect fired s\n}\n");
  const std::string file = (f.dir / "30_faux.rules").string();
  const Run fr = run_secretc("test " + quote(file));
  CHECK(fr.code == 1);
  CHECK(fr.out ==
        "échoué " + file +
            ":1 \"un test faux\"\n"
            "  ligne 3 : attendu `v = y`, obtenu non tranchée, possible { x, z }\n"
            "  ligne 4 : attendu appliquée `s` à coup sûr, obtenu peut-être appliquée, selon des faits inconnus\n"
            "  faits donnés :\n"
            "    a = false\n"
            "    b = ?\n"
            "  réponse obtenue :\n"
            "    v = non tranchée, possible { x, z }\n"
            "    règles appliquées : (aucune)\n"
            "couverture des règles : montrées appliquées 0 sur 0, montrées non appliquées 0 sur 0\n"
            "tests : réussis 0, échoués 1\n");
  const Run en = run_secretc("test --lang en " + quote(file));
  CHECK(en.code == 1);
  CHECK(en.out == "failed " + file +
                      ":1 \"un test faux\"\n"
                      "  line 3: expected `v = y`, obtained unsettled, possible { x, z }\n"
                      "  line 4: expected `s` fired for sure, obtained perhaps fired, depending on unknown facts\n"
                      "  given:\n"
                      "    a = false\n"
                      "    b = ?\n"
                      "  obtained:\n"
                      "    v = unsettled, possible { x, z }\n"
                      "    rules fired: (none)\n"
                      "coverage: 0 of 0 rules shown firing, 0 of 0 shown not firing\n"
                      "0 passed, 1 failed\n");
  // The diagnostics too: -v lists the rules no test shows, in the report's language.
  CHECK(run_secretc("test -v " + f.file("20_s.rules"))
            .err.find("warning: aucun test ne montre la règle `s` non appliquée") != std::string::npos);
  CHECK(run_secretc("test -v --lang en " + f.file("20_s.rules"))
            .err.find("warning: no test shows the rule `s` not firing") != std::string::npos);
  CHECK(run_secretc("test --lang de " + f.file("20_s.rules")).code == 2);
}

TEST_CASE("the Belgian rulebase: one file's tests, with the vocabulary of 00_vocabulaire.rules") {
  const Run run = run_secretc("test --require-coverage stdlib-rules/12_cpas.rules");
  CHECK_MESSAGE(run.code == 0, run.out << run.err);
  CHECK(run.err.empty());
  CHECK(run.out.find("tests : réussis 18, échoués 0\n") != std::string::npos);
}
