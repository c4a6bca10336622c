// `secretc ask` driven from outside, as a script or a person would: answers piped to the real binary's
// standard input, an interview answered question by question through pipes, and one session in a real
// terminal (tmux).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <thread>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

// `secretc ask ARGS` with `input` on its standard input, from the source folder.
Run ask(const std::string& args, const std::string& input) {
  return run_secretc("ask " + args, input);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// The facts asked, in order: each question shows `[fact · …]`.
std::vector<std::string> asked(const std::string& transcript) {
  std::vector<std::string> out;
  for (std::size_t at = transcript.find("  ["); at != std::string::npos; at = transcript.find("  [", at + 3)) {
    const std::size_t end = transcript.find(" · ", at);
    if (end != std::string::npos && transcript.find('\n', at) > end)
      out.push_back(transcript.substr(at + 3, end - at - 3));
  }
  return out;
}

// The report the interview ends with: from its first line to the blank line before the saving message.
std::string final_report(const std::string& transcript) {
  const std::size_t from = transcript.rfind("Situation : ");
  const std::size_t to = transcript.find("\nDossier enregistré", from);
  if (from == std::string::npos || to == std::string::npos) return {};
  return transcript.substr(from, to - from);
}

// The `name = value` lines of a case file.
std::map<std::string, std::string> case_lines(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos && line.find('"') > hash) line.erase(hash);
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 3);
    while (!value.empty() && value.back() == ' ') value.pop_back();
    out[line.substr(0, eq)] = value;
  }
  return out;
}

// `secretc ask` answered question by question: the driver reads up to each prompt, looks at the fact
// asked, and writes its answer — as a person at a terminal would, but through pipes.
class Interviewer {
 public:
  explicit Interviewer(const std::vector<std::string>& args) {
    int in[2], out[2];
    REQUIRE(::pipe(in) == 0);
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(in[0], STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDERR_FILENO);
      ::close(in[1]);
      ::close(out[0]);
      if (::chdir(SECRETC_SOURCE_DIR) != 0) ::_exit(127);
      std::vector<std::string> all{SECRETC_BINARY, "ask"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(SECRETC_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    to_ = in[1];
    from_ = out[0];
    ::signal(SIGPIPE, SIG_IGN);
  }
  ~Interviewer() {
    if (to_ >= 0) ::close(to_);
    if (from_ >= 0) ::close(from_);
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Interviewer(const Interviewer&) = delete;
  Interviewer& operator=(const Interviewer&) = delete;

  // Reads until the output ends with a prompt (true) or the program ends (false); fails after 10 s.
  bool next_prompt() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      if (transcript.size() >= 3 && transcript.compare(transcript.size() - 3, 3, "\n> ") == 0 &&
          transcript.size() > seen_) {
        seen_ = transcript.size();
        return true;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      REQUIRE_MESSAGE(left.count() > 0, "no prompt within 10 s; the output so far:\n" << transcript);
      pollfd p{from_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(from_, buffer, sizeof buffer);
      if (n <= 0) return false;
      transcript.append(buffer, static_cast<std::size_t>(n));
    }
  }

  void answer(const std::string& line) {
    const std::string text = line + "\n";
    REQUIRE(::write(to_, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  }

  int finish() {
    ::close(to_);
    to_ = -1;
    while (next_prompt()) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::string transcript;

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
  std::size_t seen_ = 0;
  bool reaped_ = false;
};

}  // namespace

TEST_CASE("ask: an interview on the Belgian rulebase reaches the settled answer of a worked example") {
  // The psychiatrist and Madame L. (examples/psychiatre_madame_l.fact): every question the interview
  // asks is answered from the example, and « je ne sais pas » for what the example does not say.
  const std::map<std::string, std::string> example =
      case_lines(read_text(fs::path(SECRETC_SOURCE_DIR) / "examples/psychiatre_madame_l.fact"));
  TempDir tmp;
  const std::string saved = (tmp / "madame_l.fact").string();
  Interviewer interview({"-o", saved});
  std::vector<std::string> facts;
  while (interview.next_prompt()) {
    const std::vector<std::string> so_far = asked(interview.transcript);
    REQUIRE(!so_far.empty());
    REQUIRE_MESSAGE(so_far.size() < 45, interview.transcript);
    const std::string fact = so_far.back();
    facts.push_back(fact);
    const auto given = example.find(fact);
    interview.answer(given == example.end() ? "?" : given->second);
  }
  REQUIRE_MESSAGE(interview.finish() == 0, interview.transcript);
  const std::string& t = interview.transcript;
  // Only open questions, each once, the function first: a handful of the 45 facts.
  CHECK(facts.front() == "confident.fonction");
  CHECK(facts.size() <= 12);
  for (const std::string& f : facts) CHECK_MESSAGE(std::count(facts.begin(), facts.end(), f) == 1, f);
  CHECK(t.find("→ Réponse tranchée : Vous pouvez révéler") != std::string::npos);
  CHECK(t.find("La réponse est tranchée") != std::string::npos);
  // The saved case gives `check` the interview's answer, report for report.
  const Run check = run_secretc("check " + quote(saved));
  REQUIRE_MESSAGE(check.code == 0, check.err);
  CHECK(check.out == final_report(t));
  const Run json = run_secretc("check --format json " + quote(saved));
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j.at("outputs").at("verdict") == "peut_reveler");
  CHECK(j.at("status").at("verdict").at("settled") == true);
  CHECK(j.at("outputs").at("obligation") == "secret_professionnel");
}

TEST_CASE("ask: « je ne sais pas » leaves the fact unknown and the interview goes on without asking it again") {
  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  // The words, the mark and the number, in French and English; more answers than questions.
  const Run run = ask("--lang fr --rules tests/data/mini -o " + quote(saved),
                      "je ne sais pas\n?\n0\nJe sais pas.\nI don't know\n?\n?\n?\n?\n?\n?\n?\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  const std::vector<std::string> facts = asked(run.out);
  REQUIRE(facts.size() >= 3);
  CHECK(facts.front() == "who.role");
  for (const std::string& f : facts)
    CHECK_MESSAGE(std::count(facts.begin(), facts.end(), f) == 1, f << "\n" << run.out);
  CHECK(run.out.find("Plus aucune question ne peut changer la réponse.") != std::string::npos);
  CHECK(run.out.find("→ Pas encore tranchée ; dans le doute : Keep the secret") != std::string::npos);
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("who.role") == "?");
  CHECK(read_text(saved).find("who.role = ?  # je ne sais pas") != std::string::npos);
  CHECK(run_secretc("check --lang fr --rules tests/data/mini " + quote(saved)).out == final_report(run.out));
}

TEST_CASE("ask: « retour » takes the previous answer back and asks it again") {
  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  // Back at the first question, then after it; twice in a row goes back two questions.
  const Run run = ask("--lang fr --rules tests/data/mini -o " + quote(saved),
                      "retour\ndoctor\nback\n1\n1\nRetour\n« retour »\n4\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("C'est la première question : il n'y a pas de réponse à reprendre.") != std::string::npos);
  CHECK(count(run.out, "Retour : la réponse à « What is your role? » est effacée.") == 2);
  CHECK(count(run.out, "Retour : la réponse à « Who would receive the information? » est effacée.") == 1);
  const std::vector<std::string> facts = asked(run.out);
  CHECK(facts == std::vector<std::string>{"who.role", "to.recipient", "who.role", "to.recipient", "witness.summoned",
                                          "to.recipient", "who.role"});
  // The answers taken back are gone: the neighbour may disclose, whoever would receive it.
  CHECK(run.out.find("→ Réponse tranchée : You may disclose") != std::string::npos);
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("who.role") == "neighbour");
  CHECK(lines.count("to.recipient") == 0);
}

TEST_CASE("ask: a date and a number are checked on the spot, and asked again until valid") {
  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  const Run run = ask("--rules tests/data/ask -o " + quote(saved),
                      "Médecin\noui\nnon\n2019-02-30\nhier\n01/03/2018\ndeux\n1.5\n2\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("! `2019-02-30` n'est pas une date valide") != std::string::npos);
  CHECK(run.out.find("! `hier` n'est pas une date") != std::string::npos);
  CHECK(run.out.find("! `deux` n'est pas un nombre entier") != std::string::npos);
  CHECK(run.out.find("! `1.5` n'est pas un nombre entier") != std::string::npos);
  const std::vector<std::string> facts = asked(run.out);
  CHECK(std::count(facts.begin(), facts.end(), "victime.naissance") == 1);  // the same question, its prompt again
  CHECK(count(run.out, "\n> ") == 9);
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("victime.naissance") == "2018-03-01");  // DD/MM/YYYY
  CHECK(lines.at("victime.enfants") == "2");
  CHECK(lines.at("personne.role") == "medecin");
  CHECK(run.out.find("→ Réponse tranchée : Vous pouvez révéler.\n") != std::string::npos);
  CHECK(run_secretc("check --rules tests/data/ask " + quote(saved)).out == final_report(run.out));
}

TEST_CASE("ask: the end of input mid-interview ends cleanly with the answer so far, and -o saves the case") {
  const Run run = ask("--lang fr --rules tests/data/mini", "doctor\n");
  CHECK_MESSAGE(run.code == 0, run.err);
  CHECK(run.err.empty());
  CHECK(run.out.find("(fin de l'entrée : voici la réponse en l'état)") != std::string::npos);
  CHECK(run.out.find("Réponse    : Keep the secret") != std::string::npos);
  CHECK(run.out.find("Dossier non enregistré") != std::string::npos);

  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  const Run with_o = ask("--lang fr --rules tests/data/mini -o " + quote(saved), "doctor\n1\n");
  REQUIRE_MESSAGE(with_o.code == 0, with_o.err);
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.size() == 3);  // the two answers, and the day taken as today
  CHECK(lines.at("who.role") == "doctor");
  CHECK(lines.at("to.recipient") == "investigating_judge");
  CHECK(lines.at("cas.date").size() == 10);
  // Not settled, and `check` says so alike.
  const Run check = run_secretc("check --lang fr --rules tests/data/mini " + quote(saved));
  CHECK(check.out == final_report(with_o.out));
  CHECK(check.out.find("dans le doute") != std::string::npos);
}

TEST_CASE("ask: without -o the case is saved under the name given after asking, with the same answer") {
  TempDir tmp;
  const std::string saved = (tmp / "voisin.fact").string();
  const Run run = ask("--lang fr --rules tests/data/mini", "4\n" + saved + "\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("Enregistrer ce dossier ?") != std::string::npos);
  REQUIRE(fs::exists(saved));
  const auto j =
      nlohmann::json::parse(run_secretc("check --lang fr --rules tests/data/mini --format json " + quote(saved)).out);
  CHECK(j.at("outputs").at("verdict") == "may_disclose");
  // An existing file is replaced only when the answer is yes; « non » saves nothing.
  write_text(saved, "who.role = doctor\n");
  const Run again = ask("--lang fr --rules tests/data/mini", "4\n" + saved + "\nnon\nnon\n");
  CHECK(again.out.find("existe déjà") != std::string::npos);
  CHECK(again.out.find("Dossier non enregistré.") != std::string::npos);
  CHECK(read_text(saved) == "who.role = doctor\n");
}

TEST_CASE("ask: from a partial case file, only the facts it leaves open are asked") {
  TempDir tmp;
  write_text(tmp / "part.fact", "personne.role = Assistante-Sociale\ndanger.grave = oui\nvictime.enfants = ?\n");
  const std::string saved = (tmp / "out.fact").string();
  const Run run =
      ask("--rules tests/data/ask -o " + quote(saved) + " " + quote((tmp / "part.fact").string()), "non\n?\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  // The file's notes as `check` gives them; its facts, `?` included, are not asked.
  CHECK(run.err.find("`Assistante-Sociale` lu comme `assistant_social`") != std::string::npos);
  CHECK(run.out.find("(3 faits donnés)") != std::string::npos);
  const std::vector<std::string> facts = asked(run.out);
  REQUIRE(!facts.empty());
  CHECK(facts == std::vector<std::string>{"danger.protection_possible", "victime.naissance"});
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("personne.role") == "assistant_social");
  CHECK(lines.at("victime.enfants") == "?");
  CHECK(lines.at("danger.protection_possible") == "non");

  // A starting file with errors: the errors, located as `check` locates them, and no interview.
  write_text(tmp / "bad.fact", "personne.role = dentiste\n");
  const Run bad = ask("--rules tests/data/ask " + quote((tmp / "bad.fact").string()), "1\n");
  CHECK(bad.code == 1);
  CHECK(bad.err.find("bad.fact:1:17: erreur") != std::string::npos);
  CHECK(bad.out.empty());
}

TEST_CASE("ask: help and « pourquoi ? » at a question, and member answers by number, label or synonym") {
  const Run run = ask("--rules tests/data/ask", "aide\nPourquoi ?\nassistante sociale\n?help\nwhy\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find("Ce que vous faites, non votre titre.") != std::string::npos);
  CHECK(run.out.find("Pourquoi cette question ? Votre réponse compte pour :\n   - Tenu au secret — art. 458 C. pén.") !=
        std::string::npos);
  CHECK(run.out.find("si Voisin ou Autre : Vous pouvez révéler. ; obligation : Aucune") != std::string::npos);
  CHECK(run.out.find("(`assistante sociale` lu comme `assistant_social`)") != std::string::npos);
  CHECK(run.out.find("Un danger pour la vie ou l'intégrité de quelqu'un.") != std::string::npos);
  CHECK(run.out.find("   - État de nécessité — Cass., 13 mai 1987") != std::string::npos);
  for (const std::string answer : {"2", "assistant_social", "Assistant social", "ASSISTANTE-SOCIALE"}) {
    TempDir tmp;
    const std::string saved = (tmp / "c.fact").string();
    const Run one = ask("--rules tests/data/ask -o " + quote(saved), answer + "\n");
    CHECK_MESSAGE(case_lines(read_text(saved)).at("personne.role") == "assistant_social", answer);
  }
  const Run wrong = ask("--rules tests/data/ask", "7\ndentiste\n");
  CHECK(wrong.out.find("! Choisissez un numéro de 1 à 4 (0 : je ne sais pas).") != std::string::npos);
  CHECK(wrong.out.find("! `dentiste` n'est pas un choix de `role`") != std::string::npos);
}

TEST_CASE("ask --lang en asks in English") {
  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  const Run run = ask("--rules tests/data/ask --lang en -o " + quote(saved), "1\nhelp\nyes\nno\nI don't know\n3\n");
  REQUIRE_MESSAGE(run.code == 0, run.err);
  CHECK(run.out.find(
            "Question 1 · You and your role  [personne.role · 5 open questions]\nWhat is your role?\n   1  Doctor\n") !=
        std::string::npos);
  CHECK(run.out.find("   0  I don't know\n   (help · why · back · end)") != std::string::npos);
  CHECK(run.out.find("A danger to someone's life or integrity.") != std::string::npos);
  CHECK(run.out.find("→ Settled answer: You may disclose. (still open: conditions)") != std::string::npos);
  CHECK(run.out.find("When was the victim born?\n   (a date: YYYY-MM-DD or DD/MM/YYYY; ?: I don't know)") !=
        std::string::npos);
  CHECK(run.out.find("Case saved in") != std::string::npos);
  CHECK(run.out.find("Answer     :") != std::string::npos);  // the report's own English
  for (const char* french : {"Quelle est votre fonction", "je ne sais pas", "tranchée", "Dossier"}) {
    CHECK_MESSAGE(run.out.find(french) == std::string::npos, french);
  }
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("danger.grave") == "true");
  CHECK(lines.at("victime.naissance") == "?");
}

TEST_CASE("ask in a real terminal (tmux): typed answers, the terminal's own echo, the case saved") {
  REQUIRE_MESSAGE(std::system("command -v tmux >/dev/null 2>&1") == 0,
                  "tmux is needed for this test (scripts/bootstrap.sh installs it)");
  TempDir tmp;
  const std::string saved = (tmp / "c.fact").string();
  const std::string socket = fmt::format("secretc-ask-test-{}", ::getpid());
  const auto tmux = [&](const std::string& args) {
    return fmt::format("env -u TMUX tmux -L {} {}", quote(socket), args);
  };
  const auto pane = [&] {
    FILE* p = ::popen((tmux("capture-pane -p -J -S - -t ask") + " 2>/dev/null").c_str(), "r");
    std::string text;
    if (p == nullptr) return text;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), p)) > 0) text.append(buffer.data(), n);
    ::pclose(p);
    return text;
  };
  // Waits until `what` is on the screen `times` times (a question asked again shows again).
  const auto wait_for = [&](const std::string& what, std::size_t times = 1) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string text = pane();
    while (count(text, what) < times && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      text = pane();
    }
    if (count(text, what) < times) MESSAGE("the screen:\n" << text);
    return count(text, what) >= times;
  };
  const auto type = [&](const std::string& keys) {
    REQUIRE(std::system(tmux(fmt::format("send-keys -t ask -l {}", quote(keys))).c_str()) == 0);
    REQUIRE(std::system(tmux("send-keys -t ask Enter").c_str()) == 0);
  };
  const std::string program = fmt::format("{} ask --rules tests/data/ask -o {}; echo \"secretc exited: $?\"; sleep 60",
                                          quote(SECRETC_BINARY), quote(saved));
  REQUIRE(std::system(tmux(fmt::format("new-session -d -s ask -x 160 -y 50 -c {} {}", quote(SECRETC_SOURCE_DIR),
                                       quote(program)))
                          .c_str()) == 0);
  struct Cleanup {
    std::string command;
    ~Cleanup() { (void)std::system(command.c_str()); }
  } cleanup{tmux("kill-server") + " 2>/dev/null"};
  REQUIRE(wait_for("[personne.role · 5 questions ouvertes]"));
  type("2");
  REQUIRE(wait_for("[danger.grave"));
  type("aide");
  REQUIRE(wait_for("Un danger pour la vie"));
  type("oui");
  REQUIRE(wait_for("[danger.protection_possible"));
  type("retour");
  REQUIRE(wait_for("Retour : la réponse à « Y a-t-il un danger grave ? » est effacée."));
  REQUIRE(wait_for("[danger.grave ·", 2));
  type("1");
  REQUIRE(wait_for("[danger.protection_possible", 2));
  type("non");
  REQUIRE(wait_for("[victime.naissance"));
  type("31/02/2018");
  REQUIRE(wait_for("n'est pas une date valide"));
  type("01/03/2018");
  REQUIRE(wait_for("[victime.enfants"));
  type("3");
  REQUIRE(wait_for("secretc exited: 0"));
  const std::string screen = pane();
  // What the person typed is on the screen once, shown by the terminal (the program echoes nothing).
  CHECK(count(screen, "> 01/03/2018") == 1);
  CHECK(screen.find("→ Réponse tranchée : Vous pouvez révéler.") != std::string::npos);
  CHECK(screen.find("Dossier enregistré dans") != std::string::npos);
  const auto lines = case_lines(read_text(saved));
  CHECK(lines.at("personne.role") == "assistant_social");
  CHECK(lines.at("victime.naissance") == "2018-03-01");
  CHECK(lines.at("victime.enfants") == "3");
}
