#include <doctest/doctest.h>

#include <filesystem>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

// Runs check on a case file with the given text; a malformed case gives exit 1, located errors on
// standard error, and no verdict at all.
Run check_case(const std::string& text) {
  TempDir tmp;
  write_text(tmp / "bad.fact", text);
  return run_secretc("check --rules tests/data/mini " + quote((tmp / "bad.fact").string()));
}

void expect_rejected(const Run& run, const std::string& located_message) {
  CHECK(run.code == 1);
  CHECK(run.out.empty());
  CHECK_MESSAGE(run.err.find(located_message) != std::string::npos, run.err);
}

}  // namespace

TEST_CASE("a malformed case file is rejected with a located error and no verdict") {
  SUBCASE("unknown name, with a suggestion") {
    const Run run = check_case("cas.date = 2024-05-01\nwho.rol = doctor\n");
    expect_rejected(run, "bad.fact:2:1: error: unknown fact `who.rol`");
    CHECK(run.err.find("did you mean `who.role`?") != std::string::npos);
  }
  SUBCASE("value of the wrong type") {
    expect_rejected(check_case("witness.summoned = 2024-05-01\n"), "bad.fact:1:20: error:");
  }
  SUBCASE("member not in the enumeration") {
    const Run run = check_case("who.role = docter\n");
    expect_rejected(run, "bad.fact:1:12: error:");
    CHECK(run.err.find("did you mean `doctor`?") != std::string::npos);
  }
  SUBCASE("the same name twice") {
    expect_rejected(check_case("who.role = doctor\nwho.role = teacher\n"), "bad.fact:2:1: error:");
  }
  SUBCASE("a malformed line") {
    expect_rejected(check_case("who.role doctor\n"), "bad.fact:1:");
  }
  SUBCASE("an impossible date") {
    expect_rejected(check_case("cas.date = 2019-02-30\n"), "bad.fact:1:12: error:");
  }
  SUBCASE("an unterminated string") {
    expect_rejected(check_case("case.title = \"abc\n"), "bad.fact:1:");
  }
  SUBCASE("every error, not only the first") {
    const Run run = check_case("who.rol = doctor\nwitness.summoned = maybe\ncas.date = 2019-13-01\n");
    CHECK(run.code == 1);
    CHECK(run.err.find("bad.fact:1:") != std::string::npos);
    CHECK(run.err.find("bad.fact:2:") != std::string::npos);
    CHECK(run.err.find("bad.fact:3:") != std::string::npos);
  }
  SUBCASE("a missing file") {
    const Run run = run_secretc("check --rules tests/data/mini /nonexistent/case.fact");
    CHECK(run.code == 1);
    CHECK(run.out.empty());
  }
}

TEST_CASE("a well-formed case with BOM, CRLF, comments and explicit unknowns is accepted") {
  const Run run = check_case(
      "\xEF\xBB\xBF# comment\r\ncas.date = 2024-05-01 # trailing\r\nwho.role = doctor\r\n\r\nwitness.summoned = ?\r\n");
  CHECK_MESSAGE(run.code == 0, run.err);
}

TEST_CASE("a malformed rule file is rejected with located errors and writes nothing") {
  TempDir tmp;
  write_text(tmp / "bad.rules",
             "rulebase \"x\" version \"1\"\nfact a : bool\noutput v : enum { x, y } = x\n"
             "rule r when a and then v = y\nrule s when b then v = z\n");
  const auto out = tmp / "out.secbc";
  const Run run = run_secretc("compile " + quote((tmp / "bad.rules").string()) + " -o " + quote(out.string()));
  CHECK(run.code == 1);
  CHECK_MESSAGE(run.err.find("bad.rules:4:") != std::string::npos, run.err);
  CHECK(run.err.find("error:") != std::string::npos);
  CHECK_FALSE(fs::exists(out));
  for (const auto& entry : fs::directory_iterator(tmp.path)) CHECK(entry.path().filename() == "bad.rules");
}

TEST_CASE("type errors in a rule file are all reported with suggestions") {
  TempDir tmp;
  write_text(tmp / "bad.rules",
             "rulebase \"x\" version \"1\"\nfact a : bool\nfact d : date\noutput v : enum { x, y } = x\n"
             "rule r when d == a then v = y\nrule s when aa then v = yy\n");
  const Run run = run_secretc("compile --lang en " + quote((tmp / "bad.rules").string()) + " -o " +
                              quote((tmp / "o.secbc").string()));
  CHECK(run.code == 1);
  CHECK(run.err.find("bad.rules:5:18: error: cannot compare `date` with `booléen`") != std::string::npos);
  CHECK(run.err.find("bad.rules:6:13: error: unknown name `aa`") != std::string::npos);
  CHECK(run.err.find("did you mean `y`?") != std::string::npos);
}

TEST_CASE("damaged bytecode is rejected, never run") {
  TempDir tmp;
  const auto good = tmp / "good.secbc";
  REQUIRE(run_secretc("compile tests/data/mini -o " + quote(good.string())).code == 0);
  const std::string bytes = read_text(good);
  REQUIRE(bytes.size() > 64);

  SUBCASE("truncated") {
    for (const std::size_t keep :
         {std::size_t{0}, std::size_t{7}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1}) {
      write_text(tmp / "t.secbc", bytes.substr(0, keep));
      const Run run = run_secretc("check --lang en --rules " + quote((tmp / "t.secbc").string()) +
                                  " tests/data/cases/doctor_judge.fact");
      CHECK(run.code == 1);
      CHECK(run.out.empty());
      CHECK(run.err.find("invalid bytecode") != std::string::npos);
    }
  }
  SUBCASE("a bit flipped") {
    for (const std::size_t at : {std::size_t{3}, std::size_t{12}, bytes.size() / 3, bytes.size() - 3}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ 0x10);
      write_text(tmp / "f.secbc", damaged);
      const Run run = run_secretc("check --lang en --rules " + quote((tmp / "f.secbc").string()) +
                                  " tests/data/cases/doctor_judge.fact");
      CHECK(run.code == 1);
      CHECK(run.out.empty());
      CHECK(run.err.find("invalid bytecode") != std::string::npos);
    }
  }
  SUBCASE("in French, what is wrong with the file too") {
    std::string damaged = bytes;
    damaged[bytes.size() / 3] = static_cast<char>(damaged[bytes.size() / 3] ^ 0x10);
    write_text(tmp / "f.secbc", damaged);
    const Run run = run_secretc("check --lang fr --rules " + quote((tmp / "f.secbc").string()) +
                                " tests/data/cases/doctor_judge.fact");
    CHECK(run.code == 1);
    CHECK(run.out.empty());
    CHECK_MESSAGE(run.err.find("bytecode invalide : la somme de contrôle ne correspond pas : le fichier est "
                               "endommagé ou a été modifié") != std::string::npos,
                  run.err);
    CHECK(run.err.find("checksum") == std::string::npos);
  }
}

TEST_CASE("secretc test reports passes and failures and ends with the count") {
  const Run ok = run_secretc("test tests/data/mini");
  CHECK_MESSAGE(ok.code == 0, ok.out << ok.err);
  CHECK(ok.out.find("tests : réussis 17, échoués 0") != std::string::npos);

  TempDir tmp;
  write_text(tmp / "f.rules",
             "rulebase \"x\" version \"1\"\nfact a : bool\noutput v : enum { x, y } = x\n"
             "rule r when a then v = y\n"
             "test \"passes\" { given a = true expect v = y }\n"
             "test \"fails\" { given a = false expect v = y, fired r }\n");
  const Run bad = run_secretc("test " + quote((tmp / "f.rules").string()));
  CHECK(bad.code == 1);
  CHECK(bad.out.find("échoué " + (tmp / "f.rules").string() + ":6 \"fails\"\n") != std::string::npos);
  CHECK(bad.out.find("  faits donnés :\n    a = false\n") != std::string::npos);
  CHECK(bad.out.find("  ligne 6 : attendu `v = y`, obtenu x\n") != std::string::npos);
  CHECK(bad.out.find("tests : réussis 1, échoués 1") != std::string::npos);

  // --lang en: the same report, all in English.
  const Run en = run_secretc("test --lang en " + quote((tmp / "f.rules").string()));
  CHECK(en.code == 1);
  CHECK(en.out.find("failed " + (tmp / "f.rules").string() + ":6 \"fails\"\n") != std::string::npos);
  CHECK(en.out.find("  given:\n    a = false\n") != std::string::npos);
  CHECK(en.out.find("  line 6: expected `v = y`, obtained x\n") != std::string::npos);
  CHECK(en.out.find("1 passed, 1 failed") != std::string::npos);
}
