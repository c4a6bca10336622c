// `run_ask` as a library function: an interview driven by a scripted conversation, in the process.
#include <doctest/doctest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <unistd.h>

#include "cli/ask_command.hpp"

using namespace secretc;
namespace fs = std::filesystem;

namespace {

// Answers the lines in order; or, with `by_fact`, each question by the fact it shows (`[fact · …]`), until
// a fact without an answer.
struct Scripted {
  std::deque<std::string> lines;
  std::map<std::string, std::string> by_fact;
  std::string out, err;
  std::size_t reads = 0;
  std::optional<std::string> next() {
    if (++reads > 50) return std::nullopt;  // an answer refused again and again must not hang the test
    if (!by_fact.empty()) {
      const std::size_t at = out.rfind("  [");
      if (at == std::string::npos || out.find(" · ", at) == std::string::npos) return std::nullopt;
      const auto found = by_fact.find(out.substr(at + 3, out.find(" · ", at) - at - 3));
      if (found == by_fact.end()) return std::nullopt;
      return found->second;
    }
    if (lines.empty()) return std::nullopt;
    std::string line = lines.front();
    lines.pop_front();
    return line;
  }
  Conversation io{[this] { return next(); }, [this](std::string_view text) { out += text; },
                  [this](std::string_view text) { err += text; }, true};
};

struct Folder {
  fs::path path;
  Folder() {
    std::string tmpl = (fs::temp_directory_path() / "secretc-ask-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~Folder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

const std::string kSource = SECRETC_SOURCE_DIR;

}  // namespace

TEST_CASE("ask: an article and an integer are read and saved as a case file writes them") {
  Folder tmp;
  AskOptions options;
  options.rules = {kSource + "/tests/data/mini"};
  options.lang = "fr";  // an English rulebase, an interview in French
  options.output = (tmp.path / "c.fact").string();
  Scripted s;
  // A social worker before a court; the list's article (in quotes or not) and the victim's age.
  s.by_fact = {{"who.role", "2"},
               {"to.recipient", "court"},
               {"witness.summoned", "non"},
               {"offence.article", "\"405ter\""},
               {"victim.age", "12"}};
  REQUIRE_MESSAGE(run_ask(options, {}, s.io) == 0, s.err);
  const std::string saved = read(options.output);
  CHECK(saved.find("offence.article = \"405ter\"\n") != std::string::npos);
  CHECK(saved.find("victim.age = 12\n") != std::string::npos);
  CHECK(s.out.find("→ Réponse tranchée : You may disclose") != std::string::npos);
}

TEST_CASE("ask: a text answer is saved quoted and escaped, and reads back the same") {
  Folder tmp;
  write(
      tmp.path / "r.rules",
      "base \"Textes\" version \"1\"\n"
      "fait victime.prenom : texte \"Comment s'appelle la victime ?\"\n"
      "sortie verdict : énumération { garder, peut } = garder\n"
      "règle nommee \"Nommée\"\n  quand victime.prenom == \"Léa \\\"la petite\\\" \\\\ x\"\n  alors verdict = peut\n");
  AskOptions options;
  options.rules = {(tmp.path / "r.rules").string()};
  options.output = (tmp.path / "c.fact").string();
  Scripted s;
  s.lines = {"Léa \"la petite\" \\ x"};
  REQUIRE_MESSAGE(run_ask(options, {}, s.io) == 0, s.err);
  CHECK(read(options.output).find("victime.prenom = \"Léa \\\"la petite\\\" \\\\ x\"\n") != std::string::npos);
  CHECK(s.out.find("→ Réponse tranchée : peut") != std::string::npos);  // the rulebase's own string: the rule fired
}

TEST_CASE("ask: a case already settled asks nothing and gives the report at once") {
  Folder tmp;
  write(tmp.path / "c.fact", "who.role = neighbour\n");
  AskOptions options;
  options.rules = {kSource + "/tests/data/mini"};
  options.lang = "fr";  // an English rulebase, an interview in French
  options.case_path = (tmp.path / "c.fact").string();
  Scripted s;
  s.lines = {""};  // the save question: Enter
  REQUIRE_MESSAGE(run_ask(options, {}, s.io) == 0, s.err);
  CHECK(s.out.find("Question 1") == std::string::npos);
  CHECK(s.out.find("→ Réponse tranchée : You may disclose\n\nLa réponse est tranchée") != std::string::npos);
  CHECK(s.out.find("Réponse    : You may disclose") != std::string::npos);
  CHECK(s.out.find("Dossier non enregistré.") != std::string::npos);
  CHECK(s.lines.empty());
}

TEST_CASE("ask: the commands are understood however they are written, and an empty line asks again") {
  AskOptions options;
  options.rules = {kSource + "/tests/data/ask"};
  Scripted s;
  s.lines = {"", "?AIDE", "Pourquoi me demandez-vous cela ?", "FIN"};
  REQUIRE_MESSAGE(run_ask(options, {}, s.io) == 0, s.err);
  CHECK(s.out.find("Répondez, ou tapez ? si vous ne savez pas.") != std::string::npos);
  CHECK(s.out.find("Ce que vous faites, non votre titre.") != std::string::npos);
  CHECK(s.out.find("Pourquoi cette question ?") != std::string::npos);
  CHECK(s.out.find("Entretien terminé : voici la réponse en l'état.") != std::string::npos);
  CHECK(s.out.find("Dossier non enregistré") != std::string::npos);  // the end of input at the save question

  Scripted en;
  en.lines = {"I DON'T KNOW.", "why?", "idk"};
  options.lang = "en";
  REQUIRE(run_ask(options, {}, en.io) == 0);
  CHECK(en.out.find("[danger.grave · ") != std::string::npos);  // the role left unknown, the next question
  CHECK(en.out.find("Why this question? Your answer matters to:") != std::string::npos);
  CHECK(en.out.find("[personne.role · ") == en.out.rfind("[personne.role · "));  // asked once
}

TEST_CASE("ask: a starting case file that cannot be read, or a rulebase with errors, is an error before any question") {
  Scripted s;
  AskOptions options;
  options.rules = {kSource + "/tests/data/mini"};
  options.lang = "fr";  // an English rulebase, an interview in French
  options.case_path = "/nonexistent/case.fact";
  CHECK(run_ask(options, {}, s.io) == 1);
  CHECK(s.err.find("impossible de lire `/nonexistent/case.fact`") != std::string::npos);
  CHECK(s.out.empty());

  Folder tmp;
  write(tmp.path / "bad.rules", "base \"x\" version \"1\"\nfait a : booleen\nfait a : booleen\n");
  Scripted bad;
  options.rules = {(tmp.path / "bad.rules").string()};
  options.case_path.clear();
  CHECK(run_ask(options, {}, bad.io) == 1);
  CHECK(bad.err.find("bad.rules:3:") != std::string::npos);
  CHECK(bad.out.empty());
}

TEST_CASE("ask: a case that cannot be saved is an error, the report given all the same") {
  AskOptions options;
  options.rules = {kSource + "/tests/data/mini"};
  options.lang = "fr";  // an English rulebase, an interview in French
  options.output = "/nonexistent/folder/c.fact";
  Scripted s;
  s.lines = {"neighbour"};
  CHECK(run_ask(options, {}, s.io) == 1);
  CHECK(s.out.find("Réponse    : You may disclose") != std::string::npos);
  CHECK(s.err.find("secretc: error: cannot write") != std::string::npos);
}

TEST_CASE("ask: an answer longer than a case-file line is refused, and the question asked again") {
  AskOptions options;
  options.rules = {kSource + "/tests/data/mini"};
  options.lang = "fr";  // an English rulebase, an interview in French
  Scripted s;
  s.lines = {std::string(20000, 'a'), "neighbour"};
  REQUIRE(run_ask(options, {}, s.io) == 0);
  CHECK(s.out.find("! Cette réponse est trop longue (au plus 10000 octets).") != std::string::npos);
  CHECK(s.out.find("→ Réponse tranchée : You may disclose") != std::string::npos);
}
