// The C API (capi/secretc.h) against the runtime it wraps: every example case given through the API
// answers as bind_case + Machine + open_questions answer it; each setter accepts what a case file accepts
// and refuses the rest with its message, changing nothing; bad bytecode and bad arguments are refused
// with a status and a message; cases of one rulebase run on several threads at once.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <cstdio>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "capi/secretc.h"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const std::string& belgian_bytes() {
  static const std::string bytes = read_bytes(SECRETC_BELGIAN_SECBC);
  return bytes;
}

// A rulebase loaded through the API, freed at the end of the test.
struct Rulebase {
  secretc_rulebase* rb = nullptr;
  Rulebase() {
    char* error = nullptr;
    REQUIRE(secretc_rulebase_load_bytes(belgian_bytes().data(), belgian_bytes().size(), &rb, &error) == SECRETC_OK);
    REQUIRE(error == nullptr);
  }
  ~Rulebase() { secretc_rulebase_free(rb); }
  Rulebase(const Rulebase&) = delete;
  Rulebase& operator=(const Rulebase&) = delete;
};

struct Case {
  secretc_case* c = nullptr;
  explicit Case(const secretc_rulebase* rb) { REQUIRE(secretc_case_new(rb, &c) == SECRETC_OK); }
  ~Case() { secretc_case_free(c); }
  Case(const Case&) = delete;
  Case& operator=(const Case&) = delete;
};

std::vector<std::string> messages(const secretc_case* c) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < secretc_case_message_count(c); ++i) out.emplace_back(secretc_case_message(c, i));
  return out;
}

// Each entry of a case file through the setter of its kind, as an embedding program would write it.
void give(secretc_case* c, const secretc::CaseEntry& e) {
  secretc_status s = SECRETC_OK;
  switch (e.kind) {
    case secretc::CaseValueKind::Word:
      s = secretc_case_set_word(c, e.name.c_str(), e.text.c_str());
      break;
    case secretc::CaseValueKind::Integer:
      s = secretc_case_set_integer(c, e.name.c_str(), std::stoll(e.text));
      break;
    case secretc::CaseValueKind::String:
    case secretc::CaseValueKind::Article:
      s = secretc_case_set_string(c, e.name.c_str(), e.text.c_str());
      break;
    case secretc::CaseValueKind::Unknown:
      s = secretc_case_set_unknown(c, e.name.c_str());
      break;
    case secretc::CaseValueKind::Date: {
      int y = 0, m = 0, d = 0;
      REQUIRE(std::sscanf(e.text.c_str(), "%d-%d-%d", &y, &m, &d) == 3);
      s = secretc_case_set_date(c, e.name.c_str(), y, m, d);
      break;
    }
  }
  INFO(e.name, " = ", e.text);
  REQUIRE(s == SECRETC_OK);
}

// The answer through the API must be the runtime's, field by field.
void require_same_answer(const secretc_rulebase* rb, const secretc_case* c, const secretc::Program& p,
                         const secretc::BoundCase& bound) {
  secretc::Machine machine(p);
  const secretc::Result result = machine.evaluate(bound.facts, &bound.given);
  const bool settled =
      std::all_of(result.outputs.begin(), result.outputs.end(), [](const auto& v) { return v.settled; });
  const std::vector<secretc::Dependence> deps =
      settled ? std::vector<secretc::Dependence>{}
              : secretc::conditional_answers(machine, bound.facts, &bound.given, result);
  const std::vector<secretc::OpenQuestion> questions = secretc::open_questions(p, result, deps);

  REQUIRE(secretc_case_output_count(c) == p.outputs.size());
  for (std::size_t o = 0; o < p.outputs.size(); ++o) {
    secretc_output out{};
    REQUIRE(secretc_case_output(c, o, &out) == SECRETC_OK);
    const secretc::OutputValue& v = result.outputs[o];
    const auto& members = p.enums[p.outputs[o].enum_id].members;
    CHECK(std::string(out.name) == p.outputs[o].name);
    CHECK(out.settled == (v.settled ? 1 : 0));
    CHECK(out.conflict == (v.conflict ? 1 : 0));
    CHECK(out.may_be_unknown == (v.may_be_unknown ? 1 : 0));
    std::vector<std::string> possible, held;
    for (std::size_t m = 0; m < members.size(); ++m) {
      if ((v.possible >> m) & 1U) possible.push_back(members[m]);
      if (out.is_set == 1 && v.value.known && ((static_cast<std::uint64_t>(v.value.payload) >> m) & 1U))
        held.push_back(members[m]);
    }
    CHECK(std::vector<std::string>(out.possible, out.possible + out.possible_count) == possible);
    if (out.is_set == 1) {
      CHECK(out.value == nullptr);
      CHECK(std::vector<std::string>(out.held, out.held + out.held_count) == held);
    } else if (v.value.known && !v.conflict) {
      REQUIRE(out.value != nullptr);
      CHECK(std::string(out.value) == members[static_cast<std::size_t>(v.value.payload)]);
    } else {
      CHECK(out.value == nullptr);
    }
  }
  REQUIRE(secretc_case_fired_count(c) == result.fired.size());
  for (std::size_t i = 0; i < result.fired.size(); ++i) CHECK(secretc_case_fired(c, i) == result.fired[i]);
  REQUIRE(secretc_case_set_aside_count(c) == result.overridden.size());
  for (std::size_t i = 0; i < result.overridden.size(); ++i) {
    std::size_t rule = 0, by = 0;
    REQUIRE(secretc_case_set_aside(c, i, &rule, &by) == SECRETC_OK);
    CHECK(rule == result.overridden[i].rule);
    CHECK(by == result.overridden[i].by);
  }
  REQUIRE(secretc_case_conflict_count(c) == result.conflicts.size());
  REQUIRE(secretc_case_open_question_count(c) == questions.size());
  for (std::size_t i = 0; i < questions.size(); ++i) {
    std::size_t fact = 0;
    secretc_rank rank = SECRETC_RANK_TOGETHER;
    REQUIRE(secretc_case_open_question(c, i, &fact, &rank) == SECRETC_OK);
    CHECK(fact == questions[i].fact);
    CHECK(static_cast<int>(rank) == static_cast<int>(questions[i].rank));
  }
  std::size_t may = 0;
  for (std::size_t r = 0; r < p.rules.size(); ++r) {
    if (result.applies[r] == secretc::Truth::Unknown && p.rules[r].kind == secretc::RuleKind::Rule) {
      REQUIRE(may < secretc_case_may_apply_count(c));
      CHECK(secretc_case_may_apply(c, may++) == r);
    }
  }
  CHECK(may == secretc_case_may_apply_count(c));
  (void)rb;
}

}  // namespace

TEST_CASE("capi: every example, given fact by fact, answers as the runtime does") {
  Rulebase rb;
  auto loaded = secretc::load_program(belgian_bytes());
  const secretc::Program& p = std::get<secretc::Program>(loaded);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(SECRETC_SOURCE_DIR) / "examples")) {
    if (e.path().extension() == ".fact") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 20);
  const std::int64_t today = *secretc::parse_date("2025-06-01");
  std::size_t unsettled = 0, questions = 0;
  for (const fs::path& file : files) {
    INFO(file.filename().string());
    secretc::SourceSet sources;
    secretc::Diagnostics diags;
    const std::uint32_t id = sources.add(file.string(), read_bytes(file));
    const std::vector<secretc::CaseEntry> entries = secretc::parse_case(sources, id, diags);
    REQUIRE(!diags.has_errors());
    const secretc::BoundCase bound = secretc::bind_case(p, entries, today, diags);
    REQUIRE(!diags.has_errors());
    Case c(rb.rb);
    REQUIRE(secretc_case_set_today(c.c, 2025, 6, 1) == SECRETC_OK);
    for (const secretc::CaseEntry& e : entries) give(c.c, e);
    REQUIRE(secretc_case_evaluate(c.c) == SECRETC_OK);
    require_same_answer(rb.rb, c.c, p, bound);
    secretc_output verdict{};
    REQUIRE(secretc_case_output_named(c.c, "verdict", &verdict) == SECRETC_OK);
    unsettled += verdict.settled == 0 ? 1 : 0;
    questions += secretc_case_open_question_count(c.c);
    // Reused after clear, the case answers the same.
    REQUIRE(secretc_case_clear(c.c) == SECRETC_OK);
    CHECK(secretc_case_output_count(c.c) == 0);
    for (const secretc::CaseEntry& e : entries) give(c.c, e);
    REQUIRE(secretc_case_evaluate(c.c) == SECRETC_OK);
    require_same_answer(rb.rb, c.c, p, bound);
  }
  CHECK(unsettled > 0);  // the comparison covers answers under uncertainty too
  CHECK(questions > 0);
}

TEST_CASE("capi: setters read values as a case file does, and refuse the rest without changing the case") {
  Rulebase rb;
  Case c(rb.rb);
  CHECK(secretc_case_set_word(c.c, "confident.fonction", "Médecin") == SECRETC_OK);
  REQUIRE(messages(c.c).size() == 1);
  CHECK(secretc_case_message_is_error(c.c, 0) == 0);
  CHECK(messages(c.c)[0].find("medecin") != std::string::npos);
  CHECK(secretc_case_set_word(c.c, "victime.mineur", "oui") == SECRETC_OK);
  CHECK(secretc_case_set_bool(c.c, "danger.grave_et_imminent", 1) == SECRETC_OK);
  CHECK(secretc_case_set_date(c.c, "cas.date", 2024, 5, 1) == SECRETC_OK);
  CHECK(secretc_case_set_string(c.c, "cas.titre", "un titre \"cité\"") == SECRETC_OK);
  CHECK(secretc_case_set_unknown(c.c, "situation") == SECRETC_OK);
  CHECK(secretc_case_set_word(c.c, "destinataire.qualite", "?") == SECRETC_OK);
  REQUIRE(secretc_case_evaluate(c.c) == SECRETC_OK);
  secretc_output before{};
  REQUIRE(secretc_case_output_named(c.c, "verdict", &before) == SECRETC_OK);
  const std::string value = before.value != nullptr ? before.value : "";
  const int settled = before.settled;

  // Each refusal, and its message (the case's messages are those of its last call).
  secretc_case_set_language(c.c, SECRETC_LANG_EN);
  const auto refused = [&](secretc_status status, const char* needle) {
    INFO(needle);
    CHECK(status == SECRETC_ERROR_CASE);
    REQUIRE(secretc_case_message_count(c.c) >= 1);
    CHECK(secretc_case_message_is_error(c.c, 0) == 1);
    CHECK(std::string(secretc_case_message(c.c, 0)).find(needle) != std::string::npos);
  };
  refused(secretc_case_set_word(c.c, "confident.fonctio", "medecin"), "did you mean `confident.fonction`");
  refused(secretc_case_set_word(c.c, "confident.fonction", "medcin"), "did you mean `medecin`");
  refused(secretc_case_set_word(c.c, "victime.mineur", "peut-etre"), "peut-etre");
  refused(secretc_case_set_date(c.c, "cas.date", 2019, 2, 30), "2019-02-30");
  refused(secretc_case_set_date(c.c, "cas.date", 12345, 1, 1), "12345-01-01");
  refused(secretc_case_set_integer(c.c, "cas.date", 3), "cas.date");
  refused(secretc_case_set_bool(c.c, "confident.fonction", 1), "true");
  refused(secretc_case_set_string(c.c, "confident.fonction", "medecin"), "medecin");
  refused(secretc_case_unset(c.c, "victime.age"), "not given");
  // Nothing changed: the answer is still there, and the same once evaluated again.
  secretc_output after{};
  REQUIRE(secretc_case_output_named(c.c, "verdict", &after) == SECRETC_OK);
  CHECK(std::string(after.value != nullptr ? after.value : "") == value);
  REQUIRE(secretc_case_evaluate(c.c) == SECRETC_OK);
  REQUIRE(secretc_case_output_named(c.c, "verdict", &after) == SECRETC_OK);
  CHECK(std::string(after.value != nullptr ? after.value : "") == value);
  CHECK(after.settled == settled);

  // A fact given again replaces its value; unset takes it out; either invalidates the answer.
  CHECK(secretc_case_set_word(c.c, "situation", "temoignage_en_justice") == SECRETC_OK);
  CHECK(secretc_case_output_named(c.c, "verdict", &after) == SECRETC_ERROR_STATE);
  CHECK(secretc_case_fired_count(c.c) == 0);
  CHECK(secretc_case_unset(c.c, "situation") == SECRETC_OK);
  REQUIRE(secretc_case_evaluate(c.c) == SECRETC_OK);
  REQUIRE(secretc_case_output_named(c.c, "verdict", &after) == SECRETC_OK);
  CHECK(std::string(after.value != nullptr ? after.value : "") == value);
}

TEST_CASE("capi: bad bytecode, bad files and bad arguments get a status and a message") {
  secretc_rulebase* rb = reinterpret_cast<secretc_rulebase*>(&rb);  // must be reset to NULL on failure
  char* error = nullptr;
  CHECK(secretc_rulebase_load_bytes("SECRETBC", 8, &rb, &error) == SECRETC_ERROR_BYTECODE);
  CHECK(rb == nullptr);
  REQUIRE(error != nullptr);
  CHECK(std::string(error).find("too short") != std::string::npos);
  secretc_string_free(error);
  std::string damaged = belgian_bytes();
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x40);
  CHECK(secretc_rulebase_load_bytes(damaged.data(), damaged.size(), &rb, &error) == SECRETC_ERROR_BYTECODE);
  REQUIRE(error != nullptr);
  secretc_string_free(error);
  CHECK(secretc_rulebase_load_bytes(nullptr, 0, &rb, nullptr) == SECRETC_ERROR_BYTECODE);
  CHECK(secretc_rulebase_load_bytes(nullptr, 5, &rb, nullptr) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_rulebase_load_bytes("x", 1, nullptr, nullptr) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_rulebase_load_file("/nonexistent/belgian.secbc", &rb, &error) == SECRETC_ERROR_IO);
  REQUIRE(error != nullptr);
  CHECK(std::string(error).find("/nonexistent/belgian.secbc") != std::string::npos);
  secretc_string_free(error);
  CHECK(secretc_rulebase_load_file(SECRETC_SOURCE_DIR "/examples/plombier.fact", &rb, &error) ==
        SECRETC_ERROR_BYTECODE);
  REQUIRE(error != nullptr);
  CHECK(std::string(error).rfind(SECRETC_SOURCE_DIR "/examples/plombier.fact: ", 0) == 0);
  secretc_string_free(error);
  REQUIRE(secretc_rulebase_load_file(SECRETC_BELGIAN_SECBC, &rb, nullptr) == SECRETC_OK);

  CHECK(std::string(secretc_rulebase_name(rb)) == "Secret professionnel — droit belge");
  CHECK(std::string(secretc_rulebase_hash(rb)).size() == 16);
  std::size_t fact = 0;
  REQUIRE(secretc_rulebase_find_fact(rb, "confident.fonction", &fact) == SECRETC_OK);
  CHECK(std::string(secretc_rulebase_fact_name(rb, fact)) == "confident.fonction");
  CHECK(secretc_rulebase_fact_type(rb, fact) == SECRETC_TYPE_MEMBER);
  CHECK(secretc_rulebase_fact_member_count(rb, fact) > 5);
  CHECK(std::string(secretc_rulebase_fact_question(rb, fact, SECRETC_LANG_EN)) !=
        std::string(secretc_rulebase_fact_question(rb, fact, SECRETC_LANG_FR)));
  CHECK(secretc_rulebase_find_fact(rb, "nope", &fact) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_rulebase_fact_name(rb, 100000) == nullptr);
  CHECK(secretc_rulebase_fact_type(rb, 100000) == -1);
  CHECK(secretc_rulebase_output_is_set(rb, 100000) == -1);
  CHECK(secretc_rulebase_rule_title(rb, 100000, SECRETC_LANG_FR) == nullptr);
  CHECK(secretc_rulebase_fact_member(rb, fact, 100000) == nullptr);

  CHECK(secretc_case_new(nullptr, nullptr) == SECRETC_ERROR_ARGUMENT);
  secretc_case* c = nullptr;
  REQUIRE(secretc_case_new(rb, &c) == SECRETC_OK);
  secretc_output out{};
  CHECK(secretc_case_output(c, 0, &out) == SECRETC_ERROR_STATE);
  CHECK(secretc_case_set_word(c, nullptr, "x") == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_set_word(c, "situation", nullptr) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_set_word(nullptr, "situation", "x") == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_set_today(c, 2024, 2, 30) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_set_language(c, static_cast<secretc_lang>(9)) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_evaluate(nullptr) == SECRETC_ERROR_ARGUMENT);
  REQUIRE(secretc_case_evaluate(c) == SECRETC_OK);  // an empty case is a case
  CHECK(secretc_case_output(c, 100000, &out) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_output(c, 0, nullptr) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_output_named(c, "nope", &out) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_fired(c, 100000) == SIZE_MAX);
  std::size_t a = 0, b = 0, d = 0;
  secretc_rank rank{};
  CHECK(secretc_case_set_aside(c, 100000, &a, &b) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_conflict(c, 100000, &a, &b, &d) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_open_question(c, 100000, &a, &rank) == SECRETC_ERROR_ARGUMENT);
  CHECK(secretc_case_open_question_count(c) > 0);
  CHECK(std::string(secretc_status_name(SECRETC_ERROR_CASE)) == "invalid case");
  CHECK(secretc_api_version() == SECRETC_API_VERSION);
  secretc_case_free(c);
  secretc_case_free(nullptr);
  secretc_rulebase_free(rb);
  secretc_rulebase_free(nullptr);
  secretc_string_free(nullptr);
}

TEST_CASE("capi: one rulebase shared by threads, one case each, gives each thread the one-thread answer") {
  Rulebase rb;
  const auto run = [&](int seed, std::vector<std::string>& verdicts) {
    Case c(rb.rb);
    const char* functions[] = {"medecin", "psychologue", "avocat", "assistant_social", "artisan"};
    const char* procedures[] = {"penale", "civile", "administrative", "?"};
    for (int i = 0; i < 200; ++i) {
      const int k = (i * 7 + seed) % 20;
      secretc_case_clear(c.c);
      secretc_case_set_date(c.c, "cas.date", 2024, 5, 1);
      secretc_case_set_word(c.c, "confident.fonction", functions[k % 5]);
      secretc_case_set_word(c.c, "situation", "temoignage_en_justice");
      secretc_case_set_word(c.c, "destinataire.qualite", k % 3 == 0 ? "police" : "tribunal");
      secretc_case_set_word(c.c, "procedure.nature", procedures[k % 4]);
      secretc_output v{};
      if (secretc_case_evaluate(c.c) != SECRETC_OK || secretc_case_output_named(c.c, "verdict", &v) != SECRETC_OK) {
        verdicts.emplace_back("failed");
        continue;
      }
      verdicts.push_back(std::string(v.value != nullptr ? v.value : "none") + (v.settled ? "" : "?"));
    }
  };
  std::vector<std::string> alone0, alone1, threaded0, threaded1;
  run(0, alone0);
  run(3, alone1);
  std::thread t0([&] { run(0, threaded0); });
  std::thread t1([&] { run(3, threaded1); });
  t0.join();
  t1.join();
  CHECK(threaded0 == alone0);
  CHECK(threaded1 == alone1);
  CHECK(std::count(alone0.begin(), alone0.end(), "failed") == 0);
  CHECK(std::set<std::string>(alone0.begin(), alone0.end()).size() > 1);
}

namespace {

// What the real `secretc check --format json --date D FILE` prints.
std::string check_json(const fs::path& file, const char* date) {
  const std::string command =
      fmt::format("'{}' check --format json --date {} '{}'", SECRETC_BINARY, date, file.string());
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("capi: rule sources compile to the rulebase belgian.secbc holds, and the JSON answer is check's") {
  secretc_rulebase* compiled = nullptr;
  char* error = nullptr;
  REQUIRE(secretc_rulebase_compile(SECRETC_SOURCE_DIR "/stdlib-rules", &compiled, &error) == SECRETC_OK);
  CHECK(error == nullptr);
  Rulebase loaded;
  // The hash is the rule files' contents and names: the same as the embedded rulebase's.
  CHECK(std::string(secretc_rulebase_hash(compiled)) == secretc_rulebase_hash(loaded.rb));
  CHECK(secretc_rulebase_rule_count(compiled) == secretc_rulebase_rule_count(loaded.rb));

  std::size_t with_dependences = 0;
  for (const char* name : {"psychiatre_madame_l.fact", "plombier.fact", "avocat_458bis_client_expose_inconnu.fact"}) {
    INFO(name);
    const fs::path file = fs::path(SECRETC_SOURCE_DIR) / "examples" / name;
    secretc::SourceSet sources;
    secretc::Diagnostics diags;
    const std::vector<secretc::CaseEntry> entries =
        secretc::parse_case(sources, sources.add(file.string(), read_bytes(file)), diags);
    REQUIRE(!diags.has_errors());
    Case c(compiled);
    REQUIRE(secretc_case_set_today(c.c, 2025, 6, 1) == SECRETC_OK);
    for (const secretc::CaseEntry& e : entries) give(c.c, e);
    char* json = nullptr;
    REQUIRE(secretc_case_answer_json(c.c, 1, &json) == SECRETC_OK);
    REQUIRE(json != nullptr);
    nlohmann::ordered_json mine = nlohmann::ordered_json::parse(json);
    secretc_string_free(json);
    nlohmann::ordered_json theirs = nlohmann::ordered_json::parse(check_json(file, "2025-06-01"));
    mine.erase("case");
    theirs.erase("case");
    CHECK(mine.dump(1) == theirs.dump(1));
    CHECK(mine.contains("why_not"));
    with_dependences += mine.at("depends_on").empty() ? 0 : 1;
    // Without why_not, the same answer without `why_not`; the typed accessors answer after it too.
    REQUIRE(secretc_case_answer_json(c.c, 0, &json) == SECRETC_OK);
    CHECK(!nlohmann::ordered_json::parse(json).contains("why_not"));
    secretc_string_free(json);
    CHECK(secretc_case_output_count(c.c) > 0);
  }
  CHECK(with_dependences > 0);  // the conditional answers are in it, not only settled cases
  secretc_rulebase_free(compiled);

  // Rules that do not compile: every diagnostic, located; a path that is not there: an I/O error.
  const fs::path dir = fs::temp_directory_path() / "secretc-capi-compile";
  fs::create_directories(dir);
  {
    std::ofstream bad(dir / "bad.rules");
    bad << "base \"b\" version \"1\"\nrègle r quand vrai\n";
  }
  CHECK(secretc_rulebase_compile((dir / "bad.rules").c_str(), &compiled, &error) == SECRETC_ERROR_RULES);
  CHECK(compiled == nullptr);
  REQUIRE(error != nullptr);
  CHECK(std::string(error).find("bad.rules:") != std::string::npos);
  CHECK(std::string(error).find("error:") != std::string::npos);
  secretc_string_free(error);
  CHECK(secretc_rulebase_compile((dir / "none.rules").c_str(), &compiled, &error) == SECRETC_ERROR_IO);
  REQUIRE(error != nullptr);
  secretc_string_free(error);
  CHECK(secretc_rulebase_compile(nullptr, &compiled, nullptr) == SECRETC_ERROR_ARGUMENT);
  CHECK(std::string(secretc_status_name(SECRETC_ERROR_RULES)) == "invalid rules");
  fs::remove_all(dir);
}
