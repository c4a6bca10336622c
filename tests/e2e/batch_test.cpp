// `secretc check --jsonl` on the real binary: each line answered as `check --format json` answers the same
// case, in the input's order whatever the number of threads; bad lines answered by an error object while
// the others go on; folders of case files; standard input read as it comes; the summary and the progress
// line.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// A case file as one JSON line: each `name = value` a member, values as strings (booleans, members,
// dates and integers are read from strings as a case file reads its words), texts unquoted.
json line_of(const fs::path& fact) {
  json j = json::object();
  std::istringstream in(read_text(fact));
  for (std::string line; std::getline(in, line);) {
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') quoted = !quoted;
      if (line[i] == '#' && !quoted) {
        line.resize(i);
        break;
      }
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t\r"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    std::string value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    j[trim(line.substr(0, eq))] = value;
  }
  return j;
}

std::vector<json> lines_of(const std::string& out) {
  std::vector<json> all;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) all.push_back(json::parse(line));
  return all;
}

json without(json j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) j.erase(k);
  return j;
}

}  // namespace

TEST_CASE("check --jsonl answers every example as check --format json does, in order, with its id and line") {
  TempDir tmp;
  const std::vector<fs::path> examples = example_cases();
  REQUIRE(!examples.empty());
  std::string input;
  for (std::size_t i = 0; i < examples.size(); ++i) {
    json j = line_of(examples[i]);
    j["id"] = examples[i].stem().string();
    input += j.dump() + "\n";
  }
  write_text(tmp / "cases.jsonl", input);
  const Run batch = run_secretc("check --jsonl --why-not --date 2024-05-01 " + quote((tmp / "cases.jsonl").string()));
  REQUIRE_MESSAGE(batch.code == 0, batch.err);
  const std::vector<json> answers = lines_of(batch.out);
  REQUIRE(answers.size() == examples.size());
  // Without --why-not, the same answers, and no `why_not` (it was not looked for: not an empty list);
  // the lines twice over, the second answers as the first.
  write_text(tmp / "twice.jsonl", input + input);
  const Run quick = run_secretc("check --jsonl --date 2024-05-01 " + quote((tmp / "twice.jsonl").string()));
  const std::vector<json> quick_answers = lines_of(quick.out);
  REQUIRE(quick_answers.size() == 2 * examples.size());
  for (std::size_t i = 0; i < examples.size(); ++i) {
    CHECK(!quick_answers[i].contains("why_not"));
    CHECK(without(quick_answers[i], {"case"}) == without(answers[i], {"why_not", "case"}));
    CHECK(without(quick_answers[i + examples.size()], {"case", "line"}) ==
          without(answers[i], {"why_not", "case", "line"}));
  }
  for (std::size_t i = 0; i < examples.size(); ++i) {
    CAPTURE(examples[i]);
    const Run one = run_secretc("check --format json --date 2024-05-01 " + quote(examples[i].string()));
    REQUIRE_MESSAGE(one.code == 0, one.err);
    CHECK(answers[i]["id"] == examples[i].stem().string());
    CHECK(answers[i]["line"] == i + 1);
    CHECK(answers[i]["case"] == fmt::format("{}:{}", (tmp / "cases.jsonl").string(), i + 1));
    // The same answer; only the notes on words read otherwise (`vrai` for true) are the batch's own.
    CHECK(without(answers[i], {"case", "id", "line", "notes"}) == without(json::parse(one.out), {"case"}));
  }
}

TEST_CASE("check --jsonl copies an answer whose facts are all known only for a case of the same result and day") {
  // Every fact given: the report is written once per result and day (AnswerCache) and copied after. With
  // --why-not nothing is copied: each answer is written, and must be the same but for `why_not`.
  TempDir tmp;
  write_text(tmp / "r.rules", R"(rulebase "cache" version "1"
enum role { medecin, voisin }
fact cas.date : date
fact role : role
fact urgent : bool
output verdict : enum { garder, peut } = garder
rule urgence
  valid from 2020-01-01
  when role == medecin and urgent
  then verdict = peut
)");
  const std::vector<std::string> cases{
      R"({"cas.date": "2019-06-01", "role": "medecin", "urgent": true})",  // before the rule
      R"({"cas.date": "2021-06-01", "role": "medecin", "urgent": true})",
      R"({"cas.date": "2021-06-02", "role": "medecin", "urgent": true})",  // the same result, another day
      R"({"cas.date": "2021-06-01", "role": "voisin", "urgent": true})",
      R"({"cas.date": "2021-06-01", "role": "medecin", "urgent": false})",
  };
  std::string input;
  for (int round = 0; round < 3; ++round) {
    for (const std::string& c : cases) input += c + "\n";
  }
  write_text(tmp / "cases.jsonl", input);
  const std::string args =
      " --rules " + quote((tmp / "r.rules").string()) + " " + quote((tmp / "cases.jsonl").string());
  const Run copied = run_secretc("check --jsonl" + args);
  const Run written = run_secretc("check --jsonl --why-not" + args);
  REQUIRE_MESSAGE(copied.code == 0, copied.err);
  REQUIRE_MESSAGE(written.code == 0, written.err);
  const std::vector<json> a = lines_of(copied.out), b = lines_of(written.out);
  REQUIRE(a.size() == 3 * cases.size());
  REQUIRE(b.size() == a.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CAPTURE(i);
    CHECK(a[i] == without(b[i], {"why_not"}));
    CHECK(a[i]["date"] == json::parse(cases[i % cases.size()])["cas.date"]);
  }
  CHECK(a[0]["outputs"]["verdict"] == "garder");
  CHECK(a[1]["outputs"]["verdict"] == "peut");
  CHECK(a[2]["outputs"]["verdict"] == "peut");
  CHECK(a[3]["outputs"]["verdict"] == "garder");
}

TEST_CASE("check --jsonl keeps the input's order with any number of threads, and reads standard input") {
  // Enough lines for more batches (256 lines each) than -j 4 keeps in flight (10): later batches are
  // filled again in the room of written ones, over lines of other lengths.
  constexpr int kLines = 12000;
  std::string input;
  const std::vector<fs::path> examples = example_cases();
  for (int i = 0; i < kLines; ++i) {
    json j = line_of(examples[static_cast<std::size_t>(i) % examples.size()]);
    j["id"] = i;
    input += j.dump() + "\n";
  }
  TempDir tmp;
  write_text(tmp / "many.jsonl", input);
  const Run one = run_secretc("check --jsonl -j 1 --date 2024-05-01 " + quote((tmp / "many.jsonl").string()));
  const Run four = run_secretc("check --jsonl -j 4 --date 2024-05-01 " + quote((tmp / "many.jsonl").string()));
  const Run piped = run_secretc("check --jsonl -j 3 --date 2024-05-01 -", input);
  REQUIRE_MESSAGE(one.code == 0, one.err);
  CHECK(four.code == 0);
  CHECK(four.out == one.out);
  const std::vector<json> a = lines_of(one.out), b = lines_of(piped.out);
  REQUIRE(a.size() == kLines);
  REQUIRE(b.size() == kLines);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i]["id"] == i);
    CHECK(without(a[i], {"case"}) == without(b[i], {"case"}));
  }
  CHECK(b[0]["case"] == "<stdin>:1");
}

TEST_CASE("check --jsonl answers a bad line with its located errors, and the other lines still") {
  const std::string good = R"({"id": "ok", "confident.fonction": "medecin", "situation": "signalement"})";
  std::string input = good + "\n";
  input += "\n";                                      // 2: blank, skipped
  input += "{\"id\": 3, \"confident.fonction\": \n";  // 3: not JSON
  input += "[1, 2]\n";                                // 4: not an object
  input += R"({"id": [5], "confident.fonction": "medecin", "confident.fontion": "x"})"
           "\n";                                                                            // 5
  input += "{\"id\": 6, \"cas.titre\": \"" + std::string((1U << 20U) + 10, 'a') + "\"}\n";  // 6: too long
  input += good;  // 7: the last line, without its end
  const Run run = run_secretc("check --jsonl --lang en --date 2024-05-01 -", input);
  CHECK(run.code == 1);
  const std::vector<json> answers = lines_of(run.out);
  REQUIRE(answers.size() == 6);
  CHECK(answers[0]["outputs"].contains("verdict"));
  CHECK(answers[0]["line"] == 1);
  CHECK(answers[1]["line"] == 3);
  CHECK(answers[1]["errors"][0]["line"] == 3);
  CHECK(answers[1]["errors"][0]["message"].get<std::string>().starts_with("this is not JSON: "));
  CHECK(answers[2]["line"] == 4);
  CHECK(answers[2]["errors"][0]["message"].get<std::string>().starts_with("a line is a JSON object"));
  CHECK(answers[3]["line"] == 5);
  CHECK(answers[3]["errors"][0]["path"] == "/id");
  CHECK(answers[3]["errors"][1]["path"] == "/confident.fontion");
  CHECK(answers[3]["errors"][1]["hint"] == "did you mean `confident.fonction`?");
  CHECK(!answers[3].contains("outputs"));
  CHECK(answers[4]["line"] == 6);
  CHECK(answers[4]["errors"][0]["message"].get<std::string>().find("longer than 1048576 bytes") != std::string::npos);
  CHECK(answers[5]["line"] == 7);
  CHECK(answers[5]["outputs"] == answers[0]["outputs"]);
  // Every line a good one: exit 0.
  CHECK(run_secretc("check --jsonl --date 2024-05-01 -", good + "\n" + good + "\n").code == 0);
}

TEST_CASE("check --jsonl takes folders of case files, recursively and in name order, with their errors located") {
  TempDir tmp;
  const std::vector<fs::path> examples = example_cases();
  fs::create_directories(tmp / "b" / "sub");
  fs::copy_file(examples[0], tmp / "b" / "sub" / "z.fact");
  fs::copy_file(examples[1], tmp / "b" / "a.fact");
  write_text(tmp / "b" / "m.fact", "confident.fonction = dentist\n");
  write_text(tmp / "b" / "ignored.txt", "not a case\n");
  const Run run = run_secretc("check --jsonl --lang en --date 2024-05-01 " + quote((tmp / "b").string()) + " " +
                              quote(examples[2].string()));
  CHECK(run.code == 1);
  const std::vector<json> answers = lines_of(run.out);
  REQUIRE(answers.size() == 4);
  CHECK(answers[0]["case"] == (tmp / "b" / "a.fact").string());
  CHECK(answers[1]["case"] == (tmp / "b" / "m.fact").string());
  CHECK(answers[2]["case"] == (tmp / "b" / "sub" / "z.fact").string());
  CHECK(answers[3]["case"] == examples[2].string());
  const json& error = answers[1]["errors"][0];
  CHECK(error["file"] == (tmp / "b" / "m.fact").string());
  CHECK(error["line"] == 1);
  CHECK(error["column"] == 22);
  const Run single = run_secretc("check --format json --lang en --date 2024-05-01 " + quote(examples[0].string()));
  CHECK(without(answers[2], {"case", "notes"}) == without(json::parse(single.out), {"case", "why_not"}));
  // An input that does not exist stops everything before any answer.
  const Run missing = run_secretc("check --jsonl /nonexistent/cases.jsonl");
  CHECK(missing.code == 1);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("/nonexistent/cases.jsonl") != std::string::npos);
}

TEST_CASE("check --jsonl answers each line as it comes on a pipe, without waiting for the next") {
  int to_child[2], from_child[2];
  REQUIRE(::pipe(to_child) == 0);
  REQUIRE(::pipe(from_child) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, STDERR_FILENO);
    for (const int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) ::close(fd);
    ::execl(SECRETC_BINARY, SECRETC_BINARY, "check", "--jsonl", "-j", "2", "-", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  std::string received;
  // Sends one line, then waits (at most 10 s) for its answer before sending the next.
  const auto exchange = [&](int id) {
    const std::string line = fmt::format("{{\"id\": {}, \"confident.fonction\": \"medecin\"}}\n", id);
    REQUIRE(::write(to_child[1], line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const std::size_t lines_before = static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n'));
    while (static_cast<std::size_t>(std::count(received.begin(), received.end(), '\n')) == lines_before &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd p{from_child[0], POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[65536];
      const ssize_t n = ::read(from_child[0], buffer, sizeof buffer);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
  };
  exchange(1);
  exchange(2);
  ::close(to_child[1]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(from_child[0]);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const std::vector<json> answers = lines_of(received);
  REQUIRE(answers.size() == 2);
  CHECK(answers[0]["id"] == 1);
  CHECK(answers[1]["id"] == 2);
}

TEST_CASE("check --jsonl --summary counts the verdicts of the lines it wrote, and a terminal sees its progress") {
  std::string input;
  const std::vector<fs::path> examples = example_cases();
  for (const fs::path& e : examples) input += line_of(e).dump() + "\n";
  input += "not json\n";
  const Run run = run_secretc("check --jsonl --summary --date 2024-05-01 -", input);
  CHECK(run.code == 1);
  std::map<std::string, int> counted;
  int unsettled = 0;
  for (const json& a : lines_of(run.out)) {
    if (!a.contains("outputs")) continue;
    ++counted[a["outputs"]["verdict"].get<std::string>()];
    unsettled += a["status"]["verdict"]["settled"].get<bool>() ? 0 : 1;
  }
  CHECK(run.err.find(fmt::format("secretc: résumé : {} dossiers\n", examples.size() + 1)) != std::string::npos);
  for (const auto& [verdict, n] : counted) {
    CHECK(run.err.find(fmt::format("  verdict = {} : {}\n", verdict, n)) != std::string::npos);
  }
  CHECK(run.err.find(fmt::format("(la réponse dépend d'un fait inconnu) : {}\n", unsettled)) != std::string::npos);
  CHECK(run.err.find("illisibles (sans réponse) : 1\n") != std::string::npos);
  CHECK(counted.size() >= 2);

  // With standard error on a terminal (script(1) gives it one), the progress line, cleared at the end;
  // standard output stays the answers alone.
  TempDir tmp;
  std::string many;
  for (int i = 0; i < 400; ++i) many += input.substr(0, input.find('\n') + 1);
  write_text(tmp / "many.jsonl", many);
  const std::string inner = fmt::format("{} check --jsonl --date 2024-05-01 {} > {}", quote(SECRETC_BINARY),
                                        quote((tmp / "many.jsonl").string()), quote((tmp / "out.jsonl").string()));
  const Run tty = run_shell("script -qec " + quote(inner) + " /dev/null");
  CHECK(tty.code == 0);
  CHECK(tty.out.find(" dossiers · ") != std::string::npos);
  CHECK(tty.out.find(" dossiers/s · ") != std::string::npos);
  CHECK(tty.out.find(" % · reste ~") != std::string::npos);  // a file: its size is known
  CHECK(tty.out.ends_with("\r\x1b[K"));
  CHECK(lines_of(read_text(tmp / "out.jsonl")).size() == 400);
  // Not a terminal: no progress line at all.
  CHECK(run.err.find("\x1b[K") == std::string::npos);
}

TEST_CASE("check: --jobs and --summary need --jsonl, and --jsonl writes JSON only") {
  CHECK(run_secretc("check -j 2 examples/voisin.fact").code == 2);
  CHECK(run_secretc("check --summary examples/voisin.fact").code == 2);
  CHECK(run_secretc("check --why-not examples/voisin.fact").code == 2);
  const Run text = run_secretc("check --jsonl --format text -", "");
  CHECK(text.code == 2);
  CHECK(text.err.find("--jsonl") != std::string::npos);
  CHECK(run_secretc("check").code == 2);
  // A full disk: said, and exit 1.
  const Run full = run_shell(quote(SECRETC_BINARY) + " check --jsonl - > /dev/full",
                             std::string(R"({"confident.fonction": "medecin"})") + "\n");
  CHECK(full.code == 1);
  CHECK(full.err.find("sortie standard") != std::string::npos);
  // Empty input: no case, no line, success.
  const Run empty = run_secretc("check --jsonl -", "");
  CHECK(empty.code == 0);
  CHECK(empty.out.empty());
}
