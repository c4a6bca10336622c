#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

// Sets compare as sets: the order of members is the enumeration's, but the expectation need not be.
nlohmann::json normalised(nlohmann::json j) {
  for (auto& [key, value] : j.items()) {
    if (value.is_array()) std::sort(value.begin(), value.end());
  }
  return j;
}

}  // namespace

TEST_CASE("every example gives the answer its source gives") {
  const std::vector<fs::path> cases = example_cases();
  REQUIRE(!cases.empty());
  for (const fs::path& c : cases) {
    const fs::path expected = fs::path(c).replace_extension(".expected.json");
    SUBCASE(c.filename().string().c_str()) {
      REQUIRE_MESSAGE(fs::exists(expected), "no expected answer beside " << c);
      const Run run = run_secretc("check --format json " + quote(c.string()));
      REQUIRE_MESSAGE(run.code == 0, run.err);
      const auto got = nlohmann::json::parse(run.out);
      CHECK(normalised(got.at("outputs")) == normalised(nlohmann::json::parse(read_text(expected))));
      CHECK(got.at("case") == c.string());
    }
  }
}

TEST_CASE("check --format json prints exactly the object of the spec") {
  const Run run = run_secretc("check --rules tests/data/mini --format json tests/data/cases/doctor_judge.fact");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  const auto j = nlohmann::json::parse(run.out);
  CHECK(j.at("case") == "tests/data/cases/doctor_judge.fact");
  CHECK(j.at("date") == "2024-05-01");
  CHECK(j.at("rulebase").at("name") == "Mini secrecy");
  CHECK(j.at("rulebase").at("version") == "1.0");
  CHECK(j.at("rulebase").at("hash").get<std::string>().size() == 16);
  CHECK(j.at("outputs").at("verdict") == "may_disclose");
  CHECK(j.at("outputs").at("duty") == "professional_secrecy");
  CHECK(j.at("outputs").at("limits") == nlohmann::json::array({"appear_and_swear", "free_to_answer"}));
  REQUIRE(j.at("grounds").size() == 2);
  // The rule that gave the verdict its value comes first, then the duty.
  CHECK(j.at("grounds")[0].at("rule") == "testimony");
  CHECK(j.at("grounds")[0].at("cite") == "art. 458 C. pén.");
  CHECK(j.at("grounds")[1].at("rule") == "bound_by_secrecy");
  CHECK(j.at("missing").is_array());
}

TEST_CASE("the text report gives the answer, the duty, the limits, the grounds and the open questions") {
  // An English rulebase read in French: the report's own words follow --lang, the rulebase's stay as written.
  const Run run = run_secretc("check --lang fr --rules tests/data/mini tests/data/cases/doctor_judge.fact");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("« Doctor before the judge »") != std::string::npos);
  CHECK(run.out.find("Réponse    : You may disclose") != std::string::npos);
  CHECK(run.out.find("duty       : Professional secrecy") != std::string::npos);
  CHECK(run.out.find("- Appear and take the oath") != std::string::npos);
  CHECK(run.out.find("Testimony in court — art. 458 C. pén.") != std::string::npos);
  CHECK(run.out.find("Before a judge the secret may be lifted") != std::string::npos);
  CHECK(run.out.find("Questions encore ouvertes") != std::string::npos);
}

TEST_CASE("the report names what is still unknown, with its question") {
  TempDir tmp;
  write_text(tmp / "c.fact", "cas.date = 2024-05-01\nwho.role = social_worker\nto.recipient = court\n");
  const Run run = run_secretc("check --rules tests/data/mini " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("Were you summoned as a witness? (witness.summoned)") != std::string::npos);
}

TEST_CASE("--date stands for the day of the situation when the case gives none") {
  TempDir tmp;
  // The offence is off the list, so that the day alone decides (and the answer is settled).
  write_text(tmp / "c.fact", "who.role = doctor\nto.recipient = prosecutor\noffence.article = \"406\"\n");
  const Run old =
      run_secretc("check --rules tests/data/mini --format json --date 2018-05-01 " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(old.code == 0, old.err);
  CHECK(nlohmann::json::parse(old.out).at("outputs").at("verdict") == "must_disclose");
  const Run now =
      run_secretc("check --rules tests/data/mini --format json --date 2020-05-01 " + quote((tmp / "c.fact").string()));
  CHECK(nlohmann::json::parse(now.out).at("outputs").at("verdict") == "keep_secret");
  CHECK(nlohmann::json::parse(now.out).at("status").at("verdict").at("settled") == true);
}

TEST_CASE("a compiled .secbc gives the same answers as the sources") {
  TempDir tmp;
  const Run compile = run_secretc("compile tests/data/mini -o " + quote((tmp / "mini.secbc").string()));
  REQUIRE_MESSAGE(compile.code == 0, compile.err);
  const Run from_source = run_secretc("check --rules tests/data/mini --format json tests/data/cases/doctor_judge.fact");
  const Run from_bytecode = run_secretc("check --rules " + quote((tmp / "mini.secbc").string()) +
                                        " --format json tests/data/cases/doctor_judge.fact");
  REQUIRE(from_bytecode.code == 0);
  CHECK(from_source.out == from_bytecode.out);
}

TEST_CASE("disasm prints the symbols, facts, rules and code") {
  TempDir tmp;
  REQUIRE(run_secretc("compile tests/data/mini -o " + quote((tmp / "mini.secbc").string())).code == 0);
  const Run run = run_secretc("disasm " + quote((tmp / "mini.secbc").string()));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("who.role") != std::string::npos);
  CHECK(run.out.find("testimony") != std::string::npos);
  CHECK(run.out.find("fire") != std::string::npos);
  CHECK(run.out.find("resolve") != std::string::npos);
}

TEST_CASE("the embedded Belgian rulebase answers without --rules") {
  TempDir tmp;
  write_text(tmp / "c.fact", "cas.date = 2024-05-01\nconfident.fonction = medecin\n");
  const Run run = run_secretc("check --format json " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(run.code == 0, run.err);
  const auto j = nlohmann::json::parse(run.out);
  CHECK(j.at("outputs").at("obligation") == "secret_professionnel");
  CHECK(j.at("outputs").at("verdict") == "garder_le_secret");
}

TEST_CASE("usage errors exit with 2") {
  CHECK(run_secretc("").code == 2);
  CHECK(run_secretc("check").code == 2);
  CHECK(run_secretc("check --format xml x.fact").code == 2);
  CHECK(run_secretc("check --date 2019-02-30 x.fact").code == 2);
  CHECK(run_secretc("frobnicate").code == 2);
}

TEST_CASE("a conflict between rules is reported with both rules, decides nothing, and exits 1") {
  TempDir tmp;
  write_text(tmp / "c.rules",
             "rulebase \"c\" version \"1\"\nfact a : bool\noutput v : enum { keep, may, must } = keep\n"
             "rule one \"One\" when a then v = may\nrule two \"Two\" when a then v = must\n");
  write_text(tmp / "c.fact", "a = true\n");
  const Run run = run_secretc("check --rules " + quote((tmp / "c.rules").string()) + " --format json " +
                              quote((tmp / "c.fact").string()));
  CHECK(run.code == 1);
  CHECK(run.err.find("the rules `one` and `two` set `v` to different values") != std::string::npos);
  const auto j = nlohmann::json::parse(run.out);
  CHECK(j.at("outputs").at("v").is_null());
  CHECK(j.at("conflicts")[0].at("rules") == nlohmann::json::array({"one", "two"}));
}

TEST_CASE("--lang en gives English chrome and the rulebase's English translations") {
  const Run run = run_secretc("check --lang en examples/psychiatre_madame_l.fact");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("Answer") != std::string::npos);
  CHECK(run.out.find("Grounds") != std::string::npos);
  CHECK(run.out.find("State of necessity") != std::string::npos);
  CHECK(run.out.find("État de nécessité") == std::string::npos);
}

TEST_CASE("several cases in JSON give an array, one object per case") {
  const Run run = run_secretc("check --format json examples/voisin.fact examples/plombier.fact");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  const auto j = nlohmann::json::parse(run.out);
  REQUIRE(j.is_array());
  CHECK(j.size() == 2);
  CHECK(j[1].at("case") == "examples/plombier.fact");
}

TEST_CASE(
    "the mediator summoned by a tribunal, kind of proceedings unknown: keep the secret, in doubt, decided by the "
    "proceedings") {
  const std::string c =
      (fs::path(SECRETC_SOURCE_DIR) / "examples" / "mediateur_tribunal_procedure_inconnue.fact").string();
  const Run json = run_secretc("check --format json " + quote(c));
  REQUIRE_MESSAGE(json.code == 0, json.err);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("outputs").at("verdict") == "garder_le_secret");
  const auto& status = j.at("status").at("verdict");
  CHECK(status.at("settled") == false);
  CHECK(status.at("value_is") == "in_doubt");
  CHECK(normalised(nlohmann::json{{"p", status.at("possible")}}).at("p") ==
        nlohmann::json{"garder_le_secret", "peut_reveler"});
  // The proceedings decide, and the answers they lead to are computed: criminal → may disclose.
  const auto& deps = j.at("depends_on");
  REQUIRE(!deps.empty());
  CHECK(deps[0].at("fact") == "procedure.nature");
  bool penale = false, civile = false;
  for (const auto& branch : deps[0].at("cases")) {
    const auto& values = branch.at("values");
    const auto& verdict = branch.at("answers").at("verdict");
    if (std::find(values.begin(), values.end(), "penale") != values.end()) {
      penale = verdict.at("value") == "peut_reveler" && verdict.at("settled") == true;
    }
    if (std::find(values.begin(), values.end(), "civile") != values.end()) {
      civile = verdict.at("value") == "garder_le_secret" && verdict.at("settled") == true;
    }
  }
  CHECK(penale);
  CHECK(civile);
  const Run text = run_secretc("check " + quote(c));
  REQUIRE_MESSAGE(text.code == 0, text.err);
  CHECK(text.out.find("Réponse    : Gardez le secret.") != std::string::npos);
  CHECK(text.out.find("dans le doute") != std::string::npos);
  CHECK(text.out.find("La réponse dépend de :") != std::string::npos);
  CHECK(text.out.find("(procedure.nature)") != std::string::npos);
}

TEST_CASE(
    "a limit the answer carries is stated, not a doubt: Madame L. may be reported, provided only what is necessary") {
  const std::string c = (fs::path(SECRETC_SOURCE_DIR) / "examples" / "psychiatre_madame_l.fact").string();
  const Run json = run_secretc("check --format json " + quote(c));
  REQUIRE_MESSAGE(json.code == 0, json.err);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("outputs").at("verdict") == "peut_reveler");
  CHECK(j.at("status").at("verdict").at("settled") == true);
  bool necessary = false;
  for (const auto& p : j.at("provisos")) {
    for (const auto& f : p.at("facts")) necessary = necessary || f == "information.strictement_necessaire";
  }
  CHECK(necessary);
  // The same case saying that more than the necessary would be told no longer permits disclosure.
  TempDir tmp;
  write_text(tmp / "c.fact", read_text(c) + "information.strictement_necessaire = faux\n");
  const Run more = run_secretc("check --format json " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(more.code == 0, more.err);
  CHECK(nlohmann::json::parse(more.out).at("outputs").at("verdict") != "peut_reveler");
  const Run text = run_secretc("check " + quote(c));
  CHECK(text.out.find("Cette réponse suppose que :") != std::string::npos);
}

TEST_CASE("the rulebase's date is in every answer, and a later situation is warned of") {
  TempDir tmp;
  write_text(tmp / "c.fact",
             "cas.date = 2026-06-01\nconfident.fonction = medecin\nsituation = temoignage_en_justice\n"
             "destinataire.qualite = juge_instruction\ninformation.nature = confidence\n");
  const Run json = run_secretc("check --format json " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(json.code == 0, json.err);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("rulebase").at("as_of") == "2024-01-01");
  bool after = false, new_code = false;
  for (const auto& w : j.at("warnings")) {
    after = after || w.at("kind") == "after_as_of";
    new_code = new_code || (w.at("kind") == "warning" && w.at("rule") == "nouveau_code_penal");
  }
  CHECK(after);
  CHECK(new_code);
  const Run text = run_secretc("check " + quote((tmp / "c.fact").string()));
  CHECK(text.out.find("à jour au 2024-01-01") != std::string::npos);
  CHECK(text.out.find("!! Attention") < text.out.find("Réponse"));
}

TEST_CASE("check - reads the case from standard input") {
  TempDir tmp;
  write_text(tmp / "c.fact", read_text(fs::path(SECRETC_SOURCE_DIR) / "tests/data/cases/doctor_judge.fact"));
  const Run piped = run_secretc("check --rules tests/data/mini --format json - < " + quote((tmp / "c.fact").string()));
  REQUIRE_MESSAGE(piped.code == 0, piped.err);
  const Run file = run_secretc("check --rules tests/data/mini --format json tests/data/cases/doctor_judge.fact");
  CHECK(nlohmann::json::parse(piped.out).at("outputs") == nlohmann::json::parse(file.out).at("outputs"));
  // A bad line on standard input is located in `<stdin>`.
  write_text(tmp / "bad.fact", "who.role = dentist\n");
  const Run bad = run_secretc("check --rules tests/data/mini - < " + quote((tmp / "bad.fact").string()));
  CHECK(bad.code == 1);
  CHECK(bad.err.find("<stdin>:1:") != std::string::npos);
}

TEST_CASE("--rules takes one value: the case files after it are cases, in every order of the options") {
  const std::string c = "tests/data/cases/doctor_judge.fact";
  for (const std::string args :
       {"--rules tests/data/mini " + c + " " + c, c + " --rules tests/data/mini " + c,
        c + " " + c + " --rules tests/data/mini", "--format json --rules tests/data/mini " + c + " " + c}) {
    const Run run = run_secretc("check " + args);
    CHECK_MESSAGE(run.code == 0, args << "\n" << run.err);
    CHECK_MESSAGE(run.err.find("error") == std::string::npos, args);
  }
}

TEST_CASE("an unknown command suggests the close one, exit 2") {
  const Run run = run_secretc("chek examples/plombier.fact");
  CHECK(run.code == 2);
  CHECK(run.err.find("did you mean `check`?") != std::string::npos);
  CHECK(run.out.empty());
}

TEST_CASE("the report speaks the rulebase's language unless --lang says otherwise") {
  const Run english = run_secretc("check --rules tests/data/mini tests/data/cases/doctor_judge.fact");
  REQUIRE_MESSAGE(english.code == 0, english.err);
  CHECK(english.out.find("Answer     : ") != std::string::npos);
  const Run french = run_secretc("check examples/psychiatre_madame_l.fact");
  REQUIRE_MESSAGE(french.code == 0, french.err);
  CHECK(french.out.find("Réponse    : ") != std::string::npos);
  const Run asked = run_secretc("check --lang en examples/psychiatre_madame_l.fact");
  REQUIRE_MESSAGE(asked.code == 0, asked.err);
  CHECK(asked.out.find("Answer     : ") != std::string::npos);
}

TEST_CASE("case-file errors are in French by default and in English with --lang en") {
  TempDir tmp;
  write_text(tmp / "c.fact", "confident.fontion = medecin\n");
  const Run fr = run_secretc("check " + quote((tmp / "c.fact").string()));
  CHECK(fr.code == 1);
  CHECK(fr.err.find(":1:1: erreur: fait inconnu `confident.fontion`") != std::string::npos);
  CHECK(fr.err.find("vouliez-vous dire `confident.fonction`") != std::string::npos);
  const Run en = run_secretc("check --lang en " + quote((tmp / "c.fact").string()));
  CHECK(en.code == 1);
  CHECK(en.err.find(":1:1: error: unknown fact `confident.fontion`") != std::string::npos);
}

TEST_CASE("the report says why an exception that came close does not apply, and JSON carries the same") {
  const Run text = run_secretc("check examples/mediateur_tribunal_procedure_inconnue.fact");
  REQUIRE_MESSAGE(text.code == 0, text.err);
  CHECK(text.out.find("Pourquoi pas ?") != std::string::npos);
  const Run json = run_secretc("check --format json examples/mediateur_tribunal_procedure_inconnue.fact");
  REQUIRE_MESSAGE(json.code == 0, json.err);
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(!j.at("why_not").empty());
  for (const auto& m : j.at("why_not")) {
    REQUIRE(!m.at("needs").empty());
    CHECK(m.at("needs").size() <= 2);
    // Each needed value differs from the value the case gives now.
    for (const auto& n : m.at("needs")) {
      for (const auto& v : n.at("values")) CHECK(v != n.at("now"));
    }
  }
  // Open questions are ranked: those that can change the verdict first.
  const auto& missing = j.at("missing");
  REQUIRE(!missing.empty());
  CHECK(missing[0].at("rank") == "verdict");
  bool later = false;
  for (const auto& q : missing) {
    if (q.at("rank") != "verdict") later = true;
    if (later) CHECK(q.at("rank") != "verdict");
  }
}
